"""The item page's form labels and the ledger's refusals in the user's language: English when chosen, else Chinese."""

from __future__ import annotations

import pytest

TEXTS = {
    "en": {"labels": ("Next steps", "Problems", "Evidence", "Request type", "New deadline (extension)"),
           "empty_report": "The progress form has errors: Progress：",
           "forbidden": "You are not allowed to do this",
           "stale": "Someone else changed this item: reload the page"},
    "zh-hans": {"labels": ("下一步计划", "存在问题", "佐证材料", "申请类型", "新完成时限（延期）"),
                "empty_report": "进展表单有误：完成情况：",
                "forbidden": "您没有权限执行此操作",
                "stale": "此事项已被他人修改，请刷新后在最新版本上重新修改"},
}


def _in(client, language: str):
    client.cookies["django_language"] = language
    return client


def _label(html: str, field: str) -> str:
    """The text of the <label> for a form field, whatever markup surrounds it."""
    start = html.index(f'for="id_{field}"')
    return html[html.index(">", start) + 1:html.index("</label>", start)]


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_item_page_forms_are_labelled_in_the_users_language(page, signed_task, language):
    html = _in(page("basic"), language).get(f"/tasks/{signed_task.pk}/").content.decode()
    expected = TEXTS[language]["labels"]
    labels = [_label(html, field) for field in ("next_steps", "problems", "attachment", "kind", "new_due_date")]
    assert [want in got for want, got in zip(expected, labels, strict=True)] == [True] * len(expected), labels


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_refusals_are_in_the_users_language(page, signed_task, language):
    texts, other = TEXTS[language], TEXTS["zh-hans" if language == "en" else "en"]
    url = f"/tasks/{signed_task.pk}/"
    basic = _in(page("basic"), language)

    empty = basic.post(f"{url}report/", {"progress": "  ", "next": url}, follow=True).content.decode()
    assert texts["empty_report"] in empty and other["empty_report"] not in empty

    forbidden = basic.post(f"{url}urge/", {"text": "x"}).content.decode()
    assert texts["forbidden"] in forbidden and other["forbidden"] not in forbidden

    office = _in(page("office"), language)
    version = signed_task.version
    office.post(f"{url}edit/", {"version": version, "title": "第一位编辑的标题", "next": url})
    stale = office.post(f"{url}edit/", {"version": version, "title": "第二位编辑的标题", "next": url},
                        follow=True).content.decode()
    assert texts["stale"] in stale and other["stale"] not in stale

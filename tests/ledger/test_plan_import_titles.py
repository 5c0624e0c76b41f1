"""A plan item's title longer than the column is shortened with a word to the office (issue 17, D17: "Long
titles are cut with no warning"): the import names the items, the full text stays in 具体内容."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from eduplan.ledger.models import Plan
from eduplan.ledger.plan_import import TITLE_MAX

LONG = (
    "全面推进" + "义务教育优质均衡发展和城乡一体化" * 30
)  # one sentence, no full stop: all of it is the title


def _plan_text(title: str) -> bytes:
    return f"滨江市教育局2027年工作要点\n一、总则\n1.{title}\n2.推进教师交流轮岗。年内完成。\n".encode()


def test_the_import_names_each_item_whose_title_was_shortened(page):
    assert len(LONG) > TITLE_MAX
    upload = SimpleUploadedFile("plan.txt", _plan_text(LONG))
    response = page("office").post("/plans/import/", {"file": upload}, follow=True)
    body = response.content.decode()
    warnings = [str(m) for m in response.context["messages"] if m.level_tag == "warning"]
    assert len(warnings) == 1 and f"已截取前 {TITLE_MAX} 字作标题" in warnings[0]
    assert f"一、1.（{LONG[:20]}…，共 {len(LONG)} 字）" in warnings[0] and warnings[0] in body
    task = Plan.objects.get().tasks.order_by("position").first()
    assert task.title == LONG[:TITLE_MAX] and LONG in task.content  # the full text kept


def test_no_warning_when_nothing_was_shortened_and_the_api_says_it_as_a_list(page, api):
    response = page("office").post(
        "/plans/import/", {"file": SimpleUploadedFile("a.txt", _plan_text("推进新工作。"))}, follow=True
    )
    assert not [m for m in response.context["messages"] if m.level_tag == "warning"]
    answer = api("office").post(
        "/api/plans/import/", {"file": SimpleUploadedFile("b.txt", _plan_text(LONG))}, format="multipart"
    )
    assert answer.status_code == 201, answer.content
    assert len(answer.json()["warnings"]) == 1 and "已截取前" in answer.json()["warnings"][0]

"""The ledger item shows each target's link and judgement; the office confirms or changes the link."""

from __future__ import annotations

import pytest

from eduplan.ledger.models import AuditEntry, Target
from eduplan.monitoring.models import TargetLink

pytestmark = pytest.mark.django_db


def _target(plan, text: str) -> Target:
    return Target.objects.get(task__plan=plan, indicator__contains=text)


def _block(html: str) -> str:
    return html.split('id="target-judgements"', 1)[1].split("</table>", 1)[0]


def test_task_page_shows_link_status_value_target_and_gap(page, plan):
    target = _target(plan, "公办幼儿园在园幼儿占比")
    html = page("basic").get(f"/tasks/{target.task_id}/").content.decode()
    row = _block(html).split(f'id="judgement-{target.id}"', 1)[1].split("</tr>", 1)[0]
    assert "公办园在园幼儿占比" in row and "自动匹配" in row
    assert "≥ 52%" in row
    assert any(word in row for word in ("✓ 已达成", "↗ 进度正常", "! 存在风险", "✗ 未达成"))
    assert "%（2024年）" in row and "个百分点" in row  # value with unit and year, gap in points
    assert 'name="indicator"' not in html  # only the office confirms links


def test_a_target_no_indicator_measures_says_no_data(page, plan):
    target = _target(plan, "教育集团")
    html = page("office").get(f"/tasks/{target.task_id}/").content.decode()
    row = _block(html).split(f'id="judgement-{target.id}"', 1)[1].split("</tr>", 1)[0]
    assert "— 无数据" in row and "未匹配" in row


def test_office_confirms_a_link_with_audit(page, plan, people):
    target = _target(plan, "教育集团")
    client = page("office")
    assert 'name="indicator"' in client.get(f"/tasks/{target.task_id}/").content.decode()
    response = client.post(f"/indicators/links/{target.id}/", {"indicator": "compulsory_school_count"})
    assert response.status_code == 302
    link = TargetLink.objects.get(target=target)
    assert link.indicator_id == "compulsory_school_count" and link.confirmed_by == people["office"]
    entry = AuditEntry.objects.filter(task=target.task, action="link_indicator").get()
    assert entry.actor == people["office"] and entry.after["indicator"] == "compulsory_school_count"
    html = client.get(f"/tasks/{target.task_id}/").content.decode()
    row = _block(html).split(f'id="judgement-{target.id}"', 1)[1].split("</tr>", 1)[0]
    assert "义务教育学校数" in row or "compulsory_school_count" in row
    assert "已确认" in row


def test_office_says_no_indicator_measures_it(page, plan):
    target = _target(plan, "公办幼儿园在园幼儿占比")
    page("office").post(f"/indicators/links/{target.id}/", {"indicator": "none"})
    assert TargetLink.objects.get(target=target).indicator_id == ""
    html = page("office").get(f"/tasks/{target.task_id}/").content.decode()
    row = _block(html).split(f'id="judgement-{target.id}"', 1)[1].split("</tr>", 1)[0]
    assert "— 无数据" in row and "没有指标能衡量此目标" in row


def test_unknown_or_empty_choice_changes_nothing(page, plan):
    target = _target(plan, "教育集团")
    client = page("office")
    for choice in ("no_such_indicator", ""):
        response = client.post(f"/indicators/links/{target.id}/", {"indicator": choice}, follow=True)
        assert response.status_code == 200
        assert "没有这个指标" in response.content.decode() or "请选择" in response.content.decode()
    assert not TargetLink.objects.filter(target=target).exists()
    assert not AuditEntry.objects.filter(action="link_indicator").exists()


@pytest.mark.parametrize("name", ["leader", "admin", "basic", "home", "school"])
def test_other_roles_cannot_confirm(page, plan, name):
    target = _target(plan, "教育集团")
    response = page(name).post(f"/indicators/links/{target.id}/", {"indicator": "compulsory_school_count"})
    assert response.status_code in (403, 404)
    assert not TargetLink.objects.exists()


def test_a_district_not_on_the_item_gets_nothing(page, plan):
    target = _target(plan, "教育集团")
    assert page("other").get(f"/tasks/{target.task_id}/").status_code == 404
    assert page("other").post(f"/indicators/links/{target.id}/", {"indicator": "none"}).status_code == 403


def test_candidate_indicators_are_named_without_raw_match_scores(page, plan):
    """Audit D21: the office saw "公办幼儿园在园幼儿数（0.89）"; a clerk reads names, not scores."""
    import re

    target = _target(plan, "公办幼儿园在园幼儿占比")
    html = page("office").get(f"/tasks/{target.task_id}/").content.decode()
    candidates = html.split('label="候选指标"', 1)[1].split("</optgroup>", 1)[0]
    assert "<option" in candidates and not re.search(r"（\d\.\d\d）", candidates)

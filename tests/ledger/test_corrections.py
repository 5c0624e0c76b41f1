"""Everything entered can be corrected, with its history: units withdrawn or transferred, targets edited,
deleted or added, reports corrected, withdrawn or filled in for a missed month, plans renamed, archived,
unpublished and deleted. Each change is audited with before and after, and each is refused, with the reason,
where it would lose reported work. Values are checked by their unit and meaning, and a wrong field is named
in the words its form shows."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from eduplan.ledger import services
from eduplan.ledger.models import Assignment, AuditEntry, Plan, ProgressReport, Target, Task


def _html(response) -> str:
    return response.content.decode()


@pytest.fixture
def share(signed_task, users) -> Target:
    """A percentage target on the signed item."""
    return services.save_target(
        users["office"],
        signed_task,
        None,
        {"indicator": "课后服务覆盖率", "comparator": ">=", "value": 90, "unit": "%"},
    )


@pytest.fixture
def reported(signed_task, users, share):
    return services.report(users["basic"], signed_task, progress="已完成一半", values={share.pk: 60})


# --- values checked by unit and meaning (audit D5, D21) ---------------------------------------------


@pytest.mark.parametrize("value", ["1000000000", "-5"])
def test_a_share_outside_0_100_is_refused_by_name_through_the_page(page, signed_task, share, value):
    response = page("basic").post(
        f"/tasks/{signed_task.pk}/report/", {"progress": "进展", f"target_{share.pk}": value}, follow=True
    )
    assert "“课后服务覆盖率”的当前值是百分比，须在 0–100 之间" in _html(response)
    assert not ProgressReport.objects.exists()


def test_a_share_outside_0_100_is_refused_through_the_api(api, signed_task, share):
    response = api("basic").post(
        f"/api/tasks/{signed_task.pk}/report/",
        {"progress": "进展", "values": {str(share.pk): 1e9}},
        format="json",
    )
    assert response.status_code == 400 and "课后服务覆盖率" in response.json()["detail"]
    assert not ProgressReport.objects.exists()


def test_a_negative_count_is_refused(api, signed_task):
    count = signed_task.targets.get(unit="个")
    response = api("basic").post(
        f"/api/tasks/{signed_task.pk}/report/",
        {"progress": "进展", "values": {str(count.pk): -5}},
        format="json",
    )
    assert response.status_code == 400 and "不能为负数" in response.json()["detail"]


def test_a_wrong_field_is_named_in_the_forms_words(page, signed_task, share):
    html = _html(
        page("basic").post(
            f"/tasks/{signed_task.pk}/report/",
            {"progress": "进展", f"target_{share.pk}": "六十"},
            follow=True,
        )
    )
    assert "课后服务覆盖率（当前值，%）：" in html and f"target_{share.pk}:" not in html


def test_a_range_whose_minimum_is_not_below_its_maximum_is_refused(page, signed_task):
    response = page("office").post(
        f"/tasks/{signed_task.pk}/targets/",
        {"indicator": "生师比", "comparator": "between", "value": 5, "value_max": 1, "unit": "比"},
        follow=True,
    )
    assert "“生师比”的区间下限（5）须小于上限（1）" in _html(response)
    assert not signed_task.targets.filter(indicator="生师比").exists()


def test_a_share_target_above_100_is_refused_through_the_api(api, share):
    response = api("office").patch(f"/api/targets/{share.pk}/", {"value": 150}, format="json")
    assert response.status_code == 400 and "0–100" in response.json()["detail"]
    share.refresh_from_db()
    assert share.value == 90


def test_an_increase_in_points_may_pass_100(page, signed_task):
    page("office").post(
        f"/tasks/{signed_task.pk}/targets/",
        {"indicator": "优秀率提高", "comparator": "+", "value": 120, "unit": "%"},
    )
    assert signed_task.targets.filter(indicator="优秀率提高").exists()


def test_a_long_title_is_refused_by_name_not_cut(page, task):
    title = "长" * 301
    html = _html(
        page("office").post(f"/tasks/{task.pk}/edit/", {"version": task.version, "title": title}, follow=True)
    )
    assert "标题：" in html and "300" in html
    task.refresh_from_db()
    assert task.title != title[:300]


# --- units: withdraw, transfer (audit D7) ------------------------------------------------------------


def test_a_unit_that_has_not_reported_can_be_withdrawn(page, signed_task):
    cooperating = signed_task.assignments.get(org__code="d1")
    page("office").post(f"/assignments/{cooperating.pk}/withdraw/")
    assert not signed_task.assignments.filter(org__code="d1").exists()
    entry = AuditEntry.objects.get(task=signed_task, action="unassign")
    assert entry.before["org"] == "江东区" and entry.after is None and entry.actor.username == "office"


def test_a_unit_that_has_reported_is_not_withdrawn_and_is_told_why(page, signed_task, reported):
    lead = signed_task.assignments.get(org__code="basic")
    html = _html(page("office").post(f"/assignments/{lead.pk}/withdraw/", follow=True))
    assert "基础教育处已报送 1 条进展" in html and "转办" in html
    assert signed_task.assignments.filter(pk=lead.pk).exists()


def test_transferring_the_lead_keeps_its_reports_and_asks_the_new_unit_to_sign(
    page, api, signed_task, reported, city
):
    lead = signed_task.assignments.get(org__code="basic")
    page("office").post(f"/assignments/{lead.pk}/transfer/", {"org": city["teachers"].pk})
    lead.refresh_from_db()
    assert (lead.org, lead.role, lead.status) == (
        city["teachers"],
        Assignment.Role.LEAD,
        Assignment.Status.PENDING,
    )
    assert ProgressReport.objects.filter(task=signed_task, org=city["basic"]).count() == 1
    entry = AuditEntry.objects.get(task=signed_task, action="transfer")
    assert (entry.before["org"], entry.after["org"]) == ("基础教育处", "教师工作处")
    response = api("office").post(
        f"/api/assignments/{lead.pk}/transfer/", {"org": city["d1"].pk}, format="json"
    )
    assert response.status_code == 400 and "已是此事项的责任单位" in response.json()["detail"]


def test_the_office_sees_transfer_and_withdraw_on_the_item(page, signed_task):
    html = _html(page("office").get(f"/tasks/{signed_task.pk}/"))
    assert html.count('class="inline transfer-form"') == 2 and html.count('class="inline withdraw-form"') == 2


# --- targets: edit, delete, add on a published item --------------------------------------------------


def test_a_target_nobody_reported_on_can_be_deleted_with_history(page, signed_task):
    target = signed_task.targets.get(unit="个")
    page("office").post(f"/tasks/{signed_task.pk}/targets/{target.pk}/delete/")
    assert not Target.objects.filter(pk=target.pk).exists()
    entry = AuditEntry.objects.get(task=signed_task, action="target-delete")
    assert entry.before["indicator"] == target.indicator


def test_a_target_with_reported_values_is_not_deleted(page, api, signed_task, share, reported):
    html = _html(page("office").post(f"/tasks/{signed_task.pk}/targets/{share.pk}/delete/", follow=True))
    assert "已有 1 条单位报送的数值" in html
    assert api("office").delete(f"/api/targets/{share.pk}/").status_code == 400
    assert Target.objects.filter(pk=share.pk).exists()


def test_the_edit_panel_edits_deletes_and_adds_targets(page, signed_task):
    html = _html(page("office").get(f"/tasks/{signed_task.pk}/"))
    assert (
        html.count('class="target-form inline"') == signed_task.targets.count()
        and 'class="target-add"' in html
    )


# --- reports: correct, withdraw, fill in a missed month (audit D5, D20) -------------------------------


def test_a_unit_corrects_its_report_and_the_audit_keeps_the_old_text(page, signed_task, share, reported):
    page("basic").post(
        f"/progress/{reported.pk}/correct/",
        {"progress": "已完成七成", f"target_{share.pk}": 70, "period": reported.period.strftime("%Y-%m")},
    )
    reported.refresh_from_db()
    assert reported.progress == "已完成七成" and reported.values.get().value == 70
    entry = AuditEntry.objects.get(task=signed_task, action="report-correct")
    assert (entry.before["progress"], entry.after["progress"]) == ("已完成一半", "已完成七成")
    assert entry.before["values"] == {"课后服务覆盖率": 60}


def test_a_correction_through_the_api_and_a_withdrawal(api, signed_task, reported):
    client = api("basic")
    assert (
        client.patch(f"/api/reports/{reported.pk}/", {"progress": "更正"}, format="json").status_code == 200
    )
    assert api("jiangdong").delete(f"/api/reports/{reported.pk}/").status_code in (403, 404)
    assert client.delete(f"/api/reports/{reported.pk}/").status_code == 204
    assert not ProgressReport.objects.exists()
    assert AuditEntry.objects.get(task=signed_task, action="report-withdraw").before["progress"] == "更正"


def test_a_withdrawn_report_through_the_page(page, signed_task, reported):
    page("basic").post(f"/progress/{reported.pk}/withdraw/")
    assert not ProgressReport.objects.filter(pk=reported.pk).exists()


def test_the_unit_sees_correct_and_withdraw_on_its_own_reports(page, signed_task, reported):
    assert 'class="correct-form"' in _html(page("basic").get(f"/tasks/{signed_task.pk}/"))
    assert 'class="correct-form"' not in _html(page("office").get(f"/tasks/{signed_task.pk}/"))


def test_a_missed_month_is_filled_in_and_a_future_one_refused(page, signed_task):
    basic = page("basic")
    last = (timezone.localdate().replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    basic.post(f"/tasks/{signed_task.pk}/report/", {"progress": "补报上月", "period": last.strftime("%Y-%m")})
    assert ProgressReport.objects.get().period == last
    future = (timezone.localdate().replace(day=28) + dt.timedelta(days=10)).strftime("%Y-%m")
    html = _html(
        basic.post(f"/tasks/{signed_task.pk}/report/", {"progress": "预报", "period": future}, follow=True)
    )
    assert "报送月份不能晚于本月" in html and ProgressReport.objects.count() == 1


def test_a_month_before_the_plans_year_is_refused(api, signed_task):
    year = signed_task.plan.year
    response = api("basic").post(
        f"/api/tasks/{signed_task.pk}/report/",
        {"progress": "x", "period": f"{year - 1}-06-01"},
        format="json",
    )
    assert response.status_code == 400 and "不能早于计划年度" in response.json()["detail"]


# --- plans: rename, archive, unpublish, delete (audit D7, D11) ---------------------------------------


def test_a_plan_is_renamed_with_history_and_a_long_name_refused(page, api, plan):
    page("office").post(
        f"/plans/{plan.pk}/rename/", {"title": "滨江市教育局2024年工作要点（定稿）", "year": 2024}
    )
    plan.refresh_from_db()
    assert plan.title == "滨江市教育局2024年工作要点（定稿）"
    entry = AuditEntry.objects.get(plan=plan, action="plan-rename")
    assert entry.after["title"] == plan.title and entry.before["title"] != plan.title
    html = _html(page("office").post(f"/plans/{plan.pk}/rename/", {"title": "长" * 201}, follow=True))
    assert "计划名称：" in html
    response = api("office").patch(f"/api/plans/{plan.pk}/", {"title": "长" * 201}, format="json")
    assert response.status_code == 400
    assert api("basic").patch(f"/api/plans/{plan.pk}/", {"title": "x"}, format="json").status_code == 403


def test_an_archived_plan_leaves_the_ledger_the_dashboard_and_the_reports(page, plan, task):
    office = page("office")
    assert task.title in _html(office.get("/"))
    office.post(f"/plans/{plan.pk}/archive/", {"archived": "1"})
    plan.refresh_from_db()
    assert plan.status == Plan.Status.ARCHIVED
    assert task.title not in _html(office.get("/"))
    assert plan.title not in _html(office.get("/reports/"))
    from eduplan.dashboard.figures import dashboard_tasks

    assert not dashboard_tasks(task.plan.created_by).exists()
    assert plan.title in _html(office.get("/plans/"))  # still there, to restore
    office.post(f"/plans/{plan.pk}/archive/", {"archived": "0"})
    assert task.title in _html(office.get("/"))


def test_unpublish_and_delete_are_refused_once_units_reported(page, api, plan, signed_task, reported):
    html = _html(page("office").post(f"/plans/{plan.pk}/unpublish/", follow=True))
    assert "不能撤回发布：已有 1 条进展报送" in html
    response = api("office").delete(f"/api/plans/{plan.pk}/")
    assert response.status_code == 400 and "可改为归档" in response.json()["detail"]
    plan.refresh_from_db()
    assert plan.status == Plan.Status.PUBLISHED


def test_a_plan_nothing_was_reported_on_is_unpublished_then_deleted(page, plan):
    office = page("office")
    office.post(f"/plans/{plan.pk}/unpublish/")
    plan.refresh_from_db()
    assert plan.status == Plan.Status.DRAFT and not plan.tasks.exclude(status=Task.Status.DRAFT).exists()
    office.post(f"/plans/{plan.pk}/delete/")
    assert not Plan.objects.filter(pk=plan.pk).exists()
    assert [e.action for e in AuditEntry.objects.filter(plan_id=plan.pk, task__isnull=True)][:2] == [
        "plan-delete",
        "unpublish",
    ]


def test_a_draft_is_deleted_through_the_api(api, draft_plan):
    assert api("basic").delete(f"/api/plans/{draft_plan.pk}/").status_code == 404  # units never see drafts
    assert api("office").delete(f"/api/plans/{draft_plan.pk}/").status_code == 204
    assert not Plan.objects.exists()


def test_the_plan_page_offers_rename_unpublish_archive_delete(page, plan):
    html = _html(page("office").get(f"/plans/{plan.pk}/"))
    assert all(f'id="{name}"' in html for name in ("plan-rename", "unpublish", "archive", "delete-plan"))


def test_a_units_cached_list_drops_an_item_it_was_withdrawn_from(page, plan, city, users):
    first, second = list(plan.tasks.order_by("position"))[:2]
    services.assign(users["office"], second, city["d1"], Assignment.Role.COOPERATE)  # the unit's newest entry
    jiangdong = page("jiangdong")
    assert first.title in _html(jiangdong.get("/"))  # cached with the newest entry of the unit's items
    services.withdraw_assignment(users["office"], first.assignments.get(org=city["d1"]))
    html = _html(jiangdong.get("/"))
    assert first.title not in html and second.title in html


def test_a_target_is_added_to_a_published_item_through_the_api(api, signed_task):
    response = api("office").post(
        f"/api/tasks/{signed_task.pk}/targets/",
        {"indicator": "普惠性幼儿园覆盖率", "comparator": ">=", "value": 92, "unit": "%"},
        format="json",
    )
    assert response.status_code == 201 and response.json()["value"] == 92
    assert AuditEntry.objects.filter(
        task=signed_task, action="target", after__indicator="普惠性幼儿园覆盖率"
    ).exists()
    refused = api("office").post(
        f"/api/tasks/{signed_task.pk}/targets/",
        {"indicator": "覆盖率", "comparator": ">=", "value": 192, "unit": "%"},
        format="json",
    )
    assert refused.status_code == 400 and "0–100" in refused.json()["detail"]


def test_an_archived_plan_urges_nobody(task, users):
    from django.core.management import call_command

    from eduplan.ledger.models import Notice

    Task.objects.filter(pk=task.pk).update(due_date=timezone.localdate() + dt.timedelta(days=7))
    services.archive_plan(users["office"], task.plan)
    call_command("remind", date=timezone.localdate().isoformat())
    assert not Notice.objects.filter(kind="due-7").exists()


def test_an_adjustment_with_a_word_for_a_value_is_refused_by_name(api, signed_task):
    target = signed_task.targets.order_by("id").first()
    response = api("basic").post(f"/api/tasks/{signed_task.pk}/request/", {
        "kind": "adjust", "reason": "调整", "target_changes": {str(target.pk): {"value": "十"}}}, format="json")
    assert response.status_code == 400 and target.indicator in response.json()["detail"]

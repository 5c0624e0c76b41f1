"""The supervision loop through the pages and the services: import, fix, publish, assign, sign, report,
request, review; plus the computed lights, reminders, conflicts and the audit trail."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone

from eduplan.ledger import services
from eduplan.ledger.lights import light
from eduplan.ledger.models import AuditEntry, Notice, Plan, Request, Task
from eduplan.ledger.services import Conflict, Invalid


def test_import_builds_a_draft_with_targets_and_source(draft_plan):
    assert draft_plan.status == Plan.Status.DRAFT
    tasks = list(draft_plan.tasks.order_by("position"))
    assert [t.title for t in tasks][:2] == ["增加普惠学位", "提升保教质量"]
    assert tasks[0].section == "扩大优质教育资源 / 学前教育"
    assert {t.unit for t in tasks[0].targets.all()} >= {"所", "个"}
    assert "新增学位3600个" in draft_plan.source_text
    assert draft_plan.parse_json["documents"]


def test_draft_page_highlights_targets_and_publish_opens_the_ledger(page, draft_plan):
    office = page("office")
    html = office.get(f"/plans/{draft_plan.pk}/").content.decode()
    assert "<mark>" in html
    assert office.post(f"/plans/{draft_plan.pk}/publish/").status_code == 302
    assert not draft_plan.tasks.exclude(status=Task.Status.ACTIVE).exists()
    assert "增加普惠学位" in office.get("/").content.decode()


def test_upload_through_the_page_then_fix_split_merge_and_add_targets(page, plan_text):
    office = page("office")
    response = office.post("/plans/import/", {"file": SimpleUploadedFile("plan.txt", plan_text.encode())})
    assert response.status_code == 302
    plan = Plan.objects.get()
    first = plan.tasks.order_by("position").first()
    office.post(f"/tasks/{first.pk}/edit/", {"version": first.version, "title": "增加普惠性学位",
                                             "content": first.content, "section": first.section})
    first.refresh_from_db()
    assert first.title == "增加普惠性学位"
    target = first.targets.first()
    office.post(f"/tasks/{first.pk}/targets/{target.pk}/", {"indicator": target.indicator, "comparator": ">=",
                                                           "value": 15, "unit": "所"})
    target.refresh_from_db()
    assert (target.comparator, target.value) == (">=", 15)
    office.post(f"/tasks/{first.pk}/targets/", {"indicator": "普惠性幼儿园覆盖率", "comparator": ">=", "value": 90,
                                                "unit": "%"})
    assert first.targets.count() == 3
    count = plan.tasks.count()
    office.post(f"/tasks/{first.pk}/split/", {"at": first.content.index("年内")})
    assert plan.tasks.count() == count + 1
    office.post(f"/tasks/{first.pk}/merge/")
    assert plan.tasks.count() == count
    assert {e.action for e in AuditEntry.objects.filter(task=first)} >= {"edit", "target", "split", "merge"}


def test_the_whole_loop(page, task, users, city):
    office, basic = page("office"), page("basic")
    lead = task.assignments.get(org__code="basic")
    assert basic.post(f"/assignments/{lead.pk}/sign/").status_code == 302
    target = task.targets.first()
    response = basic.post(f"/tasks/{task.pk}/report/", {"progress": "已开工8所", "next_steps": "加快建设",
                                                        "problems": "用地紧张", f"target_{target.pk}": 8})
    assert response.status_code == 302
    report = task.reports.get()
    assert report.values.get().value == 8
    old_due = task.due_date
    new_due = old_due + dt.timedelta(days=30)
    basic.post(f"/tasks/{task.pk}/request/", {"kind": "extend", "reason": "用地审批延迟",
                                              "new_due_date": new_due.isoformat()})
    task.refresh_from_db()
    assert task.status == Task.Status.REVIEWING
    extension = task.requests.get()
    office.post(f"/requests/{extension.pk}/review/", {"decision": "approve"})
    task.refresh_from_db()
    assert (task.status, task.due_date, task.extension_count) == (Task.Status.ACTIVE, new_due, 1)
    basic.post(f"/tasks/{task.pk}/request/", {"kind": "close", "reason": "全部建成"})
    closing = task.requests.get(kind="close")
    response = office.post(f"/requests/{closing.pk}/review/", {"decision": "return"})  # a return needs a reason
    closing.refresh_from_db()
    assert closing.status == Request.Status.PENDING
    office.post(f"/requests/{closing.pk}/review/", {"decision": "return", "note": "缺验收材料"})
    task.refresh_from_db()
    assert task.status == Task.Status.ACTIVE  # the state before the request, restored
    basic.post(f"/tasks/{task.pk}/request/", {"kind": "close", "reason": "已补验收材料"})
    office.post(f"/requests/{task.requests.get(kind='close', status='pending').pk}/review/", {"decision": "approve"})
    task.refresh_from_db()
    assert task.status == Task.Status.CLOSED
    html = basic.get(f"/tasks/{task.pk}/").content.decode()
    assert "缺验收材料" in html and "已办结" in html
    assert Notice.objects.filter(recipient=users["basic"], kind="review").count() == 3


def test_a_returned_request_restores_the_state_before_it(signed_task, users):
    before = services.snapshot(signed_task)
    request = services.file_request(users["basic"], signed_task, Request.Kind.ADJUST, "范围调整",
                                    new_content="调整后的内容")
    services.review(users["office"], request, approve=False, note="不同意调整")
    signed_task.refresh_from_db()
    assert services.snapshot(signed_task) == before


def test_request_on_a_closed_item_is_refused_with_a_message(page, signed_task, users):
    request = services.file_request(users["basic"], signed_task, Request.Kind.CLOSE, "完成")
    services.review(users["office"], request, approve=True)
    response = page("basic").post(f"/tasks/{signed_task.pk}/request/", {"kind": "extend", "reason": "再延",
                                                                       "new_due_date": "2099-01-01"},
                                  follow=True)
    assert "已办结，不能再提出申请" in response.content.decode()
    assert signed_task.requests.count() == 1


def test_stale_edit_gets_a_conflict_message_and_nothing_is_lost(page, task, users):
    version = task.version
    office = page("office")
    office.post(f"/tasks/{task.pk}/edit/", {"version": version, "title": "第一位编辑的标题"})
    response = office.post(f"/tasks/{task.pk}/edit/", {"version": version, "title": "第二位编辑的标题"}, follow=True)
    assert "已被他人修改" in response.content.decode()
    task.refresh_from_db()
    assert task.title == "第一位编辑的标题"
    with pytest.raises(Conflict):
        services.edit_task(users["office"], task, {"title": "x"}, version)


def test_api_conflict_is_409(api, task):
    client = api("office")
    assert client.patch(f"/api/tasks/{task.pk}/", {"version": task.version, "title": "一"},
                        format="json").status_code == 200
    response = client.patch(f"/api/tasks/{task.pk}/", {"version": task.version, "title": "二"}, format="json")
    assert response.status_code == 409 and "已被他人修改" in response.json()["detail"]


def test_lights_are_computed(signed_task, users):
    today = timezone.localdate()
    signed_task.due_date = today - dt.timedelta(days=1)
    assert light(signed_task, today, today.replace(day=1)) == "red"
    signed_task.due_date = today + dt.timedelta(days=3)
    assert light(signed_task, today, today.replace(day=1)) == "yellow"
    signed_task.due_date = today + dt.timedelta(days=60)
    assert light(signed_task, today, None) == "yellow"  # missing report
    assert light(signed_task, today, today.replace(day=1)) == "green"
    signed_task.status = Task.Status.CLOSED
    assert light(signed_task, today, None) == "grey"


def test_reminders_7_and_3_days_before_daily_overdue_and_a_digest(task, users):
    today = timezone.localdate()
    Task.objects.filter(pk=task.pk).update(due_date=today + dt.timedelta(days=7))
    call_command("remind", date=today.isoformat())
    assert Notice.objects.filter(kind="due-7", recipient=users["basic"]).count() == 1
    call_command("remind", date=today.isoformat())  # the same day twice sends nothing twice
    assert Notice.objects.filter(kind="due-7", recipient=users["basic"]).count() == 1
    call_command("remind", date=(today + dt.timedelta(days=4)).isoformat())
    assert Notice.objects.filter(kind="due-3").count() == 2  # basic and jiangdong
    call_command("remind", date=(today + dt.timedelta(days=9)).isoformat())
    assert Notice.objects.filter(kind="overdue", recipient=users["jiangdong"]).exists()
    assert Notice.objects.filter(kind="digest", recipient=users["leader"]).count() == 3
    assert any("督办" in message.subject or "提醒" in message.body for message in mail.outbox)


def test_urge_sends_in_app_and_email(page, task, users):
    page("office").post(f"/tasks/{task.pk}/urge/", {"text": "请本周内报送"})
    assert Notice.objects.filter(kind="urge", recipient=users["basic"]).exists()
    assert any("basic@example.test" in message.to for message in mail.outbox)


def test_invalid_requests_get_messages(signed_task, users):
    with pytest.raises(Invalid, match="晚于原时限"):
        services.file_request(users["basic"], signed_task, Request.Kind.EXTEND, "延", new_due_date=None)
    with pytest.raises(Invalid, match="理由"):
        services.file_request(users["basic"], signed_task, Request.Kind.CLOSE, " ")

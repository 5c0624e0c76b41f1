"""Every change is a transition from the state it was decided on: an edit keeps what it does not change, a
review applies its request to the item as it is now, the second of two actions on one row is told
已被他人处理 and changes nothing; an approved 延期 or 调整 changes the targets it names."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from eduplan.ledger import services
from eduplan.ledger.models import Assignment, AuditEntry, ProgressReport, Request, Task

TAKEN = "已被他人处理"


def _html(response) -> str:
    return response.content.decode()


# --- 编辑 keeps the 完成时限 (audit D1) ----------------------------------------------------------------


def test_the_edit_form_shows_the_due_date_as_the_date_box_reads_it(page, task):
    html = _html(page("office").get(f"/tasks/{task.pk}/"))
    assert f'name="due_date" value="{task.due_date.isoformat()}"' in html
    assert task.due_date.strftime("%Y/%m/%d") not in html


def test_saving_a_title_change_through_the_edit_form_keeps_the_due_date(page, task):
    office, due = page("office"), task.due_date
    html = _html(office.get(f"/tasks/{task.pk}/"))
    start = html.index('id="edit-form"')
    form = html[start : html.index("</form>", start)]
    value = form[form.index('name="due_date" value="') + len('name="due_date" value="') :]
    posted = {
        "version": task.version,
        "title": "改过的标题",
        "section": task.section,
        "content": task.content,
        "due_date": value[: value.index('"')],
    }
    assert office.post(f"/tasks/{task.pk}/edit/", posted).status_code == 302
    task.refresh_from_db()
    assert (task.title, task.due_date) == ("改过的标题", due)


def test_a_blank_due_date_keeps_the_date_and_says_so(page, task):
    due = task.due_date
    response = page("office").post(
        f"/tasks/{task.pk}/edit/", {"version": task.version, "title": "新标题", "due_date": ""}, follow=True
    )
    task.refresh_from_db()
    assert (task.title, task.due_date) == ("新标题", due)
    assert f"已保留原时限 {due.isoformat()}" in _html(response)


def test_the_api_refuses_to_clear_a_due_date(api, task):
    response = api("office").patch(
        f"/api/tasks/{task.pk}/", {"version": task.version, "due_date": None}, format="json"
    )
    assert response.status_code == 400 and "完成时限不能清空" in response.json()["detail"]
    task.refresh_from_db()
    assert task.due_date is not None


# --- a review applies the request to the item as it is now (security M2) --------------------------


def _pending(signed_task, users, kind=Request.Kind.EXTEND, **extra) -> Request:
    if kind == Request.Kind.EXTEND and "new_due_date" not in extra:
        extra["new_due_date"] = signed_task.due_date + dt.timedelta(days=90)
    return services.file_request(users["basic"], signed_task, kind, "理由", **extra)


def test_approving_keeps_the_offices_edits_made_while_the_request_waited(page, signed_task, users):
    request = _pending(signed_task, users)
    signed_task.refresh_from_db()
    office = page("office")
    office.post(
        f"/tasks/{signed_task.pk}/edit/",
        {
            "version": signed_task.version,
            "title": signed_task.title,
            "content": "督查室审核期间改的内容",
            "due_date": signed_task.due_date.isoformat(),
        },
    )
    office.post(f"/requests/{request.pk}/review/", {"decision": "approve"})
    signed_task.refresh_from_db()
    assert signed_task.content == "督查室审核期间改的内容"
    assert (signed_task.due_date, signed_task.status) == (request.new_due_date, Task.Status.ACTIVE)


def test_returning_keeps_the_offices_edits_too(api, signed_task, users):
    request = _pending(signed_task, users, Request.Kind.ADJUST, new_content="单位想改的内容")
    signed_task.refresh_from_db()
    office = api("office")
    assert (
        office.patch(
            f"/api/tasks/{signed_task.pk}/",
            {"version": signed_task.version, "content": "督查室的修改"},
            format="json",
        ).status_code
        == 200
    )
    assert (
        office.post(
            f"/api/requests/{request.pk}/review/", {"approve": False, "note": "不同意"}, format="json"
        ).status_code
        == 200
    )
    signed_task.refresh_from_db()
    assert (signed_task.content, signed_task.status) == ("督查室的修改", Task.Status.ACTIVE)


# --- one winner per request (security M1, L1) -------------------------------------------------------


def test_a_second_review_of_the_same_request_is_told_it_was_taken_and_changes_nothing(
    page, signed_task, users
):
    request = _pending(signed_task, users, Request.Kind.CLOSE)
    office = page("office")
    office.post(f"/requests/{request.pk}/review/", {"decision": "return", "note": "缺材料"})
    signed_task.refresh_from_db()
    entries = AuditEntry.objects.count()
    response = office.post(f"/requests/{request.pk}/review/", {"decision": "approve"}, follow=True)
    assert TAKEN in _html(response)
    request.refresh_from_db()
    signed_task.refresh_from_db()
    assert (request.status, signed_task.status) == (Request.Status.RETURNED, Task.Status.ACTIVE)
    assert not signed_task.assignments.filter(status=Assignment.Status.DONE).exists()
    assert AuditEntry.objects.count() == entries


def test_a_second_review_through_the_api_is_409(api, signed_task, users):
    request = _pending(signed_task, users, Request.Kind.CLOSE)
    office = api("office")
    assert (
        office.post(f"/api/requests/{request.pk}/review/", {"approve": True}, format="json").status_code
        == 200
    )
    response = office.post(
        f"/api/requests/{request.pk}/review/", {"approve": False, "note": "晚了"}, format="json"
    )
    assert response.status_code == 409 and TAKEN in response.json()["detail"]
    request.refresh_from_db()
    assert request.status == Request.Status.APPROVED


def test_a_review_decided_on_a_stale_copy_is_refused(signed_task, users):
    request = _pending(signed_task, users, Request.Kind.CLOSE)
    stale = Request.objects.get(pk=request.pk)
    services.review(users["office"], request, approve=True)
    with pytest.raises(services.Conflict, match=TAKEN):
        services.review(users["office"], stale, approve=False, note="退回")


def test_an_assignment_decided_on_an_old_version_of_the_item_is_refused(page, task, city):
    version = task.version
    office = page("office")
    office.post(
        f"/tasks/{task.pk}/assign/", {"org": city["teachers"].pk, "role": "cooperate", "version": version}
    )
    response = office.post(
        f"/tasks/{task.pk}/assign/",
        {"org": city["d2"].pk, "role": "cooperate", "version": version},
        follow=True,
    )
    assert TAKEN in _html(response)
    assert not task.assignments.filter(org=city["d2"]).exists()


def test_the_assign_form_carries_the_items_version(page, task):
    html = _html(page("office").get(f"/tasks/{task.pk}/"))
    start = html.index('id="assign-form"')
    assert f'name="version" value="{task.version}"' in html[start : html.index("</form>", start)]


# --- an approved 延期 or 调整 changes the targets it names (audit D8) ---------------------------------


def test_an_approved_extension_moves_the_ticked_targets_and_the_lead_units_deadline(page, signed_task, users):
    first, second = signed_task.targets.order_by("id")[:2]
    new_due = signed_task.due_date + dt.timedelta(days=120)
    page("basic").post(
        f"/tasks/{signed_task.pk}/request/",
        {
            "kind": "extend",
            "reason": "用地审批延迟",
            "new_due_date": new_due.isoformat(),
            "extend_targets": [str(first.pk)],
        },
    )
    request = signed_task.requests.get()
    assert request.target_changes == {str(first.pk): {"deadline": new_due.isoformat()}}
    page("office").post(f"/requests/{request.pk}/review/", {"decision": "approve"})
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.deadline, second.deadline) == (new_due, None)
    assert signed_task.assignments.get(role=Assignment.Role.LEAD).due_date == new_due
    assert AuditEntry.objects.filter(
        task=signed_task, action="target", after__deadline=new_due.isoformat()
    ).exists()


def test_the_request_form_offers_each_target(page, signed_task):
    html = _html(page("basic").get(f"/tasks/{signed_task.pk}/"))
    for target in signed_task.targets.all():
        assert f'name="extend_targets" value="{target.pk}"' in html and f'name="adjust_{target.pk}"' in html


def test_an_approved_adjustment_sets_the_target_values_it_names(page, api, signed_task, users):
    first, second = signed_task.targets.order_by("id")[:2]
    page("basic").post(
        f"/tasks/{signed_task.pk}/request/",
        {
            "kind": "adjust",
            "reason": "规划调整",
            "new_content": "新建、改扩建公办幼儿园10所，新增学位3000个",
            f"adjust_{first.pk}": "10",
            f"adjust_{second.pk}": "3000",
        },
    )
    request = signed_task.requests.get()
    html = _html(page("office").get(f"/tasks/{signed_task.pk}/"))
    assert f"{first.indicator}：12所 → 10所" in html  # the reviewer reads what approving changes
    response = api("office").post(f"/api/requests/{request.pk}/review/", {"approve": True}, format="json")
    assert response.status_code == 200
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.value, second.value) == (10, 3000)
    signed_task.refresh_from_db()
    assert signed_task.content == "新建、改扩建公办幼儿园10所，新增学位3000个"


def test_an_adjustment_through_the_api_names_its_targets(api, signed_task):
    target = signed_task.targets.order_by("id").first()
    response = api("basic").post(
        f"/api/tasks/{signed_task.pk}/request/",
        {
            "kind": "adjust",
            "reason": "调整",
            "new_content": "",
            "target_changes": {str(target.pk): {"value": 9}},
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    services.review(services.User.objects.get(username="office"), Request.objects.get(), approve=True)
    target.refresh_from_db()
    assert target.value == 9


# --- an upload's file is stored only with its row (security M3) ------------------------------------


def test_a_report_that_fails_after_its_file_was_stored_leaves_no_file(
    signed_task, users, settings, monkeypatch
):
    target = signed_task.targets.first()

    def locked(*args, **kwargs):
        raise services.Invalid(
            "database is locked"
        )  # what SQLite raised under load, after the file was written

    monkeypatch.setattr(services.TargetValue.objects, "bulk_create", locked)
    upload = SimpleUploadedFile("evidence.pdf", b"%PDF-1.4 evidence")
    with pytest.raises(services.Invalid):
        services.report(
            users["basic"], signed_task, progress="进展", attachment=upload, values={target.pk: 5}
        )
    stored = [path for path in settings.MEDIA_ROOT.rglob("*") if path.is_file()]
    assert not ProgressReport.objects.exists() and stored == []


def test_a_second_signature_on_one_assignment_is_told_it_was_taken(api, task, users):
    lead = task.assignments.get(org__code="basic")
    stale = Assignment.objects.get(pk=lead.pk)
    services.sign(users["basic"], lead)
    with pytest.raises(services.Conflict, match=TAKEN):
        services.sign(users["basic"], stale)
    response = api("basic").post(f"/api/assignments/{lead.pk}/sign/")
    assert response.status_code == 409 and TAKEN in response.json()["detail"]

"""One test per policy rule, each trying the forbidden action through the page and through the API.

Refused means 403 (not allowed) or 404 (not even visible); never a change in the data.
"""

from __future__ import annotations

import pytest

from eduplan.ledger import services
from eduplan.ledger.models import Assignment, AuditEntry, Request, Task

REFUSED = (403, 404)


def _unchanged(task: Task, before: int):
    task.refresh_from_db()
    assert task.version == before


def test_leader_reads_all_but_cannot_edit(page, api, task):
    assert page("leader").get(f"/tasks/{task.pk}/").status_code == 200
    response = page("leader").post(f"/tasks/{task.pk}/edit/", {"version": task.version, "title": "改"})
    assert response.status_code == 403
    assert api("leader").patch(f"/api/tasks/{task.pk}/", {"version": task.version, "title": "改"},
                               format="json").status_code == 403
    _unchanged(task, task.version)


def test_department_cannot_sign_for_another_unit(page, api, task):
    district_row = task.assignments.get(org__code="d1")
    assert page("basic").post(f"/assignments/{district_row.pk}/sign/").status_code in REFUSED
    assert api("basic").post(f"/api/assignments/{district_row.pk}/sign/").status_code in REFUSED
    district_row.refresh_from_db()
    assert district_row.status == Assignment.Status.PENDING


def test_district_sees_nothing_of_other_districts(page, api, plan):
    other = plan.tasks.get(assignments__org__code="d2")
    assert page("jiangdong").get(f"/tasks/{other.pk}/").status_code == 404
    assert api("jiangdong").get(f"/api/tasks/{other.pk}/").status_code == 404
    listed = api("jiangdong").get("/api/tasks/").json()["results"]
    assert other.pk not in {row["id"] for row in listed}
    assert other.title not in page("jiangdong").get("/").content.decode()


def test_department_cannot_touch_items_not_assigned_to_it(page, api, plan):
    other = plan.tasks.get(assignments__org__code="d2")
    assert page("teachers").post(f"/tasks/{other.pk}/report/", {"progress": "x"}).status_code in REFUSED
    assert api("teachers").post(f"/api/tasks/{other.pk}/report/", {"progress": "x"},
                                format="json").status_code in REFUSED
    assert not other.reports.exists()


def test_school_sees_only_its_own_schools_items_not_its_districts(page, api, signed_task, city):
    """Audit L5: the school read its whole district's items (reports, problems, evidence, trail)."""
    assert signed_task.assignments.filter(org=city["d1"]).exists()  # its district's item
    assert page("school").get(f"/tasks/{signed_task.pk}/").status_code == 404
    assert api("school").get(f"/api/tasks/{signed_task.pk}/").status_code == 404
    assert signed_task.title not in page("school").get("/").content.decode()
    assert api("school").get("/api/tasks/").json()["count"] == 0
    from eduplan.ledger.models import Assignment

    Assignment.objects.create(task=signed_task, org=city["s1"], role=Assignment.Role.COOPERATE)
    assert page("school").get(f"/tasks/{signed_task.pk}/").status_code == 200  # given to the school itself


def test_school_is_read_only(page, api, signed_task, city):
    from eduplan.ledger.models import Assignment

    Assignment.objects.create(task=signed_task, org=city["s1"], role=Assignment.Role.COOPERATE)
    assert page("school").get(f"/tasks/{signed_task.pk}/").status_code == 200
    assert page("school").post(f"/tasks/{signed_task.pk}/report/", {"progress": "x"}).status_code == 403
    assert api("school").post(f"/api/tasks/{signed_task.pk}/report/", {"progress": "x"},
                              format="json").status_code == 403
    assert not signed_task.reports.exists()


def test_unsigned_unit_cannot_report(page, api, task):
    assert page("basic").post(f"/tasks/{task.pk}/report/", {"progress": "x"}).status_code == 403
    assert api("basic").post(f"/api/tasks/{task.pk}/report/", {"progress": "x"}, format="json").status_code == 403


def test_cooperating_unit_cannot_file_requests(page, api, signed_task, users):
    services.sign(users["jiangdong"], signed_task.assignments.get(org__code="d1"))
    data = {"kind": "close", "reason": "已完成"}
    assert page("jiangdong").post(f"/tasks/{signed_task.pk}/request/", data).status_code == 403
    assert api("jiangdong").post(f"/api/tasks/{signed_task.pk}/request/", data, format="json").status_code == 403
    assert not signed_task.requests.exists()


def test_units_cannot_review_requests(page, api, signed_task, users):
    request = services.file_request(users["basic"], signed_task, Request.Kind.CLOSE, "已完成")
    response = page("basic").post(f"/requests/{request.pk}/review/", {"decision": "approve"})
    assert response.status_code == 403
    assert api("basic").post(f"/api/requests/{request.pk}/review/", {"approve": True},
                             format="json").status_code == 403
    assert page("leader").post(f"/requests/{request.pk}/review/", {"decision": "approve"}).status_code == 403
    request.refresh_from_db()
    assert request.status == Request.Status.PENDING


def test_only_the_office_assigns(page, api, task, city):
    data = {"org": city["teachers"].pk, "role": "cooperate"}
    assert page("basic").post(f"/tasks/{task.pk}/assign/", data).status_code == 403
    assert api("leader").post(f"/api/tasks/{task.pk}/assign/", data, format="json").status_code == 403
    assert not task.assignments.filter(org=city["teachers"]).exists()


def test_only_the_office_urges(page, api, task):
    assert page("basic").post(f"/tasks/{task.pk}/urge/").status_code == 403
    assert api("jiangdong").post(f"/api/tasks/{task.pk}/urge/", {}, format="json").status_code == 403


def test_only_the_office_imports_plans(page, api, users):
    assert page("basic").get("/plans/import/").status_code == 403
    assert page("leader").get("/import-ledger/").status_code == 403


def test_units_never_see_drafts(page, api, draft_plan):
    draft = draft_plan.tasks.first()
    assert page("basic").get(f"/tasks/{draft.pk}/").status_code == 404
    assert api("basic").get(f"/api/tasks/{draft.pk}/").status_code == 404


def test_anonymous_gets_nothing(client, api, task):
    assert client.get("/").status_code == 302
    assert client.get(f"/api/tasks/{task.pk}/").status_code == 401


@pytest.mark.parametrize("name", ["leader", "basic", "jiangdong"])
def test_only_leaders_and_office_comment(page, task, name):
    response = page(name).post(f"/tasks/{task.pk}/comment/", {"text": "请加快进度"})
    assert (response.status_code == 302) == (name == "leader")


def test_audit_entries_are_never_edited(task):
    entry = AuditEntry.objects.filter(task=task).first()
    entry.action = "forged"
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        AuditEntry.objects.filter(task=task).update(action="forged")
    with pytest.raises(PermissionError):
        entry.delete()


def test_a_district_reading_a_plan_sees_only_its_own_items_and_no_source(page, plan):
    html = page("jiangbei").get(f"/plans/{plan.pk}/").content.decode()
    assert "提升保教质量" in html  # its own item
    assert "增加普惠学位" not in html and "<mark>" not in html


def test_only_the_office_adds_milestones(page, task):
    data = {"title": "完成选址", "due_date": "2030-03-31"}
    assert page("basic").post(f"/tasks/{task.pk}/milestones/", data).status_code in REFUSED
    assert page("office").post(f"/tasks/{task.pk}/milestones/", data).status_code == 302
    assert task.milestones.get().title == "完成选址"

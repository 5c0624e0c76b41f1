"""The loop through the REST API with tokens: the same services and the same policy as the pages."""

from __future__ import annotations

import datetime as dt

from eduplan.ledger.models import Task


def test_the_loop_through_the_api(api, task, city):
    office, basic = api("office"), api("basic")
    response = office.post(f"/api/tasks/{task.pk}/assign/", {"org": city["teachers"].pk, "role": "cooperate"},
                           format="json")
    assert response.status_code == 201
    lead = next(a for a in basic.get(f"/api/tasks/{task.pk}/").json()["assignments"] if a["org_name"] == "基础教育处")
    assert basic.post(f"/api/assignments/{lead['id']}/sign/").json()["status"] == "signed"
    target = task.targets.first()
    response = basic.post(f"/api/tasks/{task.pk}/report/", {"progress": "已开工", "values": {str(target.pk): 5}},
                          format="json")
    assert response.status_code == 201
    assert task.reports.get().values.get().value == 5
    new_due = (task.due_date + dt.timedelta(days=30)).isoformat()
    request = basic.post(f"/api/tasks/{task.pk}/request/", {"kind": "extend", "reason": "征地", "new_due_date": new_due},
                         format="json").json()
    reviewed = office.post(f"/api/requests/{request['id']}/review/", {"approve": True}, format="json").json()
    assert reviewed["status"] == "approved"
    closing = basic.post(f"/api/tasks/{task.pk}/request/", {"kind": "close", "reason": "完成"}, format="json").json()
    office.post(f"/api/requests/{closing['id']}/review/", {"approve": True}, format="json")
    task.refresh_from_db()
    assert (task.status, task.due_date.isoformat(), task.extension_count) == (Task.Status.CLOSED, new_due, 1)
    response = basic.post(f"/api/tasks/{task.pk}/request/", {"kind": "extend", "reason": "再延",
                                                             "new_due_date": "2099-01-01"}, format="json")
    assert response.status_code == 400 and "不能再提出申请" in response.json()["detail"]


def test_every_operation_declares_its_refusals_and_its_success(api, users):
    """Audit L (schemathesis ST103): 400/403/404/409 answers the schema did not declare, 201s declared as 200."""
    paths = api("office").get("/api/schema/?format=json").json()["paths"]
    assert "/api/schema/" not in paths  # the schema's own knobs are no part of the API
    for path, operations in paths.items():
        for method, operation in operations.items():
            codes = set(operation["responses"])
            assert {"401", "403"} <= codes, (method, path)
            if "{id}" in path:
                assert "404" in codes, (method, path)
            if method != "get":
                assert {"400", "409"} <= codes, (method, path)
    for action in ("assign", "report", "request", "targets"):
        assert "201" in paths[f"/api/tasks/{{id}}/{action}/"]["post"]["responses"], action


def test_an_empty_page_number_is_refused_as_any_other_that_is_not_one(api, plan):
    assert api("office").get("/api/tasks/?page=").status_code == 404
    assert api("office").get("/api/tasks/?page=x").status_code == 404
    assert api("office").get("/api/tasks/?page=1").status_code == 200

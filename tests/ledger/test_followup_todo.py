"""我的待办 (issue 17, item 1): each role's sections with counts and links, the nav badge, the office panel,
and the warning when an item is given to a unit nobody can log in for."""

from __future__ import annotations

import datetime as dt
import re

from django.urls import reverse
from django.utils import timezone

from eduplan.followup import todo
from eduplan.ledger import services
from eduplan.ledger.models import Assignment, Notice, Org, ProgressReport, Request

TODO = "/todo/"


def counts(user) -> dict[str, int]:
    return {s.key: s.count for s in todo.visible(todo.sections_for(user, timezone.localdate()), user)}


def test_a_department_signs_then_reports_from_its_todo(page, task, users):
    basic = users["basic"]
    assert counts(basic) == {"sign": 1, "report": 0, "catch_up": 0, "returned": 0, "instructions": 0}
    body = page("basic").get(TODO).content.decode()
    assert "待签收 <strong>1</strong>" in body and reverse("ledger:task", args=[task.pk]) in body
    assert task.title in body
    services.sign(basic, task.assignments.get(org=basic.org))
    assert counts(basic)["sign"] == 0 and counts(basic)["report"] == 1
    services.report(basic, task, progress="按计划推进")
    assert counts(basic)["report"] == 0
    assert 'id="nav-todo-count"' not in page("basic").get("/").content.decode()


def badge(client, path="/") -> str:
    found = re.search(r'<span id="nav-todo-count">\((\d+)\)</span>', client.get(path).content.decode())
    return found.group(1) if found else ""


def test_the_nav_counts_what_the_user_must_do_on_every_page(page, task, users):
    basic = page("basic")
    assert badge(basic) == "1" and badge(basic, TODO) == "1" and badge(basic, f"/tasks/{task.pk}/") == "1"
    assert badge(page("jiangbei")) == "1"  # item 2, led by 江北区
    services.sign(users["basic"], task.assignments.get(org=users["basic"].org))
    assert badge(basic) == "1"  # now to report: the cached page header moved with the count
    services.report(users["basic"], task, progress="按计划推进")
    assert badge(basic) == "" and badge(basic, f"/tasks/{task.pk}/") == ""


def test_the_badge_is_the_pages_actionable_count(signed_task, users):
    today = timezone.localdate()
    services.file_request(users["basic"], signed_task, Request.Kind.CLOSE, "已完成")
    for name in ("leader", "office", "basic", "jiangdong", "jiangbei", "school", "admin"):
        user = users[name]
        assert todo.badge_count(user, today) == todo.action_count(
            todo.visible(todo.sections_for(user, today), user)
        ), name


def test_a_cooperating_district_sees_only_its_own_items(task, users):
    rows = todo.sections_for(users["jiangdong"], timezone.localdate())[0].rows
    assert [row.task.pk for row in rows] == [task.pk] and rows[0].unit == "江东区"


def test_catch_up_after_a_missed_month_but_not_in_the_first_month(signed_task, users):
    basic, today = users["basic"], timezone.localdate()
    assert counts(basic)["catch_up"] == 0  # signed this month: a grace month
    last_month = (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    Assignment.objects.filter(task=signed_task, org=basic.org).update(
        signed_at=timezone.now() - dt.timedelta(days=70)
    )
    assert counts(basic)["catch_up"] == 1
    services.report(basic, signed_task, progress="补报上月进展", period=last_month)
    assert counts(basic)["catch_up"] == 0
    assert ProgressReport.objects.filter(period=last_month).count() == 1


def test_the_office_reviews_and_the_unit_sees_a_return(page, signed_task, users):
    services.file_request(users["basic"], signed_task, Request.Kind.CLOSE, "已完成")
    assert counts(users["office"])["review"] == 1
    assert badge(page("office"), TODO) == "1"
    request = Request.objects.get()
    services.review(users["office"], request, approve=False, note="佐证不足")
    assert counts(users["office"])["review"] == 0
    body = page("basic").get(TODO).content.decode()
    assert "被退回 <strong>1</strong>" in body and "佐证不足" in body
    services.file_request(users["basic"], signed_task, Request.Kind.CLOSE, "补充佐证后再次申请")
    assert counts(users["basic"])["returned"] == 0  # a newer request replaces the returned one


def test_the_office_panel_on_the_dashboard(page, task, users):
    panel = page("office").get("/todo/panel/").content.decode()
    assert "督查室待办" in panel and "单位未签收 <strong>3</strong>" in panel
    assert 'hx-get="/todo/panel/"' in page("office").get("/dashboard/").content.decode()


def test_every_role_gets_a_page_and_anonymous_the_login(page, task, users, client):
    for name in ("leader", "office", "basic", "jiangdong", "school", "admin"):
        assert page(name).get(TODO).status_code == 200
    assert "学校查看本区县承办的事项" in page("school").get(TODO).content.decode()
    assert client.get(TODO).status_code == 302


def test_assigning_a_unit_without_accounts_warns_the_office(page, plan, users, city):
    nobody = Org.objects.create(
        kind=Org.Kind.DEPARTMENT, code="pre", name="学前教育处", parent=city["bureau"]
    )
    third = plan.tasks.order_by("position")[2]
    response = page("office").post(
        f"/tasks/{third.pk}/assign/", {"org": nobody.pk, "role": "lead"}, follow=True
    )
    body = response.content.decode()
    assert "已交办" in body and "“学前教育处”还没有可登录的用户账号" in body
    assert "承办单位无账号 <strong>1</strong>" in page("office").get(TODO).content.decode()
    response = page("office").post(
        f"/tasks/{third.pk}/assign/", {"org": city["d1"].pk, "role": "cooperate"}, follow=True
    )
    assert "还没有可登录的用户账号" not in response.content.decode()


def test_the_api_warns_too_when_a_unit_has_no_accounts(api, plan, city):
    nobody = Org.objects.create(
        kind=Org.Kind.DEPARTMENT, code="pre", name="学前教育处", parent=city["bureau"]
    )
    third, fourth = plan.tasks.order_by("position")[2:4]
    response = api("office").post(f"/api/tasks/{third.pk}/assign/", {"org": nobody.pk, "role": "lead"})
    assert response.status_code == 201 and "“学前教育处”还没有可登录的用户账号" in " ".join(response.json()["warnings"])
    response = api("office").post(
        f"/api/tasks/{fourth.pk}/assign/", {"org": city["basic"].pk, "role": "lead"}
    )
    assert response.status_code == 201 and not any("账号" in w for w in response.json()["warnings"])


def test_units_given_items_in_a_draft_are_told_when_it_is_published(draft_plan, users, city):
    """As the Excel ledger import does: assignments on draft items, then publishing (audit D10)."""
    first = draft_plan.tasks.order_by("position").first()
    Assignment.objects.create(task=first, org=city["d1"], role=Assignment.Role.COOPERATE)
    services.publish_plan(users["office"], draft_plan)
    notice = Notice.objects.get(recipient=users["jiangdong"], kind="assign")
    assert notice.task == first and "配合" in notice.text
    assert counts(users["jiangdong"])["sign"] == 1

"""Dates the ledger lights by (issue 16, item 6): reports are owed from the first reporting month after an item
is given, a past date is saved with a warning, an overdue milestone lights its item."""

from __future__ import annotations

import datetime as dt
import json
import re

from django.utils import timezone

from eduplan.ledger import services
from eduplan.ledger.lights import owes_report
from eduplan.ledger.models import Assignment, Milestone, Plan


def _future(task, days=60):
    task.due_date = timezone.localdate() + dt.timedelta(days=days)
    task.save(update_fields=["due_date"])


def _ranking(client) -> list:
    html = client.get("/dashboard/").content.decode()
    data = json.loads(
        re.search(r'<script id="dashboard-data" type="application/json">(.*?)</script>', html, re.S)[1]
    )
    return [(r["label"], r["on_time"], r["total"]) for r in data["ranking"]]


def _given(task, days_ago: int) -> None:
    moment = timezone.now() - dt.timedelta(days=days_ago)
    Assignment.objects.filter(task=task).update(created_at=moment)
    Plan.objects.filter(pk=task.plan_id).update(published_at=moment)


def test_an_item_just_given_is_not_missing_a_report(page, signed_task):
    _future(signed_task)
    html = page("office").get(f"/tasks/{signed_task.pk}/").content.decode()
    assert "缺报进展" not in html
    assert ("基础教育处", 1, 1) in _ranking(page("leader"))  # not 0 % on time minutes after assignment
    row = re.search(
        rf'<i class="light (\w+)"[^>]*></i></td><td>[^<]*</td>\s*<td><a href="/tasks/{signed_task.pk}/"',
        page("office").get("/").content.decode(),
    )
    assert row[1] == "green"


def test_reports_are_owed_from_the_first_reporting_month(page, signed_task):
    _future(signed_task)
    _given(signed_task, days_ago=70)  # given before last month began: this or last month's report is owed
    assert "缺报进展" in page("office").get(f"/tasks/{signed_task.pk}/").content.decode()
    assert ("基础教育处", 0, 1) in _ranking(page("leader"))


def test_the_rule_by_the_calendar():
    today = dt.date(2026, 12, 5)
    assert not owes_report(dt.date(2026, 12, 1), today)  # given this month
    assert not owes_report(dt.date(2026, 11, 1), today)  # given last month: its report can still come
    assert owes_report(dt.date(2026, 10, 31), today)  # given before last month: one month's report is missing
    assert owes_report(None, today)  # given to nobody: it shows until someone is made responsible


def test_a_past_assignment_date_is_saved_with_a_warning(page, api, plan, city):
    task = plan.tasks.get(position=3)
    response = page("office").post(
        f"/tasks/{task.pk}/assign/",
        {"org": city["teachers"].pk, "role": "lead", "due_date": "2020-01-01"},
        follow=True,
    )
    html = response.content.decode()
    assert "已交办" in html and "交办时限 2020-01-01 早于今天" in html
    body = (
        api("office")
        .post(
            f"/api/tasks/{task.pk}/assign/",
            {"org": city["d1"].pk, "role": "cooperate", "due_date": "2020-01-01"},
            format="json",
        )
        .json()
    )
    assert body["warnings"] and "早于今天" in body["warnings"][0]
    later = (
        api("office")
        .post(
            f"/api/tasks/{task.pk}/assign/",
            {"org": city["d2"].pk, "role": "cooperate", "due_date": "2099-01-01"},
            format="json",
        )
        .json()
    )
    assert later["warnings"] == []


def test_a_past_milestone_is_saved_with_a_warning_and_lights_the_item(page, signed_task):
    _future(signed_task)
    office = page("office")
    response = office.post(
        f"/tasks/{signed_task.pk}/milestones/", {"title": "完成选址", "due_date": "2025-01-01"}, follow=True
    )
    html = response.content.decode()
    assert "节点日期 2025-01-01 早于今天" in html and 'id="milestone-overdue"' in html
    ledger = office.get("/?light=red").content.decode()
    assert f'href="/tasks/{signed_task.pk}/"' in ledger
    Milestone.objects.filter(task=signed_task).update(done=True)
    assert 'id="milestone-overdue"' not in office.get(f"/tasks/{signed_task.pk}/").content.decode()


def test_the_dashboard_counts_an_overdue_milestone_as_overdue(page, signed_task, users):
    _future(signed_task)
    services.add_milestone(users["office"], signed_task, "完成选址", dt.date(2025, 1, 1))
    html = page("leader").get("/dashboard/items/?flag=overdue").content.decode()
    assert signed_task.title in html


def test_an_item_moved_to_a_past_date_is_saved_with_a_warning(page, signed_task):
    form = {"version": signed_task.version, "title": signed_task.title, "section": signed_task.section,
            "content": signed_task.content}
    html = page("office").post(f"/tasks/{signed_task.pk}/edit/", {**form, "due_date": "2020-03-01"},
                               follow=True).content.decode()
    assert "已保存" in html and "完成时限 2020-03-01 早于今天" in html
    signed_task.refresh_from_db()
    assert str(signed_task.due_date) == "2020-03-01"
    unchanged = {**form, "version": signed_task.version, "title": "只改标题", "due_date": "2020-03-01"}
    html = page("office").post(f"/tasks/{signed_task.pk}/edit/", unchanged, follow=True).content.decode()
    assert "已保存" in html and "早于今天" not in html  # a date left as it was is not warned of again

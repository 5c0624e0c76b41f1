"""The ledger list's filters (issue 17, item 6): plan and year, role, unit, 签收 state, deadline window, 缺报,
sortable columns, days left, latest progress, and the lights' legend in words."""

from __future__ import annotations

import datetime as dt
import re

from django.utils import timezone

from eduplan.ledger import services
from eduplan.ledger.models import Assignment, Plan, Task
from eduplan.ledger.plan_import import import_plan


def _titles(client, query: str) -> list[str]:
    body = client.get("/?" + query).content.decode()
    return re.findall(r'<a href="/tasks/\d+/">([^<]+)</a>', body)


def test_role_unit_and_signing_state(page, task, users, city):
    assert _titles(page("basic"), "role=lead") == [task.title]
    assert _titles(page("jiangdong"), "role=lead") == []
    assert _titles(page("jiangdong"), "role=cooperate") == [task.title]
    office = page("office")
    assert _titles(office, f"org={city['basic'].pk}&sign=pending") == [task.title]
    services.sign(users["basic"], task.assignments.get(org=city["basic"]))
    assert _titles(office, f"org={city['basic'].pk}&sign=pending") == []
    assert _titles(office, f"org={city['basic'].pk}&sign=signed") == [task.title]
    assert _titles(office, "sign=pending") == [t.title for t in task.plan.tasks.order_by("position")[:2]]


def test_deadline_windows_missing_reports_and_days_left(page, plan, users):
    today = timezone.localdate()
    first, second, third, fourth = plan.tasks.order_by("position")
    Task.objects.filter(pk=first.pk).update(due_date=today - dt.timedelta(days=3))
    Task.objects.filter(pk=second.pk).update(due_date=today)
    Task.objects.filter(pk=third.pk).update(due_date=today + dt.timedelta(days=400))
    Task.objects.filter(pk=fourth.pk).update(due_date=None)
    office = page("office")
    assert _titles(office, "due=overdue") == [first.title]
    assert _titles(office, "due=week") == [second.title] and _titles(office, "due=month") == [second.title]
    body = office.get("/").content.decode()
    assert "逾期 3 天" in body and "今天到期" in body and "400 天" in body
    fresh = _titles(office, "missing=1")  # given to their units today: no report owed yet, as the light says
    assert first.assignments.exists() and first.title not in fresh
    given_long_ago = timezone.now() - dt.timedelta(days=90)
    Assignment.objects.filter(task__plan=plan).update(created_at=given_long_ago)
    Plan.objects.filter(pk=plan.pk).update(published_at=given_long_ago)
    assert len(_titles(office, "missing=1")) == 4
    services.sign(users["basic"], first.assignments.get(org=users["basic"].org))
    services.report(users["basic"], first, progress="已开工建设三所幼儿园")
    assert first.title not in _titles(office, "missing=1")
    assert "已开工建设三所幼儿园" in office.get("/").content.decode()  # latest progress in the row
    assert _titles(office, "sort=due") == [first.title, second.title, third.title, fourth.title]
    assert _titles(office, "sort=-due") == [third.title, second.title, first.title, fourth.title]


def test_plan_and_year(page, plan, users):
    other = import_plan(
        users["office"],
        "滨江市教育局2027年工作要点\n一、总则\n1.推进新一年工作。年内完成。\n".encode(),
        "plan2027.txt",
    )
    other.year = 2027
    other.save(update_fields=["year"])
    services.publish_plan(users["office"], other)
    office = page("office")
    assert _titles(office, f"plan={other.pk}") == [t.title for t in other.tasks.all()]
    assert _titles(office, "year=2027") == [t.title for t in other.tasks.all()]
    assert len(_titles(office, f"plan={plan.pk}")) == plan.tasks.count()
    everything = office.get("/?plan=&year=").content.decode()  # 全部计划, 全部年度
    assert f'<option value="{other.pk}">' in everything and '<option value="2027">2027</option>' in everything
    assert len(_titles(office, "plan=&year=")) == plan.tasks.count() + other.tasks.count()


def test_the_legend_says_the_lights_in_words_and_bad_parameters_are_ignored(page, task):
    body = page("basic").get("/").content.decode()
    assert "逾期：已过完成时限仍未办结" in body and "预警：7 天内到期" in body
    assert 'title="yellow"' not in body and 'title="red"' not in body
    for query in ("plan=abc&year=x", "due=someday&sign=maybe&role=boss", "sort=evil&missing=yes"):
        response = page("office").get("/?" + query)
        assert response.status_code == 200 and task.title in response.content.decode()


def test_the_filter_bar_offers_each_choice_once(page, plan):
    body = page("office").get("/").content.decode()
    for name in ("plan", "year", "status", "org", "light", "role", "sign", "due"):
        assert body.count(f'<select name="{name}"') == 1, name

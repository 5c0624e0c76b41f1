"""The warning window (days before a deadline an item turns yellow) is the office's to set (issue 17, item 2):
stored, validated, audited, and used by every light and the legend."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from eduplan.ledger import services
from eduplan.ledger.lights import DEFAULT_WARN_DAYS, warn_days
from eduplan.ledger.models import AuditEntry, Task, WarningWindow
from eduplan.ledger.policy import Denied


@pytest.fixture
def due_in_ten(task) -> Task:
    Task.objects.filter(pk=task.pk).update(due_date=timezone.localdate() + dt.timedelta(days=10))
    return Task.objects.get(pk=task.pk)


def _colour(client, task: Task, query: str = "") -> str:
    rows = client.get("/?plan=&year=" + query).context["table"].all_rows
    return next(lit for row, lit, _words in rows if row.pk == task.pk)


def test_the_lights_and_the_legend_follow_the_window_the_office_sets(page, due_in_ten, users):
    office = page("office")
    assert warn_days() == DEFAULT_WARN_DAYS == 7
    assert _colour(office, due_in_ten) == "green"
    assert "预警：7 天内到期" in office.get("/").content.decode()
    response = office.post("/settings/warning/", {"days": "14"}, follow=True)
    assert "预警天数已设为 14 天" in response.content.decode()
    assert _colour(office, due_in_ten) == "yellow"
    assert due_in_ten.title in [
        t.title for t, *_ in office.get("/?plan=&year=&light=yellow").context["table"].all_rows
    ]
    assert "预警：14 天内到期" in office.get("/").content.decode()
    assert office.get(f"/tasks/{due_in_ten.pk}/").context["lights"].colour == "yellow"  # the item page
    rows = office.get("/dashboard/items/?due_within=30&plan=&year=").context["rows"]  # the dashboard's lists
    assert dict((t.pk, lit) for t, lit in rows)[due_in_ten.pk] == "yellow"
    entry = AuditEntry.objects.get(action="warn-days")
    assert (entry.before, entry.after, entry.actor) == ({"days": 7}, {"days": 14}, users["office"])
    assert entry.sentence == "督查室 设置预警天数：7 → 14 天"
    assert "设置预警天数：7 → 14 天" in office.get("/settings/warning/").content.decode()


@pytest.mark.parametrize("value", ["0", "91", "abc", "", "7.5", "-3"])
def test_a_window_outside_1_to_90_days_is_refused_in_chinese(page, value):
    response = page("office").post("/settings/warning/", {"days": value})
    body = response.content.decode()
    assert response.status_code == 200 and "预警天数未保存" in body
    assert any(words in body for words in ("须在 1 到 90 天之间", "须为整数", "请填写预警天数"))
    assert not WarningWindow.objects.exists() and not AuditEntry.objects.filter(action="warn-days").exists()


@pytest.mark.parametrize("role", ["leader", "basic", "jiangdong", "school"])
def test_other_roles_cannot_set_it(page, users, role):
    client = page(role)
    assert client.get("/settings/warning/").status_code == 403
    assert client.post("/settings/warning/", {"days": "30"}).status_code == 403
    assert not WarningWindow.objects.exists()
    with pytest.raises(Denied):
        services.set_warning_days(users[role], 30)
    assert "预警设置" not in client.get("/").content.decode()


def test_the_administrator_may_set_it_and_the_office_sees_it_in_the_nav(page, users):
    assert 'id="nav-warning"' in page("office").get("/").content.decode()
    assert page("admin").post("/settings/warning/", {"days": "3"}).status_code == 302
    assert warn_days() == 3
    with pytest.raises(services.Invalid):
        services.set_warning_days(users["office"], 91)

"""A 月报 shows the ledger as it stood at the end of its month (issue 16, item 5): whatever happens to the
ledger afterwards, the same month downloads with the same figures; months outside the plan's year are refused."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.test import Client
from django.utils import timezone
from docx import Document as open_docx

from eduplan.ledger import services
from eduplan.ledger.models import Assignment, Org, ProgressReport, Task
from eduplan.reports.from_ledger import month_problem, monthly_from_ledger


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _monthly(client, plan, month: str) -> list[str]:
    response = client.get(f"/reports/plans/{plan.pk}/monthly.docx", {"month": month})
    assert response.status_code == 200
    return [p.text for p in open_docx(io.BytesIO(b"".join(response.streaming_content))).paragraphs]


def _change_everything_after_the_month(ledger) -> None:
    """What happens in December: an item closed, another extended and retitled, a report for November filed
    late, another unit given an item."""
    users, (first, _second, third) = ledger["users"], ledger["tasks"]
    office, basic = users["office"], users["basic"]
    services.file_request(basic, first, "close", "已全部完成")
    services.review(office, first.requests.get(), True)
    third.refresh_from_db()
    services.edit_task(
        office, third, {"title": "加强师德师风建设", "due_date": dt.date(2025, 3, 31)}, third.version
    )
    ProgressReport.objects.create(
        task=third,
        org=ledger["units"]["teachers"],
        period=dt.date(2024, 11, 1),
        progress="补报：11月培训800人次",
    )
    services.assign(office, third, Org.objects.get(code="basic"), Assignment.Role.COOPERATE)


def test_a_past_month_downloads_the_same_after_the_ledger_changes(ledger):
    client, plan = _client(ledger["users"]["office"]), ledger["plan"]
    before = _monthly(client, plan, "2024-11")
    _change_everything_after_the_month(ledger)
    assert Task.objects.get(pk=ledger["tasks"][0].pk).status == Task.Status.CLOSED
    assert _monthly(client, plan, "2024-11") == before


def test_the_month_shows_the_items_state_then_not_now(ledger):
    _change_everything_after_the_month(ledger)
    first, _second, third = monthly_from_ledger(ledger["plan"], 2024, 11).entries
    assert first.status == "on_schedule"  # closed only in December
    assert (third.task, third.due_date, third.overdue) == ("加强师德建设", "2024-06-30", True)
    assert (third.status, third.lead_unit, third.missing_units) == ("no_report", "教师工作处", ["教师工作处"])


def test_a_unit_given_an_item_after_the_month_is_not_in_it(ledger):
    services.assign(
        ledger["users"]["office"], ledger["tasks"][2], Org.objects.get(code="d2"), Assignment.Role.COOPERATE
    )
    third = monthly_from_ledger(ledger["plan"], 2024, 11).entries[2]
    assert third.lead_unit == "教师工作处" and "江北区" not in third.missing_units


@pytest.mark.parametrize(
    ("month", "message"), [("2020-01", "计划年度（2024年）"), ("2025-01", "计划年度（2024年）")]
)
def test_a_month_outside_the_plans_year_is_refused_in_words(ledger, month, message):
    response = _client(ledger["users"]["office"]).get(
        f"/reports/plans/{ledger['plan'].pk}/monthly.docx", {"month": month}
    )
    assert response.status_code == 400 and message in response.content.decode()


def test_a_month_not_yet_begun_is_refused(ledger):
    plan = ledger["plan"]
    today = timezone.localdate()
    plan.year = today.year
    assert "尚未到来" in month_problem(plan, today.year, 12, today=dt.date(today.year, 6, 5))
    assert month_problem(plan, today.year, 6, today=dt.date(today.year, 6, 5)) is None


def test_the_command_line_refuses_it_too(ledger, tmp_path):
    from click.testing import CliRunner

    from eduplan.cli import main

    result = CliRunner().invoke(
        main,
        [
            "report",
            "monthly",
            "--plan-id",
            str(ledger["plan"].pk),
            "--month",
            "2020-01",
            "--out",
            str(tmp_path / "m.docx"),
        ],
    )
    assert result.exit_code != 0 and "计划年度" in result.output


def test_the_overview_numbers_items_as_the_plan_does(ledger, tmp_path):
    from eduplan.reports import write_monthly

    first = ledger["tasks"][0]
    Task.objects.filter(pk=first.pk).update(number="一、（一）1.")
    report = monthly_from_ledger(ledger["plan"], 2024, 11)
    document = open_docx(str(write_monthly(report, tmp_path / "m.docx")))
    assert [row.cells[0].text for row in document.tables[0].rows][1:3] == ["一、（一）1.", "2"]


def _units_in_november(ledger) -> list[set[str]]:
    from eduplan.ledger.history import items_at

    plan = ledger["plan"]
    tasks = list(plan.tasks.order_by("position").prefetch_related("assignments__org"))
    moment = timezone.make_aware(dt.datetime(2024, 12, 1))
    return [{(a.org.name, a.role) for a in item.assignments} for item in items_at(plan, tasks, moment)]


def test_a_unit_withdrawn_or_transferred_after_the_month_is_still_in_it(ledger):
    """Withdrawing deletes the row and transferring renames its unit: the month undoes both from the trail."""
    office, (first, _second, third) = ledger["users"]["office"], ledger["tasks"]
    november = _units_in_november(ledger)
    helper = Assignment.objects.create(task=third, org=Org.objects.get(code="basic"), role="cooperate")
    Assignment.objects.filter(pk=helper.pk).update(created_at=timezone.make_aware(dt.datetime(2024, 10, 1)))
    november_with_helper = _units_in_november(ledger)
    assert ("基础教育处", "cooperate") in november_with_helper[2]
    services.withdraw_assignment(office, Assignment.objects.get(pk=helper.pk))
    services.transfer_assignment(office, first.assignments.get(org__code="d1"), Org.objects.get(code="d2"))
    assert _units_in_november(ledger) == november_with_helper
    assert ("江东区", "cooperate") in november[0]


def test_a_unit_given_and_withdrawn_after_the_month_never_shows_in_it(ledger):
    office, third = ledger["users"]["office"], ledger["tasks"][2]
    november = _units_in_november(ledger)
    given = services.assign(office, third, Org.objects.get(code="d1"), Assignment.Role.COOPERATE)
    services.withdraw_assignment(office, given)
    assert _units_in_november(ledger) == november


def test_a_report_corrected_or_withdrawn_after_the_month_reads_as_it_did(ledger):
    """A correction rewrites a report in place and a withdrawal deletes it: the past month shows what was
    reported by its end, from the trail, and the same whenever it is downloaded."""
    first = ledger["tasks"][0]
    basic = ledger["users"]["basic"]
    november = monthly_from_ledger(ledger["plan"], 2024, 11).entries[0]
    report = ProgressReport.objects.get(task=first, org__code="basic", period=dt.date(2024, 11, 1))
    Task.objects.filter(pk=first.pk).update(status=Task.Status.ACTIVE)
    services.correct_report(basic, report, progress="更正后的进展", period=dt.date(2024, 11, 1))
    assert monthly_from_ledger(ledger["plan"], 2024, 11).entries[0] == november
    services.withdraw_report(basic, ProgressReport.objects.get(pk=report.pk))
    assert monthly_from_ledger(ledger["plan"], 2024, 11).entries[0] == november

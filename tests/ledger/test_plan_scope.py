"""The plan and year picker shared by every page that lists items (issue 17, item 2): the ledger and its export,
the dashboard and its drill-downs, the 督查通报, 考核 and the reports; the current year's plan by default."""

from __future__ import annotations

import datetime as dt
import io
import re

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from eduplan.followup.clock import today as followup_today
from eduplan.ledger import services
from eduplan.ledger.models import Assignment, Plan, Task
from eduplan.ledger.plan_import import import_plan
from eduplan.ledger.scope import default_plan, resolve

THIS_YEAR = timezone.localdate().year


@pytest.fixture
def current(plan, users, city) -> Plan:
    """This year's plan beside the fixture's older one (2024), published, its one item led by 基础教育处."""
    made = import_plan(
        users["office"],
        f"滨江市教育局{THIS_YEAR}年工作要点\n一、总则\n1.推进本年度新工作。年内完成。\n".encode(),
        "current.txt",
    )
    made.year = THIS_YEAR
    made.save(update_fields=["year"])
    services.publish_plan(users["office"], made)
    due = timezone.localdate() + dt.timedelta(days=40)
    services.assign(users["office"], made.tasks.get(), city["basic"], Assignment.Role.LEAD, due)
    return made


def _ledger_titles(client, query: str) -> list[str]:
    return re.findall(r'<a href="/tasks/\d+/">([^<]+)</a>', client.get("/?" + query).content.decode())


def _titles(plan: Plan) -> set[str]:
    return set(plan.tasks.values_list("title", flat=True))


def test_the_default_is_this_years_plan_and_empty_values_mean_all(page, plan, current):
    office = page("office")
    assert plan.year != THIS_YEAR
    assert set(_ledger_titles(office, "")) == _titles(current)
    assert set(_ledger_titles(office, "plan=&year=")) == _titles(plan) | _titles(current)
    assert set(_ledger_titles(office, f"year={plan.year}")) == _titles(plan)
    body = office.get("/").content.decode()
    assert (
        f'<option value="{current.pk}" selected>' in body and f'<option value="{THIS_YEAR}" selected>' in body
    )


def test_a_year_narrows_the_plans_offered_and_wins_over_a_plan_of_another_year(plan, current):
    offered = (current, plan)
    scope = resolve({"plan": str(current.pk), "year": str(plan.year)}, offered, timezone.localdate())
    assert scope.plan is None and scope.year == plan.year and scope.plans == [plan]
    one = resolve(
        {"plan": str(current.pk), "year": str(plan.year)}, offered, timezone.localdate(), one_plan=True
    )
    assert one.plan == plan
    assert default_plan(offered, dt.date(1999, 1, 1)) == current  # no plan that year: the newest
    assert resolve({}, (), timezone.localdate()).plan is None


def test_the_export_holds_exactly_what_the_list_shows(page, plan, current):
    office = page("office")
    for query in ("", f"plan={plan.pk}", "plan=&year=", f"year={THIS_YEAR}"):
        shown = _ledger_titles(office, query)
        sheet = openpyxl.load_workbook(io.BytesIO(office.get("/export.xlsx?" + query).content)).active
        header = [cell.value for cell in sheet[1]]
        column = header.index("事项")
        exported = [row[column] for row in sheet.iter_rows(min_row=2, values_only=True) if row[column]]
        assert exported == shown, query
    link = re.search(r'id="export" href="([^"]+)"', office.get("/").content.decode()).group(1)
    assert f"plan={current.pk}" in link and f"year={THIS_YEAR}" in link  # the default spelled out


def test_the_dashboard_and_its_drill_downs_count_the_chosen_plan(page, plan, current):
    office = page("office")
    response = office.get(f"/dashboard/?plan={plan.pk}&year=")
    assert response.context["counts"]["total"] == plan.tasks.count()
    assert response.context["scope"].plan == plan
    assert (
        f"plan={plan.pk}" in response.context["missing_url"]
        and f"plan={plan.pk}" in response.context["due_url"]
    )
    assert office.get("/dashboard/").context["counts"]["total"] == current.tasks.count()  # the default
    rows = office.get(f"/dashboard/items/?due_within=366&plan={current.pk}&year=").context["rows"]
    assert {task.plan_id for task, _lit in rows} == {current.pk}
    page_html = office.get(f"/dashboard/items/?due_within=366&plan={current.pk}&year=").content.decode()
    assert 'name="due_within" value="366"' in page_html  # the drill-down kept when the plan changes
    basic = office.get(
        f"/dashboard/items/?lead={current.tasks.get().assignments.get().org_id}&plan={plan.pk}&year="
    )
    assert all(task.plan_id == plan.pk for task, _lit in basic.context["rows"])


def test_the_circular_and_the_scores_count_the_chosen_plan(page, plan, current):
    office = page("office")
    assert office.get("/circular/").context["circular"].plan == (
        current if followup_today().year == THIS_YEAR else plan
    )
    assert office.get(f"/circular/?plan={plan.pk}").context["circular"].plan == plan
    assert office.get(f"/circular/?plan={current.pk}&year={plan.year}").context["circular"].plan == plan
    scores = office.get(f"/scores/?plan={plan.pk}")
    assert scores.context["plan"] == plan
    assert 'name="year"' in scores.content.decode() and "全部计划" not in scores.content.decode()


def test_the_reports_list_the_chosen_years_plans_and_a_plan_picked_opens_its_page(page, plan, current):
    office = page("office")
    listed = office.get(f"/reports/?year={plan.year}").context["plans"]
    assert list(listed) == [plan]
    assert list(office.get("/reports/").context["plans"]) == [current]
    picked = office.get(f"/reports/?plan={plan.pk}&year={plan.year}")
    assert picked.status_code == 302 and picked["Location"].startswith(f"/reports/plans/{plan.pk}/")
    assert 'name="year"' in office.get(f"/reports/plans/{plan.pk}/").content.decode()


def test_a_unit_is_offered_only_published_plans(page, plan, current, users):
    Plan.objects.filter(pk=current.pk).update(status=Plan.Status.ARCHIVED)
    body = page("basic").get("/?plan=&year=").content.decode()
    body = body[body.index('id="plan-picker"') :]
    body = body[: body.index("</span>")]
    assert f'<option value="{current.pk}"' not in body and f'<option value="{plan.pk}"' in body


def _ledger_queries(client, query: str = "") -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/?" + query).status_code == 200
    return len(captured)


# The ledger list's queries: session, user, the plans offered, the rows (their lights and the warning window in
# one), their assignments, those units, the units filter, and the header's counts (notices; the 待办 count, its
# requests to review and 批示 in one statement). 10 before the 待办 count became one statement.
LEDGER_QUERIES = 9


def test_the_ledger_list_costs_the_same_queries_however_many_rows(page, plan, current, users):
    office = page("office")
    office.get("/")  # the first request after signing in also records the session
    assert _ledger_queries(office) == LEDGER_QUERIES
    for number in range(5):
        Task.objects.create(
            plan=current, position=100 + number, title=f"新增事项{number}", status=Task.Status.ACTIVE
        )
    assert _ledger_queries(office) == LEDGER_QUERIES
    assert _ledger_queries(office, "plan=&year=&light=yellow") == LEDGER_QUERIES

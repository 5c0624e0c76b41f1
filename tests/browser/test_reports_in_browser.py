"""Reports in a real browser at 1366×768: from the plan page to a downloaded 工作总结 and 月报,
and two plans compared; screenshots under test-artifacts/."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from docx import Document as open_docx

from eduplan.ledger.models import Assignment, Org, Plan, ProgressReport, Target, TargetValue, Task, User

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture
def plans(transactional_db, settings, tmp_path):
    """Two years of one city's plan; 2024's first task reported on in November with a target value."""
    settings.EDUPLAN_STATS_DB = tmp_path / "no-statistics.duckdb"
    bureau = Org.objects.create(kind="bureau", code="B", name="滨江市教育局")
    basic = Org.objects.create(kind="department", code="basic", name="基础教育处", parent=bureau)
    office = Org.objects.create(kind="department", code="sup", name="督查室", parent=bureau)
    User.objects.create_user("office", password="pw-office", role="office", org=office)
    made = {}
    for year, schools, groups in ((2023, 10, 8), (2024, 12, 6)):
        plan = Plan.objects.create(title=f"滨江市教育局{year}年工作要点", year=year, status="published")
        first = Task.objects.create(plan=plan, position=1, section="扩大优质教育资源", title="增加普惠学位",
                                    status="active", due_date=dt.date(year, 12, 31))
        second = Task.objects.create(plan=plan, position=2, section="扩大优质教育资源", title="推进优质均衡",
                                     status="active", due_date=dt.date(year, 12, 31))
        Assignment.objects.create(task=first, org=basic, role="lead", status="signed")
        target = Target.objects.create(task=first, indicator="新建改扩建公办幼儿园", comparator="=", value=schools,
                                       unit="所")
        Target.objects.create(task=second, indicator="组建教育集团", comparator="=", value=groups, unit="个")
        report = ProgressReport.objects.create(task=first, org=basic, period=dt.date(year, 11, 1),
                                               progress=f"{year}年新建幼儿园{schools - 1}所", problems="用地未落实")
        TargetValue.objects.create(report=report, target=target, value=schools - 1)
        made[year] = plan
    return made


def _downloaded_text(download) -> list[str]:
    with open(download.path(), "rb") as downloaded:  # the temp file has no .docx suffix
        return [p.text for p in open_docx(io.BytesIO(downloaded.read())).paragraphs]


def test_download_the_summary_and_the_monthly_report(login, live_server, plans, shot):
    page = login("office", "pw-office")
    plan = plans[2024]
    page.goto(f"{live_server.url}/plans/{plan.pk}/")
    page.click("#plan-reports")
    page.wait_for_selector("#preview")
    assert "用地未落实" in page.inner_text("#problems")
    shot(page, "reports-01-plan-downloads")
    with page.expect_download() as summary:
        page.click("#download-summary")
    assert summary.value.suggested_filename == "滨江市教育局2024年工作总结.docx"
    text = _downloaded_text(summary.value)
    assert text[0] == "滨江市教育局2024年工作总结" and "11月：2024年新建幼儿园11所" in text  # month by month
    page.fill("input[name=month]", "2024-11")
    with page.expect_download() as monthly:
        page.click("#download-monthly")
    assert _downloaded_text(monthly.value)[0] == "滨江市教育局2024年11月工作进展月报"
    fresh = Plan.objects.create(title="滨江市教育局2025年工作要点", year=2025, status="published")
    Task.objects.create(plan=fresh, position=1, title="建设智慧校园", status="active")
    page.goto(f"{live_server.url}/reports/plans/{fresh.pk}/")
    assert "尚无进展报送" in page.inner_text("#no-reports")
    shot(page, "reports-03-no-reports-yet")
    page.context.close()


def test_compare_two_years(login, live_server, plans, shot):
    page = login("office", "pw-office")
    page.click("text=总结与月报")
    page.click("text=对照两个计划")
    page.select_option("select[name=a]", str(plans[2023].pk))
    page.select_option("select[name=b]", str(plans[2024].pk))
    page.click("#pick-plans button")
    page.wait_for_selector("#result")
    assert "新建改扩建公办幼儿园 12所" in page.inner_text("tr.change-tightened")
    assert "组建教育集团 6个" in page.inner_text("tr.change-loosened")
    shot(page, "reports-02-compare")
    page.context.close()

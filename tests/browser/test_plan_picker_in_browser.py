"""The plan and year picker and the office's warning window in a real browser at 1366×768 (issue 17, item 2):
the ledger opens on this year's plan, a year chosen redraws the rows and the picker and goes into the URL and
the export link; the dashboard takes the same picker; the office sets the warning window and the legend and
lights follow. Screenshots under test-artifacts/picker-*.png."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from eduplan.ledger.models import Org, User

pytestmark = pytest.mark.browser

THIS_YEAR = timezone.localdate().year


@pytest.fixture
def two_years(transactional_db, published_plan):
    top = Org.objects.create(kind="bureau", code="B", name="滨江市教育局")
    office_unit = Org.objects.create(kind="department", code="sup", name="督查室", parent=top)
    office = User.objects.create_user("office", password="pw-office", role="office", org=office_unit)
    plans = {}
    for year, titles in ((THIS_YEAR - 1, ["上年度旧事项"]), (THIS_YEAR, ["本年度事项甲", "本年度事项乙"])):
        plans[year] = published_plan(
            office, year, titles, lambda position: timezone.localdate() + dt.timedelta(days=10 * position)
        )
    return plans


def _rows(page) -> list[str]:
    return page.locator("#rows tbody td:nth-child(3) > a").all_inner_texts()


def test_the_picker_and_the_warning_window(login, live_server, two_years, shot):
    office = login("office", "pw-office")
    office.goto(f"{live_server.url}/")
    assert sorted(_rows(office)) == ["本年度事项乙", "本年度事项甲"]  # this year's plan by default
    assert office.locator("#plan-picker select[name=year]").input_value() == str(THIS_YEAR)
    office.select_option("#plan-picker select[name=year]", str(THIS_YEAR - 1))
    office.wait_for_function(f"() => location.search.includes('year={THIS_YEAR - 1}')")
    office.wait_for_function("() => document.querySelectorAll('#rows tbody tr').length === 1")
    assert _rows(office) == ["上年度旧事项"]
    # the picker redrawn with the rows: only that year's plans offered
    assert office.locator("#plan-picker select[name=plan] option").all_inner_texts() == [
        "全部计划",
        f"滨江市教育局{THIS_YEAR - 1}年工作要点（{THIS_YEAR - 1}）",
    ]
    export = office.locator("#export").get_attribute("href")
    assert f"year={THIS_YEAR - 1}" in export
    shot(office, "picker-01-ledger-last-year")

    office.goto(f"{live_server.url}/dashboard/")
    office.wait_for_selector("#plan-form")
    office.select_option("#plan-form select[name=plan]", "")  # 全部计划 of this year
    office.wait_for_function("() => location.search.includes('plan=&')")
    assert office.locator("#plan-form select[name=year]").input_value() == str(THIS_YEAR)
    shot(office, "picker-02-dashboard")

    # the office widens the warning window and the legend says so (unit tests check each light follows it:
    # these items, given to no unit yet, are yellow for their missing reports whatever the window)
    office.goto(f"{live_server.url}/settings/warning/")
    office.fill("#id_days", "25")
    office.click("#warning-form button")
    office.wait_for_selector("text=预警天数已设为 25 天")
    shot(office, "picker-03-warning-window")
    office.goto(f"{live_server.url}/?light=yellow")
    office.wait_for_selector("#legend")
    assert "25 天内到期" in office.locator("#legend").inner_text()
    assert sorted(_rows(office)) == ["本年度事项乙", "本年度事项甲"]
    shot(office, "picker-04-ledger-yellow")
    assert office.problems == []

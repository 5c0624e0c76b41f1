"""The leaders' dashboard in a real browser on the demo city: charts drawn, no console errors, at
1366×768 and 1920×1080, and its empty state; screenshots under test-artifacts/dashboard-*.png."""

from __future__ import annotations

import re
import time

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from eduplan.demo import ledger_demo
from eduplan.demo.statistics import DemoSpec, generate
from eduplan.indicators.engine import compute
from eduplan.indicators.schema import connect
from eduplan.monitoring import statistics

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture
def stats_file(settings, tmp_path):
    """The demo city's statistics, computed, in a file of this test's own."""
    path = tmp_path / "statistics.duckdb"
    con = connect(path)
    generate(con, DemoSpec())
    compute(con)
    con.close()
    settings.EDUPLAN_STATS_DB = path
    statistics.reset_cache()
    yield path
    statistics.reset_cache()


@pytest.fixture
def demo_city(transactional_db, settings, stats_file):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    ledger_demo.set_up()


def _charts_drawn(page) -> int:
    page.wait_for_selector("html[data-charts-drawn]", timeout=10_000)
    return int(page.get_attribute("html", "data-charts-drawn"))


@pytest.mark.parametrize("size", [(1366, 768), (1920, 1080)], ids=["1366x768", "1920x1080"])
def test_dashboard_draws_its_charts(login, live_server, demo_city, shot, size):
    page = login("leader", ledger_demo.DEMO_PASSWORD, size)
    assert page.url == f"{live_server.url}/dashboard/"  # a leader lands on the dashboard
    assert _charts_drawn(page) == 4  # judgements, statuses, ranking, districts
    assert page.locator("#judgements canvas").count() == 1
    assert page.locator("#districts canvas").count() == 1
    # the page fits the viewport's width: nothing to scroll sideways
    assert page.evaluate("document.documentElement.scrollWidth") <= size[0]
    shot(page, f"dashboard-{size[0]}x{size[1]}")
    page.locator("#districts").scroll_into_view_if_needed()
    page.locator("#districts .tabs button").nth(2).click()  # 大班额
    assert page.locator("#districts .tabs button").nth(2).get_attribute("aria-selected") == "true"
    shot(page, f"dashboard-{size[0]}x{size[1]}-districts")
    assert page.problems == []


def test_a_figure_clicks_through_to_its_items(login, live_server, demo_city, shot):
    page = login("leader", ledger_demo.DEMO_PASSWORD, (1366, 768))
    expected = int(page.locator(".kpis a").nth(5).locator("b").inner_text())  # 事项缺报进展
    page.locator(".kpis a").nth(5).click()
    page.wait_for_selector("#items")
    assert page.locator("#items tbody tr td a").count() == expected
    shot(page, "dashboard-drill-down")
    assert page.problems == []


def test_a_bar_clicks_through_to_its_items(login, live_server, demo_city):
    page = login("leader", ledger_demo.DEMO_PASSWORD, (1366, 768))
    _charts_drawn(page)
    # the tallest bar of the task-status chart, clicked a few pixels below its top; a second listener says
    # on the console that the chart took the click, so a failure says whether the click or the navigation went missing
    x, y, url = page.evaluate("""() => {
        const element = document.getElementById("chart-statuses");
        const rows = JSON.parse(document.getElementById("dashboard-data").textContent).statuses;
        const index = rows.reduce((best, row, i) => row.value > rows[best].value ? i : best, 0);
        const chart = echarts.getInstanceByDom(element);
        chart.on("click", () => console.info("the chart took the click"));
        const point = chart.convertToPixel({seriesIndex: 0}, [index, rows[index].value]);
        const box = element.getBoundingClientRect();
        return [box.left + point[0], box.top + point[1] + 6, rows[index].url];
    }""")
    navigations = _navigations(page)
    page.mouse.move(x, y)  # as a hand does: over the bar, then click
    page.mouse.click(x, y)
    try:
        page.wait_for_url(f"{live_server.url}{url}", wait_until="commit", timeout=60_000)
    except PlaywrightTimeout:
        page.screenshot(path="test-artifacts/bar-click-failed.png")
        pytest.fail(f"no navigation to {url}; what happened: {navigations}; now at {page.url}")
    page.wait_for_load_state()  # the list itself is tested apart
    assert page.problems == []


def test_charts_take_their_size_from_a_late_stylesheet(login, live_server, demo_city):
    """dashboard.css applied only after echarts has arrived (a browser that did not wait for it, a slow
    network): the charts are drawn at the size the stylesheet gives, not the unstyled page's (0 px high).
    The page is rewritten to insert its stylesheet from a script, which nothing waits for but the load event."""
    page = login("leader", ledger_demo.DEMO_PASSWORD, (1366, 768))
    stylesheet = re.compile(r'<link rel="stylesheet" href="([^"]*dashboard\.css)">')

    def stylesheet_by_script(route):
        body = route.fetch().text()
        href = stylesheet.search(body).group(1)
        insert = f"<script>var l = document.createElement('link'); l.rel = 'stylesheet'; l.href = '{href}'; " \
                 "document.head.appendChild(l);</script></body>"
        route.fulfill(body=stylesheet.sub("", body).replace("</body>", insert), content_type="text/html")

    def late(route):
        time.sleep(1.5)  # echarts comes first
        route.continue_()

    page.route(f"{live_server.url}/dashboard/", stylesheet_by_script)
    page.route("**/dashboard/dashboard.css", late)
    page.goto(f"{live_server.url}/dashboard/")
    _charts_drawn(page)
    page.wait_for_timeout(100)  # a frame for anything that follows the box
    sizes = page.evaluate("""() => { const e = document.getElementById("chart-statuses"); const c = echarts.getInstanceByDom(e);
        return [e.clientWidth, e.clientHeight, c.getWidth(), c.getHeight()]; }""")
    assert sizes[1] >= 150 and sizes[:2] == sizes[2:], sizes
    assert page.problems == []


def test_charts_follow_their_box(login, live_server, demo_city):
    page = login("leader", ledger_demo.DEMO_PASSWORD, (1366, 768))
    _charts_drawn(page)
    page.evaluate("document.getElementById('chart-statuses').style.height = '260px'")
    page.wait_for_function("() => echarts.getInstanceByDom(document.getElementById('chart-statuses')).getHeight() === 260",
                           timeout=5_000)
    assert page.problems == []


def _navigations(page) -> list[str]:
    """The main frame's navigation requests and their answers, and the page's info messages, as they happen."""
    seen: list[str] = []
    page.on("console", lambda m: seen.append(m.text) if m.type == "info" else None)
    page.on("request", lambda r: seen.append(f"asked {r.url}") if r.is_navigation_request() else None)
    page.on("response", lambda r: seen.append(f"{r.status} {r.url}") if r.request.is_navigation_request() else None)
    page.on("requestfailed", lambda r: seen.append(f"failed {r.url}: {r.failure}"))
    return seen


def test_empty_dashboard_says_what_to_do(login, live_server, transactional_db, settings, tmp_path, shot):
    from eduplan.ledger.models import Org, User

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EDUPLAN_STATS_DB = tmp_path / "none.duckdb"
    statistics.reset_cache()
    unit = Org.objects.create(kind="department", code="sup", name="督查室")
    User.objects.create_user("office", password="pw-office", role="office", org=unit)
    page = login("office", "pw-office", (1366, 768))
    page.goto(f"{live_server.url}/dashboard/")
    assert page.locator("#empty-ledger").is_visible() and page.locator("#empty-statistics").is_visible()
    assert page.get_by_text("导入工作要点").first.is_visible()
    shot(page, "dashboard-empty")
    assert page.problems == []


def test_back_from_the_ledger_redraws_the_charts(login, live_server, demo_city):
    """The header's links are htmx-boosted: coming back must give drawn charts, not a blank snapshot."""
    page = login("leader", ledger_demo.DEMO_PASSWORD, (1366, 768))
    _charts_drawn(page)
    page.evaluate("window.sameDocument = true")
    page.click("header a:text-is('台账')")
    page.wait_for_url(f"{live_server.url}/")
    page.wait_for_selector("text=导出 Excel")
    assert page.evaluate("window.sameDocument === true")  # htmx swapped the page in: a boosted visit
    page.go_back()
    page.wait_for_url(f"{live_server.url}/dashboard/")
    page.wait_for_load_state("networkidle")
    drawn = page.evaluate("""() => [...document.querySelectorAll('.chart')].filter(
        el => window.echarts && echarts.getInstanceByDom(el) && el.querySelector('canvas')).length""")
    assert drawn == 4
    assert page.problems == []


def test_the_district_chart_starts_at_zero_on_every_tab(login, live_server, demo_city):
    """Shares and counts are bars from zero: an axis from 40 doubled the look of the gaps (issue 16)."""
    page = login("leader", ledger_demo.DEMO_PASSWORD, (1366, 768))
    _charts_drawn(page)
    tabs = page.locator("#districts .tabs button")
    lows = []
    for index in range(tabs.count()):
        tabs.nth(index).click()
        lows.append(page.evaluate("""() => { const c = echarts.getInstanceByDom(document.getElementById("chart-districts"));
            return c.getModel().getComponent("yAxis", 0).axis.scale.getExtent()[0]; }"""))
    assert lows and all(low == 0 for low in lows), lows


def test_a_unit_name_with_markup_is_text_in_the_tooltip(login, live_server, demo_city, shot):
    """Audit L2: the admin names a unit with an <img onerror>; the leader's ranking tooltip shows it as text,
    and the page's CSP (no inline script) holds with the charts drawn and no console error."""
    from eduplan.ledger.models import Org

    payload = "<img src=x onerror=\"document.title='ECHARTS-XSS'\">"
    for org in Org.objects.filter(kind__in=["department", "district"]):
        org.name = org.name + payload
        org.save()
    page = login("leader", ledger_demo.DEMO_PASSWORD, (1366, 768))
    _charts_drawn(page)
    shown = page.evaluate("""() => {
        const chart = echarts.getInstanceByDom(document.getElementById("chart-ranking"));
        chart.dispatchAction({type: "showTip", seriesIndex: 0, dataIndex: 0});
        return new Promise(done => setTimeout(() => done(document.querySelector("#chart-ranking div:last-child")
            ? document.querySelector("#chart-ranking").innerText : ""), 300));
    }""")
    page.wait_for_timeout(300)
    shot(page, "dashboard-tooltip-escaped")
    assert "<img" in shown  # the markup is shown as text
    assert page.title() != "ECHARTS-XSS"
    assert page.locator("#chart-ranking img").count() == 0
    assert page.problems == []

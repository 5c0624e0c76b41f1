"""A week of 督办 work in a real browser at 1366×768 (issue 17, "Done when"): the office assigns five items at
once, departments sign from their 待办, one forgets and the reminder pass (fixed date) reminds it, the office
prints a 催办单 and the monthly 督查通报, a leader's 批示 is answered, the year is carried over. Screenshots
under test-artifacts/week-*.png."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core import mail
from docx import Document

from eduplan.followup.daily import run_daily_pass
from eduplan.followup.models import CarryOver
from eduplan.ledger import services
from eduplan.ledger.models import Assignment, Notice, Org, User

pytestmark = [pytest.mark.browser, pytest.mark.slow]

LAST_YEAR = ["推进清廉学校建设"]
THIS_YEAR = ["增加普惠学位", "推进优质均衡", "加强师德建设", "深化课后服务", "推进校园安全", "建设智慧校园"]


@pytest.fixture
def bureau(transactional_db, settings, published_plan):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    top = Org.objects.create(kind="bureau", code="B", name="滨江市教育局")
    units = {
        code: Org.objects.create(kind=kind, code=code, name=name, parent=top)
        for code, kind, name in (
            ("sup", "department", "督查室"),
            ("basic", "department", "基础教育处"),
            ("teachers", "department", "教师工作处"),
        )
    }
    for name, role, unit in (
        ("office", "office", units["sup"]),
        ("leader", "leader", top),
        ("basic", "department", units["basic"]),
        ("teachers", "department", units["teachers"]),
    ):
        User.objects.create_user(
            name, password=f"pw-{name}", role=role, org=unit, email=f"{name}@example.test"
        )
    office = User.objects.get(username="office")
    plans = {
        year: published_plan(office, year, titles, lambda position, year=year: dt.date(year, 12, 31))
        for year, titles in ((2026, LAST_YEAR), (2027, THIS_YEAR))
    }
    old = plans[2026].tasks.get()
    services.sign(User.objects.get(username="basic"), services.assign(office, old, units["basic"], "lead"))
    return {"units": units, "plans": plans}


def _bytes(download) -> io.BytesIO:
    with open(download.path(), "rb") as downloaded:  # no .docx suffix on the temp file
        return io.BytesIO(downloaded.read())


def _todo_count(page, key: str) -> str:
    return page.locator(f"#todo-{key} h3 small").inner_text()


def test_a_week_of_supervision(login, live_server, bureau, shot):
    url, plans = live_server.url, bureau["plans"]
    new_plan = plans[2027]

    # Monday: the office assigns five items at once to 基础教育处, two of them also to 教师工作处
    office = login("office", "pw-office")
    office.wait_for_selector("#todo-panel")
    shot(office, "week-01-office-dashboard-panel")
    office.goto(f"{url}/bulk/?plan={new_plan.pk}")
    five = list(new_plan.tasks.order_by("position")[:5])
    for task in five:
        office.check(f"#bulk-{task.pk}")
    office.select_option("#bulk-form select[name=org]", label="基础教育处")
    office.select_option("#bulk-form select[name=role]", "lead")
    office.click("#bulk-assign")
    office.wait_for_selector("text=已交办 5 项")
    for task in five[:2]:
        office.check(f"#bulk-{task.pk}")
    office.select_option("#bulk-form select[name=org]", label="教师工作处")
    office.select_option("#bulk-form select[name=role]", "cooperate")
    office.click("#bulk-assign")
    office.wait_for_selector("text=已交办 2 项")
    shot(office, "week-02-bulk-assigned")
    assert Assignment.objects.filter(task__plan=new_plan).count() == 7

    # Tuesday: 基础教育处 lands on its 待办 and signs all five from there; 教师工作处 forgets
    basic = login("basic", "pw-basic")
    assert basic.url.endswith("/todo/")
    basic.wait_for_selector("#nav-todo-count:has-text('(6)')")  # five to sign, last year's item to report
    shot(basic, "week-03-department-todo")
    assert _todo_count(basic, "sign").startswith("5 项")
    for _ in range(5):
        basic.locator("#todo-sign a").first.click()
        basic.click("#sign")
        basic.wait_for_selector("text=已签收")
        basic.goto(f"{url}/todo/")
    assert _todo_count(basic, "sign").startswith("0 项") and _todo_count(basic, "report").startswith("6 项")
    shot(basic, "week-04-department-signed")

    # Wednesday: the daily pass, on a fixed date, reminds 教师工作处 of its two unsigned items
    mail.outbox.clear()
    counts = run_daily_pass(dt.date(2027, 3, 10))
    assert counts["sign"] == 2 and run_daily_pass(dt.date(2027, 3, 10)) is None
    reminders = [m for m in mail.outbox if m.to == ["teachers@example.test"]]
    assert sorted(m.subject.split("：")[0] for m in reminders) == sorted(
        f"[督办] {t.title}" for t in five[:2]
    )
    for task in five[:2]:
        (reminder,) = [m for m in reminders if task.title in m.subject]
        assert f"/tasks/{task.pk}/" in reminder.body
    teachers = login("teachers", "pw-teachers")
    teachers.goto(f"{url}/notices/")
    assert teachers.locator("text=请签收新交办事项").count() == 2
    shot(teachers, "week-05-reminded")

    # Thursday: the office prints a 催办单 for one unsigned item and the monthly 督查通报
    office.goto(f"{url}/tasks/{five[0].pk}/")
    with office.expect_download() as sheet:
        office.click("#cuiban-docx")
    table = Document(_bytes(sheet.value)).tables[0]
    cells = {row.cells[0].text: row.cells[1].text for row in table.rows}
    assert cells["督办事项"] == five[0].title and "教师工作处尚未签收" in cells["当前情况"]
    office.goto(f"{url}/circular/?plan={new_plan.pk}")
    office.wait_for_selector("#circular-table")
    shot(office, "week-06-circular")
    with office.expect_download() as circular:
        office.click("#circular-docx")
    document = Document(_bytes(circular.value))
    ranking = {row.cells[1].text: row.cells[2].text for row in document.tables[0].rows[1:]}
    assert ranking == {"基础教育处": "5", "教师工作处": "2"}  # the chosen plan's items only

    # Friday: a leader's 批示, answered by the lead unit
    leader = login("leader", "pw-leader")
    leader.goto(f"{url}/tasks/{five[1].pk}/")
    leader.fill("form[action$='/comment/'] input[name=text]", "请加快进度，月底前拿出方案")
    leader.click("form[action$='/comment/'] button")
    leader.wait_for_selector("text=请加快进度，月底前拿出方案")
    basic.goto(f"{url}/todo/")
    assert _todo_count(basic, "instructions").startswith("1 项")
    basic.locator("#todo-instructions a").first.click()
    basic.fill(".answer-form textarea", "已召开专题会，方案3月底报送")
    basic.click(".answer-form button")
    basic.wait_for_selector("text=已报告批示落实情况")
    shot(basic, "week-07-instruction-answered")
    leader.goto(f"{url}/dashboard/")
    leader.wait_for_selector("#todo-panel")
    assert leader.locator("#open-instructions").count() == 0

    # Saturday: the year carried over: last year's open item into this year's plan
    office.goto(f"{url}/plans/")
    office.locator(f"a[href='/plans/{new_plan.pk}/carry/']").click()
    old = plans[2026].tasks.get()
    office.check(f"#carry-{old.pk}")
    office.click("#carry-submit")
    office.wait_for_selector("text=已结转 1 项")
    shot(office, "week-08-carried-over")
    new = CarryOver.objects.get(old_task=old).new_task
    office.goto(f"{url}/tasks/{new.pk}/")
    office.wait_for_selector("#carried-from")
    assert Notice.objects.filter(recipient__username="basic", task=new, kind="assign").exists()
    office.goto(f"{url}/?plan={new_plan.pk}&sign=pending&sort=due")  # what is still unsigned, by deadline
    assert (
        office.locator("#rows tbody tr").count() == 3
    )  # 教师工作处 two, the carried item (basic to sign again)
    shot(office, "week-09-ledger-filters")
    for page in (office, basic, teachers, leader):
        assert page.problems == []

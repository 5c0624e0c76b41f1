"""The whole loop in a real browser at 1366×768, with screenshots under test-artifacts/."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from eduplan.ledger.models import Org, Request, Task, User

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PLAN = """滨江市教育局2024年工作要点

一、扩大优质教育资源
1.增加普惠学位。年内新建改扩建公办幼儿园12所，新增学位3600个。
2.推进优质均衡。新增义务教育学位8000个，组建教育集团10个。
"""


@pytest.fixture
def people(transactional_db):
    bureau = Org.objects.create(kind="bureau", code="B", name="滨江市教育局")
    office_unit = Org.objects.create(kind="department", code="sup", name="督查室", parent=bureau)
    basic = Org.objects.create(kind="department", code="basic", name="基础教育处", parent=bureau)
    Org.objects.create(kind="district", code="d1", name="江东区", parent=bureau)
    User.objects.create_user("office", password="pw-office", role="office", org=office_unit)
    User.objects.create_user("basic", password="pw-basic", role="department", org=basic)


def _open_task(page, live_server, task):
    page.goto(f"{live_server.url}/tasks/{task.pk}/")


def _file_request(page, kind: str, reason: str, new_date: str = ""):
    page.click("text=提出申请")
    page.select_option("#request-form select[name=kind]", kind)
    page.fill("#request-form textarea[name=reason]", reason)
    if new_date:
        page.fill("#request-form input[name=new_due_date]", new_date)
    page.click("#request-form button")
    page.wait_for_selector("text=申请已提交")


def _review(page, decision: str, note: str = ""):
    form = page.locator(".review-form").first
    if note:
        form.locator("input[name=note]").fill(note)
    form.locator(f"button[value={decision}]").click()
    page.wait_for_selector("text=审核完成")


def test_the_whole_loop(login, live_server, people, tmp_path, shot):
    office = login("office", "pw-office")
    office.goto(f"{live_server.url}/")  # the office lands on the dashboard; the loop starts from the ledger
    shot(office, "01-ledger-empty")
    plan_file = tmp_path / "plan.txt"
    plan_file.write_text(PLAN, encoding="utf-8")
    office.goto(f"{live_server.url}/plans/import/")
    office.set_input_files("input[name=file]", str(plan_file))
    office.click("button[type=submit]")
    office.wait_for_selector("#draft")
    assert office.locator("#source mark").count() >= 2
    shot(office, "02-draft-side-by-side")

    target_form = office.locator(".target-form").first  # fix a target: 12所 → at least 15所
    target_form.locator("select[name=comparator]").select_option(">=")
    target_form.locator("input[name=value]").fill("15")
    target_form.locator("button").click()
    office.wait_for_selector("text=目标已保存")
    office.click("#publish")
    office.wait_for_selector("text=计划已发布")
    shot(office, "03-published-ledger")

    task = Task.objects.order_by("position").first()
    assert task.targets.filter(value=15, comparator=">=").exists()
    _open_task(office, live_server, task)
    office.select_option("#assign-form select[name=org]", label="基础教育处")
    office.select_option("#assign-form select[name=role]", "lead")
    office.click("#assign-form button")
    office.wait_for_selector("text=已交办")

    basic = login("basic", "pw-basic")
    _open_task(basic, live_server, task)
    basic.click("#sign")
    basic.wait_for_selector("text=已签收")
    basic.click("text=报送本月进展")
    basic.fill("#report-form textarea[name=progress]", "已开工8所幼儿园")
    basic.fill("#report-form textarea[name=problems]", "部分地块征迁滞后")
    basic.click("#report-form button")
    basic.wait_for_selector("text=进展已报送")
    new_due = (task.due_date + dt.timedelta(days=45)).isoformat()
    _file_request(basic, "extend", "征迁滞后，申请延期", new_due)
    shot(basic, "04-unit-reported-and-asked-extension")

    _open_task(office, live_server, task)
    _review(office, "approve")
    task.refresh_from_db()
    assert task.extension_count == 1 and task.due_date.isoformat() == new_due

    _open_task(basic, live_server, task)
    _file_request(basic, "close", "全部建成")
    _open_task(office, live_server, task)
    _review(office, "return", "缺少验收材料")
    assert Request.objects.get(kind="close").status == "returned"
    _open_task(basic, live_server, task)
    basic.wait_for_selector("text=缺少验收材料")
    _file_request(basic, "close", "已补交验收材料")
    _open_task(office, live_server, task)
    _review(office, "approve")
    task.refresh_from_db()
    assert task.status == Task.Status.CLOSED
    shot(office, "05-closed-item-with-audit")

    # a request on the closed item: refused with a message, nothing lost
    basic.goto(f"{live_server.url}/tasks/{task.pk}/")
    assert basic.locator("#request-form").count() == 0

    office.goto(f"{live_server.url}/")
    shot(office, "06-ledger-lights")
    with office.expect_download() as download_info:
        office.click("text=导出 Excel")
    with open(download_info.value.path(), "rb") as downloaded:  # no .xlsx suffix on the temp file
        sheet = load_workbook(io.BytesIO(downloaded.read())).active
    header = [cell.value for cell in sheet[1]]
    assert header[0] == "序号" and sheet.cell(2, header.index("状态") + 1).value == "已办结"
    assert download_info.value.suggested_filename.startswith("督办台账_")


def test_stale_edit_in_two_tabs(login, live_server, people, shot):
    from eduplan.ledger.plan_import import import_plan
    from eduplan.ledger.services import publish_plan

    office_user = User.objects.get(username="office")
    plan = import_plan(office_user, PLAN.encode(), "plan.txt")
    publish_plan(office_user, plan)
    task = plan.tasks.order_by("position").first()
    first, second = login("office", "pw-office"), login("office", "pw-office")
    for page in (first, second):
        _open_task(page, live_server, task)
        page.click("text=编辑")
    first.fill("#edit-form input[name=title]", "甲的修改")
    first.click("#edit-form button")
    first.wait_for_selector("text=已保存")
    second.fill("#edit-form input[name=title]", "乙的修改")
    second.click("#edit-form button")
    second.wait_for_selector("text=已被他人修改")
    shot(second, "07-stale-edit-conflict")
    task.refresh_from_db()
    assert task.title == "甲的修改"


def test_bad_files_get_messages(login, live_server, people, tmp_path, shot):
    office = login("office", "pw-office")
    junk = tmp_path / "plan.docx"
    junk.write_bytes(b"\x00\xff" * 500)
    office.goto(f"{live_server.url}/plans/import/")
    office.set_input_files("input[name=file]", str(junk))
    office.click("button[type=submit]")
    office.wait_for_selector(".messages .error")
    shot(office, "08-refused-plan-file")
    wrong = tmp_path / "ledger.xlsx"
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(("序号", "任务"))
    book.save(wrong)
    office.goto(f"{live_server.url}/import-ledger/")
    office.set_input_files("input[name=file]", str(wrong))
    office.click("button[type=submit]")
    office.wait_for_selector("text=表头不符")
    shot(office, "09-wrong-xlsx-columns")

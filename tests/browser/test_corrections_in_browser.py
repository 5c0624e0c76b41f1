"""The item page's 编辑 keeps the 完成时限 in a real browser, and a unit corrects its report there; screenshots
at 1366×768 under test-artifacts/ (h16a-*)."""

from __future__ import annotations

import datetime as dt

import pytest

from eduplan.ledger import services
from eduplan.ledger.models import Assignment, Org, ProgressReport, User
from eduplan.ledger.plan_import import import_plan

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PLAN = """滨江市教育局2027年工作要点

一、扩大优质教育资源
1.增加普惠学位。年内新建改扩建公办幼儿园12所，新增学位3600个。
"""


@pytest.fixture
def item(transactional_db):
    bureau = Org.objects.create(kind="bureau", code="B", name="滨江市教育局")
    office_unit = Org.objects.create(kind="department", code="sup", name="督查室", parent=bureau)
    basic = Org.objects.create(kind="department", code="basic", name="基础教育处", parent=bureau)
    office = User.objects.create_user("office", password="pw-office", role="office", org=office_unit)
    clerk = User.objects.create_user("basic", password="pw-basic", role="department", org=basic)
    plan = import_plan(office, PLAN.encode(), "plan.txt")
    services.publish_plan(office, plan)
    task = plan.tasks.get()
    services.edit_task(office, task, {"due_date": dt.date(2027, 8, 31)}, None)
    services.sign(clerk, services.assign(office, task, basic, Assignment.Role.LEAD))
    return plan.tasks.get()


def test_saving_the_edit_form_keeps_the_due_date(login, live_server, item, shot):
    office = login("office", "pw-office")
    office.goto(f"{live_server.url}/tasks/{item.pk}/")
    office.click("text=编辑")
    date_box = office.locator("#edit-form input[name=due_date]")
    assert date_box.input_value() == "2027-08-31"  # was blank: the server wrote 2027/08/31
    office.fill("#edit-form input[name=title]", "增加普惠性学位")
    office.locator("#edit-form button").scroll_into_view_if_needed()
    shot(office, "h16a-item-edit-open")
    office.click("#edit-form button")
    office.wait_for_selector("text=已保存")
    item.refresh_from_db()
    assert (item.title, item.due_date) == ("增加普惠性学位", dt.date(2027, 8, 31))
    assert "完成时限 2027-08-31" in office.inner_text("main")
    assert office.problems == []


def test_a_unit_corrects_its_report(login, live_server, item, shot):
    clerk = login("basic", "pw-basic")
    clerk.goto(f"{live_server.url}/tasks/{item.pk}/")
    clerk.click("text=报送本月进展")
    clerk.fill("#report-form textarea[name=progress]", "已开工8所")
    clerk.click("#report-form button")
    clerk.wait_for_selector("text=进展已报送")
    clerk.click("text=更正或撤回")
    clerk.fill(".correct-form textarea[name=progress]", "已开工9所（更正：上报时漏计1所）")
    clerk.click(".correct-form button")
    clerk.wait_for_selector("text=进展已更正")
    clerk.locator("text=已开工9所").first.scroll_into_view_if_needed()
    shot(clerk, "h16a-report-corrected")
    assert ProgressReport.objects.get().progress == "已开工9所（更正：上报时漏计1所）"
    assert clerk.problems == []


def test_a_plan_with_reports_refuses_deletion_and_is_archived(login, live_server, item, shot):
    services.report(User.objects.get(username="basic"), item, progress="已开工8所")
    office = login("office", "pw-office")
    office.goto(f"{live_server.url}/plans/{item.plan_id}/")
    office.click("text=管理计划")
    office.once("dialog", lambda dialog: dialog.accept())
    office.click("#delete-plan")
    office.wait_for_selector("text=不能删除：已有 1 条进展报送。")
    office.click("text=管理计划")
    shot(office, "h16a-plan-manage-refused")
    office.click("#archive")
    office.wait_for_selector("text=计划已归档")
    office.goto(f"{live_server.url}/")
    assert item.title not in office.inner_text("main")
    assert office.problems == []

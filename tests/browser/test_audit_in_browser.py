"""The audit trail in words, in a real browser (issue 16, item 10): screenshot test-artifacts/audit-trail.png."""

from __future__ import annotations

import datetime as dt

import pytest

from eduplan.ledger import services
from eduplan.ledger.models import Assignment, Org, User
from eduplan.ledger.plan_import import import_plan

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PLAN = """滨江市教育局2026年工作要点

一、扩大优质教育资源
1.增加普惠学位。年内新建改扩建公办幼儿园12所，新增学位3600个。
"""


@pytest.fixture
def item(transactional_db):
    bureau = Org.objects.create(kind="bureau", code="B", name="滨江市教育局")
    units = {
        code: Org.objects.create(kind=kind, code=code, name=name, parent=bureau)
        for code, kind, name in (
            ("sup", "department", "督查室"),
            ("basic", "department", "基础教育处"),
            ("d1", "district", "江东区"),
        )
    }
    office = User.objects.create_user("office", password="pw-office", role="office", org=units["sup"])
    basic = User.objects.create_user("basic", password="pw-basic", role="department", org=units["basic"])
    plan = import_plan(office, PLAN.encode(), "plan.txt")
    services.publish_plan(office, plan)
    task = plan.tasks.get()
    services.assign(office, task, units["basic"], Assignment.Role.LEAD, dt.date(2026, 11, 15))
    services.assign(office, task, units["d1"], Assignment.Role.COOPERATE, dt.date(2026, 11, 15))
    services.sign(basic, task.assignments.get(org=units["basic"]))
    services.report(basic, task, progress="已开工8所", values={task.targets.first().pk: 8})
    task.refresh_from_db()
    services.edit_task(office, task, {"due_date": dt.date(2026, 11, 15)}, task.version)
    task.refresh_from_db()
    services.file_request(basic, task, "extend", "用地手续未完成", new_due_date=dt.date(2026, 12, 31))
    services.review(office, task.requests.get(), True)
    services.urge(office, task, "请按月报送进展")
    return task


def test_the_audit_trail_reads_in_words(login, live_server, item, shot):
    page = login("office", "pw-office")
    page.goto(f"{live_server.url}/tasks/{item.pk}/")
    trail = page.locator("#audit")
    trail.scroll_into_view_if_needed()
    text = trail.inner_text()
    for words in (
        "基础教育处 签收",
        "督查室 批准延期：2026-11-15 → 2026-12-31",
        "基础教育处 提出延期申请",
        "督查室 交办 江东区（配合）",
        "基础教育处 报送 ",
        "督查室 催办：请按月报送进展",
    ):
        assert words in text, words
    for code in ("assign", "review-extend", "role", "due_date", "request-extend"):
        assert code not in text, code
    trail.screenshot(path="test-artifacts/audit-trail.png")
    shot(page, "audit-trail-page")
    assert page.problems == []

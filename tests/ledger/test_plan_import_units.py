"""The plan import on files as bureaus send them: a 总结 followed by the 要点 in one file (the plan is
imported and the message says which), written deadlines, and the 牵头/配合 units a task names turned
into assignments of the draft that the office checks before publishing. Through the page and the API."""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile

from eduplan.ledger import services
from eduplan.ledger.models import Assignment, Notice, Plan, Task
from eduplan.ledger.plan_import import plan_document_index

SUMMARY_THEN_PLAN = """滨江市教育局2030年工作总结和2031年工作要点
一、2030年工作总结
（一）学前教育。全年新建幼儿园9所，新增学位2700个。
（二）教师队伍。培训教师4000人次。
二、2031年工作要点
（一）学前教育
1.增加普惠学位。新建幼儿园12所，年内完成。完成时限：2031年8月31日。（牵头单位：基础教育处；配合单位：江东区、江北区）
2.提升保教质量。开展保教质量评估。（牵头单位：教师工作处；配合单位：不存在的处）
（二）教师队伍
3.加强师德建设。年内培训教师5000人次。
"""


def _import_through_page(client):
    upload = SimpleUploadedFile("plan.txt", SUMMARY_THEN_PLAN.encode())
    return client.post("/plans/import/", {"file": upload}, follow=True)


def _check_imported(plan: Plan, city) -> None:
    assert plan.year == 2031 and plan.title == "2031年工作要点"
    tasks = list(plan.tasks.order_by("position"))
    assert [t.title for t in tasks] == ["增加普惠学位", "提升保教质量", "加强师德建设"]
    assert tasks[0].due_date == dt.date(2031, 8, 31)  # the written date beats 年内
    assert tasks[2].due_date == dt.date(2031, 12, 31)
    first = {(a.org.name, a.role) for a in tasks[0].assignments.select_related("org")}
    assert first == {("基础教育处", "lead"), ("江东区", "cooperate"), ("江北区", "cooperate")}
    assert {(a.org.name, a.role) for a in tasks[1].assignments.select_related("org")} == {
        ("教师工作处", "lead")
    }
    assert not tasks[2].assignments.exists()
    assert not Notice.objects.exists()  # a draft's proposals tell nobody yet


def test_a_summary_then_a_plan_imports_the_plan_through_the_page(page, city):
    office = page("office")
    response = _import_through_page(office)
    plan = Plan.objects.get()
    _check_imported(plan, city)
    html = response.content.decode()
    assert "文件含 2 份文档，导入的是第 2 份：2031年工作要点（2031年计划）" in html
    assert "已按文中牵头/配合单位拟定 4 项交办，发布前请核对" in html
    assert "未匹配到机构的单位：不存在的处" in html
    assert "拟交办" in html and "牵头 基础教育处" in html


def test_a_summary_then_a_plan_imports_the_plan_through_the_api(api, city):
    response = api("office").post(
        "/api/plans/import/",
        {"file": SimpleUploadedFile("plan.txt", SUMMARY_THEN_PLAN.encode())},
        format="multipart",
    )
    assert response.status_code == 201, response.content
    plan = Plan.objects.get(pk=response.json()["id"])
    _check_imported(plan, city)
    assert "导入的是第 2 份" in response.json()["detail"]


def test_publishing_confirms_the_proposed_units_and_tells_them(page, city, users):
    _import_through_page(page("office"))
    plan = Plan.objects.get()
    services.publish_plan(users["office"], plan)
    assert not plan.tasks.exclude(status=Task.Status.ACTIVE).exists()
    told = {(n.recipient.username, n.kind) for n in Notice.objects.select_related("recipient")}
    assert told == {
        ("basic", "assign"),
        ("jiangdong", "assign"),
        ("jiangbei", "assign"),
        ("teachers", "assign"),
    }
    assert Assignment.objects.filter(task__plan=plan, status=Assignment.Status.PENDING).count() == 4


def test_the_plan_of_the_latest_year_is_chosen():
    assert plan_document_index([("summary", 2030, True), ("plan", 2031, True)]) == 1
    assert plan_document_index([("plan", 2031, True), ("summary", 2031, True)]) == 0
    assert plan_document_index([("plan", 2030, True), ("plan", 2031, True)]) == 1
    assert plan_document_index([("plan", 2031, False), ("summary", 2030, True)]) == 1
    assert plan_document_index([]) is None

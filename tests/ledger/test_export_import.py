"""The ledger's Excel as the bureau reads it (issue 16, items 6-8): the filtered view with the plan's own 序号,
every column the import documents kept or the file refused naming it, nothing a spreadsheet would run, and an
export that imports back to the same ledger."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from urllib.parse import unquote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from eduplan.ledger import services
from eduplan.ledger.models import Plan, ProgressReport, Task
from eduplan.ledger.xlsx import COLUMNS

ROW = {
    "序号": "1.",
    "重点任务": "学前教育",
    "具体内容": "新建幼儿园12所。",
    "目标": "",
    "牵头单位": "基础教育处",
    "配合单位": "江东区",
    "完成时限": "2024-06-30",
    "进展情况": "",
    "存在问题": "",
    "下步计划": "",
    "状态": "",
}


def _sheet(rows: list[dict], header=COLUMNS) -> bytes:
    book = Workbook()
    book.active.append(header)
    for row in rows:
        book.active.append([row.get(name, "") for name in header])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _rows(content: bytes) -> list[dict]:
    sheet = load_workbook(io.BytesIO(content)).active
    header, *rows = list(sheet.iter_rows(values_only=True))
    return [dict(zip(header, row, strict=True)) for row in rows]


def _import(client, data: bytes):
    return client.post("/import-ledger/", {"file": SimpleUploadedFile("台账.xlsx", data)}, follow=True)


# --- 序号 (item 6) --------------------------------------------------------------------------------------


def test_the_number_is_the_plans_own_for_every_user_and_filter(page, plan):
    second_section = plan.tasks.get(position=4)  # 二、4. 加强师德建设
    services.assign(plan.created_by, second_section, plan.tasks.first().assignments.first().org, "lead")
    numbers = {}
    for role, path in (
        ("office", "/"),
        ("basic", "/"),
        ("office", "/?q=师德"),
        ("office", "/?status=active"),
    ):
        html = page(role).get(path).content.decode()
        row = re.search(rf"<td>([^<]*)</td>\s*<td><a href=\"/tasks/{second_section.pk}/\">", html)
        numbers[(role, path)] = row.group(1) if row else None
    assert set(numbers.values()) == {"二、4."}, numbers


def test_the_api_gives_the_number_too(api, plan):
    body = api("office").get("/api/tasks/").json()
    items = body["results"] if isinstance(body, dict) else body
    assert {item["number"] for item in items} >= {"一、（一）1.", "二、4."}


# --- export (item 7) ------------------------------------------------------------------------------------


def test_the_export_is_the_filtered_view_named_after_the_plan_and_date(page, plan):
    client = page("office")
    html = client.get("/?q=师德").content.decode()
    link = re.search(r'id="export" href="([^"]+)"', html).group(1).replace("&amp;", "&")
    assert "q=" in link
    response = client.get(link)
    rows = _rows(response.content)
    assert [row["事项"] for row in rows] == ["加强师德建设"]
    name = unquote(response["Content-Disposition"].split("''")[1])
    assert name == f"督办台账_滨江市教育局2024年工作要点_{timezone.localdate().isoformat()}.xlsx"
    by_unit = _rows(client.get(f"/export.xlsx?org={plan.tasks.first().assignments.first().org_id}").content)
    assert [row["事项"] for row in by_unit] == ["增加普惠学位"]


def test_the_export_holds_light_signing_latest_month_value_verdict_and_plan(page, signed_task, users):
    target = signed_task.targets.first()
    services.report(users["basic"], signed_task, progress="已开工三所", values={target.pk: 5})
    row = next(r for r in _rows(page("office").get("/export.xlsx").content) if r["事项"] == signed_task.title)
    assert row["序号"] == "一、（一）1." and row["计划"] == signed_task.plan.title
    assert row["预警"] in ("正常", "预警", "逾期")
    assert "基础教育处 已签收" in row["签收"] and "江东区 待签收" in row["签收"]
    assert row["最近报送"] == timezone.localdate().strftime("%Y-%m") and row["进展情况"] == "已开工三所"
    assert f"{target.indicator}：5" in row["当前值"] and target.indicator in row["判定"]


@pytest.mark.parametrize(
    "text",
    [
        '=HYPERLINK("http://evil.example","点击查看")',
        "+1+cmd|' /C calc'!A0",
        "-2+3",
        "@SUM(A1:A2)",
        "\t=1+1",
        "\r=1+1",
    ],
)
def test_text_a_spreadsheet_would_run_is_written_as_text(page, signed_task, users, text):
    services.report(users["basic"], signed_task, progress=text)
    content = page("office").get("/export.xlsx").content
    sheet_xml = zipfile.ZipFile(io.BytesIO(content)).read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml
    cell = next(
        c for row in load_workbook(io.BytesIO(content)).active.iter_rows() for c in row if c.value == text
    )
    assert cell.data_type == "s" and cell.quotePrefix


# --- import (item 8) ------------------------------------------------------------------------------------


def test_progress_problems_and_next_steps_are_imported(page, city):
    row = {
        **ROW,
        "进展情况": "已完成一半",
        "存在问题": "用地未落实",
        "下步计划": "协调规划局",
        "状态": "推进中",
    }
    response = _import(page("office"), _sheet([row]))
    assert "已导入 1 行" in response.content.decode()
    report = ProgressReport.objects.get()
    assert (report.progress, report.problems, report.next_steps) == ("已完成一半", "用地未落实", "协调规划局")
    assert report.org == city["basic"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"状态": "胡乱状态"}, "“状态”的“胡乱状态”不是台账状态"),
        ({"完成时限": "2024-02-30"}, "不是真实的日期"),
        ({"存在问题": "缺经费"}, "“进展情况”为空"),
    ],
)
def test_a_bad_cell_is_refused_in_words_and_nothing_imported(page, api, city, change, message):
    data = _sheet([{**ROW, **change}])
    html = _import(page("office"), data).content.decode()
    assert message in html and "未导入任何行" in html
    body = (
        api("office")
        .post("/api/ledger/import/", {"file": SimpleUploadedFile("l.xlsx", data)}, format="multipart")
        .json()
    )
    assert any(message in error["message"] for error in body["errors"]), body
    assert not Plan.objects.exists()


def test_a_column_the_import_would_drop_refuses_the_file_naming_it(page, api, city):
    data = _sheet([ROW], header=(*COLUMNS, "责任人"))
    assert "责任人" in _import(page("office"), data).content.decode()
    response = api("office").post(
        "/api/ledger/import/", {"file": SimpleUploadedFile("l.xlsx", data)}, format="multipart"
    )
    assert response.status_code == 400 and "责任人" in response.json()["detail"]
    assert not Plan.objects.exists()


def test_a_closed_item_comes_in_closed(page, city, users):
    _import(page("office"), _sheet([{**ROW, "状态": "已办结", "进展情况": "已全部完成"}]))
    plan = Plan.objects.get()
    assert (
        page("basic").get(f"/tasks/{plan.tasks.get().pk}/").status_code == 404
    )  # a draft: not the unit's yet
    assert (
        "新建幼儿园12所" not in page("office").get("/").content.decode()
    )  # nor in the ledger before publishing
    services.publish_plan(users["office"], plan)
    task = plan.tasks.get()
    assert task.status == Task.Status.CLOSED and set(task.assignments.values_list("status", flat=True)) == {
        "done"
    }


# --- round trip (done-when) ------------------------------------------------------------------------------


def _ledger(plan: Plan) -> list[tuple]:
    """What the round trip keeps: items, units, dates, targets and progress."""
    out = []
    for task in plan.tasks.order_by("position"):
        report = task.reports.order_by("-period", "-id").first()
        out.append(
            (
                task.number,
                task.section,
                task.title,
                task.content,
                task.due_date,
                task.status,
                sorted((a.org.name, a.role, a.due_date) for a in task.assignments.select_related("org")),
                sorted(
                    (t.indicator, t.comparator, t.value, t.value_max, t.unit, t.deadline)
                    for t in task.targets.all()
                ),
                (report.period, report.progress, report.problems, report.next_steps) if report else None,
            )
        )
    return out


def test_export_then_import_gives_the_same_ledger(page, plan, users, city):
    office = users["office"]
    first, second, third = plan.tasks.order_by("position")[:3]
    services.assign(office, third, city["teachers"], "lead", dt.date(2030, 9, 30))
    services.sign(users["basic"], first.assignments.get(org=city["basic"]))
    services.report(
        users["basic"],
        first,
        progress="=已开工3所",
        problems="用地紧张",
        next_steps="加快审批",
        period=dt.date(2024, 5, 1),
    )
    services.save_target(
        office,
        second,
        None,
        {
            "indicator": "评估覆盖率",
            "comparator": "between",
            "value": 90,
            "value_max": 100,
            "unit": "%",
            "quote": "",
        },
    )
    services.sign(users["jiangbei"], second.assignments.get())
    services.file_request(users["jiangbei"], second, "close", "已完成")
    services.review(office, second.requests.get(), True)
    exported = page("office").get(f"/export.xlsx?plan={plan.pk}").content
    response = _import(page("office"), exported)
    assert "已导入 4 行" in response.content.decode()
    copy = Plan.objects.exclude(pk=plan.pk).get()
    services.publish_plan(office, copy)
    assert _ledger(copy) == _ledger(plan)

"""Plan files and ledger sheets through the API: multipart upload, the pages' permission, checks and messages."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from eduplan.ledger.models import Plan, Task
from eduplan.ledger.xlsx import COLUMNS

GOOD_ROW = (1, "学前教育", "新建幼儿园12所。", "12所", "基础教育处", "江东区", "2024年6月", "", "", "", "")
BAD_ROW = (2, "", "", "", "不存在的处", "", "明年", "", "", "", "")


def _xlsx(rows, header=COLUMNS) -> bytes:
    book = Workbook()
    book.active.append(header)
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _post(client, path: str, data: bytes | None, name: str):
    body = {} if data is None else {"file": SimpleUploadedFile(name, data)}
    return client.post(path, body, format="multipart")


def test_the_office_imports_a_plan_file(api, users, plan_text):
    response = _post(api("office"), "/api/plans/import/", plan_text.encode(), "plan.txt")
    assert response.status_code == 201, response.content
    body = response.json()
    plan = Plan.objects.get(pk=body["id"])
    assert plan.status == Plan.Status.DRAFT and body["tasks"] == plan.tasks.count() == 4
    assert body["detail"] == "已读取 4 个事项，请核对后发布"
    assert plan.tasks.filter(targets__value=3600).exists()


@pytest.mark.parametrize(("data", "name", "message"), [
    (None, "", "请选择要上传的文件"),
    (b"", "plan.txt", "上传的文件是空的"),
    ("只有一句话，没有编号。".encode(), "plan.txt", "未识别出编号结构"),
    (b"\x00\xff" * 2000, "plan.docx", ""),  # the reader's own one-line refusal
])
def test_a_refused_plan_file_is_a_400_with_a_message_and_nothing_saved(api, users, data, name, message):
    response = _post(api("office"), "/api/plans/import/", data, name)
    assert response.status_code == 400
    assert message in response.json()["detail"] and response.json()["detail"].strip()
    assert not Plan.objects.exists()


def test_an_oversized_plan_file_is_refused(api, users, settings, plan_text):
    settings.MAX_UPLOAD_BYTES = 100
    response = _post(api("office"), "/api/plans/import/", plan_text.encode() * 3, "plan.txt")
    assert response.status_code == 400 and "文件过大" in response.json()["detail"]
    assert not Plan.objects.exists()


@pytest.mark.parametrize("name", ["leader", "basic", "jiangdong", "school", "admin"])
def test_only_the_office_imports_through_the_api(api, users, plan_text, name):
    plan = _post(api(name), "/api/plans/import/", plan_text.encode(), "plan.txt")
    sheet = _post(api(name), "/api/ledger/import/", _xlsx([GOOD_ROW]), "ledger.xlsx")
    assert (plan.status_code, sheet.status_code) == (403, 403)
    assert plan.json()["detail"] == "只有督查室可以导入计划" and sheet.json()["detail"] == "只有督查室可以导入台账"
    assert not Plan.objects.exists()


def test_anonymous_uploads_are_refused(client, users, plan_text):
    response = client.post("/api/plans/import/", {"file": SimpleUploadedFile("plan.txt", plan_text.encode())})
    assert response.status_code == 401 and not Plan.objects.exists()


def test_the_office_imports_a_ledger_sheet(api, city, users):
    response = _post(api("office"), "/api/ledger/import/", _xlsx([GOOD_ROW]), "ledger.xlsx")
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["rows"], body["errors"], body["detail"]) == (1, [], "已导入 1 行，生成草稿计划")
    task = Task.objects.get(plan_id=body["plan"])
    assert task.due_date.isoformat() == "2024-06-30" and task.status == Task.Status.DRAFT


def test_a_sheet_with_bad_rows_imports_nothing_and_lists_every_row_as_the_page_does(api, page, city, users):
    data = _xlsx([GOOD_ROW, BAD_ROW])
    response = _post(api("office"), "/api/ledger/import/", data, "ledger.xlsx")
    assert response.status_code == 400
    body = response.json()
    assert body["plan"] is None and body["rows"] == 2 and {e["row"] for e in body["errors"]} == {3}
    messages = {e["message"] for e in body["errors"]}
    assert "未知单位：不存在的处" in messages and "“具体内容”为空" in messages
    html = page("office").post("/import-ledger/", {"file": SimpleUploadedFile("ledger.xlsx", data)}).content.decode()
    assert body["detail"] in html and all(message in html for message in messages)
    assert not Plan.objects.exists()


@pytest.mark.parametrize(("data", "message"), [
    (_xlsx([(1, "x")], header=("序号", "任务")), "表头不符"),
    (b"PK\x03\x04 not really a zip", "无法读取 Excel"),
    (_xlsx([]), "没有数据行"),
])
def test_a_sheet_that_cannot_be_read_is_a_400_with_the_pages_message(api, city, users, data, message):
    response = _post(api("office"), "/api/ledger/import/", data, "ledger.xlsx")
    assert response.status_code == 400 and message in response.json()["detail"]
    assert not Plan.objects.exists()


def test_the_uploads_are_in_the_openapi_schema(api, users):
    schema = api("office").get("/api/schema/?format=json").json()
    for path in ("/api/plans/import/", "/api/ledger/import/"):
        body = schema["paths"][path]["post"]["requestBody"]["content"]
        assert body["multipart/form-data"]["schema"]["$ref"].endswith("/Upload")

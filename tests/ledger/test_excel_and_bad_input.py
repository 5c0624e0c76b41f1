"""Excel out and in, and bad input of every kind: a clear message, nothing lost, never a 500."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from eduplan.ledger.models import Plan, Task
from eduplan.ledger.xlsx import COLUMNS, EXPORT


def _xlsx(rows, header=COLUMNS) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _upload(data: bytes, name="ledger.xlsx"):
    return {"file": SimpleUploadedFile(name, data)}


def test_export_has_the_bureau_columns(page, signed_task):
    response = page("office").get("/export.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == EXPORT and set(COLUMNS) <= set(EXPORT)
    lead, co = EXPORT.index("牵头单位"), EXPORT.index("配合单位")
    assert any((row[lead] or "").startswith("基础教育处") and "江东区" in (row[co] or "") for row in rows[1:])


def test_district_export_holds_only_its_own_items(page, plan):
    sheet = load_workbook(io.BytesIO(page("jiangdong").get("/export.xlsx").content)).active
    assert sheet.max_row == 2  # header + the one item 江东区 co-operates on


def test_import_ledger_all_rows_as_drafts(page, city):
    row = (1, "学前教育", "新建幼儿园12所。", "12所", "基础教育处", "江东区、江北区", "2024年6月", "", "", "", "")
    response = page("office").post("/import-ledger/", _upload(_xlsx([row, (2, "", "培训教师5000人次。", "", "教师工作处",
                                                                            "", "2024-12-31", "", "", "", "")])))
    assert response.status_code == 302
    plan = Plan.objects.get()
    first = plan.tasks.order_by("position").first()
    assert first.due_date.isoformat() == "2024-06-30"
    assert sorted(first.assignments.values_list("org__name", flat=True)) == sorted(["基础教育处", "江北区", "江东区"])
    assert plan.status == Plan.Status.DRAFT


def test_import_ledger_bad_rows_import_nothing_and_list_every_row(page, city):
    rows = [(1, "", "好的一行", "", "基础教育处", "", "2024-06-30", "", "", "", ""),
            (2, "", "", "", "不存在的处", "", "明年", "", "", "", "")]
    response = page("office").post("/import-ledger/", _upload(_xlsx(rows)))
    html = response.content.decode()
    assert "未导入任何行" in html and "未知单位：不存在的处" in html and "不是日期" in html and "“具体内容”为空" in html
    assert not Plan.objects.exists()


def test_import_ledger_wrong_columns(page, city):
    response = page("office").post("/import-ledger/", _upload(_xlsx([(1, "x")], header=("序号", "任务"))), follow=True)
    assert "表头不符" in response.content.decode()
    assert not Task.objects.exists()


@pytest.mark.parametrize("data", [b"", b"PK\x03\x04 not really a zip", b"\x00\x01\x02" * 100])
def test_malformed_xlsx(page, city, data):
    response = page("office").post("/import-ledger/", _upload(data), follow=True)
    assert response.status_code == 200
    text = response.content.decode()
    assert "无法读取 Excel" in text or "errorlist" in text  # Django refuses an empty file itself


def test_refused_plan_file_gets_the_readers_message(page, users):
    response = page("office").post("/plans/import/", _upload(b"\x00\xff" * 2000, "plan.docx"), follow=True)
    assert response.status_code == 200
    assert 'class="error"' in response.content.decode()
    assert not Plan.objects.exists()


def test_plan_without_structure_is_refused(page, users):
    response = page("office").post("/plans/import/", _upload("只有一句话，没有编号。".encode(), "plan.txt"), follow=True)
    assert "未识别出编号结构" in response.content.decode()


def test_oversized_upload(page, users, settings):
    settings.MAX_UPLOAD_BYTES = 1000
    response = page("office").post("/plans/import/", _upload(b"x" * 5000, "plan.txt"), follow=True)
    assert "文件过大" in response.content.decode()
    assert not Plan.objects.exists()


def test_malformed_form_posts_are_messages_not_500(page, signed_task):
    office, basic = page("office"), page("basic")
    assert office.post(f"/tasks/{signed_task.pk}/edit/", {"version": "abc"}).status_code == 302
    assert office.post(f"/tasks/{signed_task.pk}/split/", {"at": "x"}).status_code in (302, 403)
    assert basic.post(f"/tasks/{signed_task.pk}/report/", {}).status_code == 302
    assert basic.post(f"/tasks/{signed_task.pk}/request/", {"kind": "nonsense"}).status_code == 302
    assert office.post(f"/tasks/{signed_task.pk}/targets/", {"value": "many"}).status_code in (302, 403)
    assert office.get("/tasks/999999/").status_code == 404


def test_openapi_schema_renders(api, users):
    response = api("office").get("/api/schema/")
    assert response.status_code == 200
    assert b"/api/tasks/{id}/report/" in response.content


def test_token_endpoint(client, users):
    response = client.post("/api/token/", {"username": "office", "password": "pw"})
    assert response.status_code == 200 and response.json()["token"]


def test_every_page_renders_for_every_role(page, signed_task, users):
    for name in users:
        client = page(name)
        for url in ("/", "/plans/", "/notices/", f"/plans/{signed_task.plan_id}/"):
            assert client.get(url).status_code == 200, (name, url)


def test_english_is_available(page, task):
    client = page("office")
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert b"Ledger" in client.get("/").content


def test_chinese_by_default_whatever_the_browser_says(page, task):
    response = page("office").get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert "导出 Excel" in response.content.decode()


def test_a_huge_body_is_refused_before_it_is_read(page, users, settings):
    settings.MAX_UPLOAD_BYTES = 1000
    response = page("office").post("/plans/import/", _upload(b"x" * 400_000, "plan.txt"))
    assert response.status_code == 413 and "上限为" in response.content.decode()
    assert not Plan.objects.exists()

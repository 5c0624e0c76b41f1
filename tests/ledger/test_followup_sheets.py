"""督办单 and 催办单 from the item page, and several items assigned or urged at once (issue 17, item 5)."""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import subprocess
from pathlib import Path

import pytest
from django.utils import timezone
from docx import Document

from eduplan.followup import sheets
from eduplan.ledger.models import Assignment, Notice, Task

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def _cells(content: bytes) -> dict[str, str]:
    table = Document(io.BytesIO(content)).tables[0]
    return {row.cells[0].text: row.cells[1].text for row in table.rows}


def test_the_item_page_offers_both_sheets_to_the_office_only(page, task):
    body = page("office").get(f"/tasks/{task.pk}/").content.decode()
    assert f"/tasks/{task.pk}/duban.docx" in body and f"/tasks/{task.pk}/cuiban.docx" in body
    assert "duban.docx" not in page("basic").get(f"/tasks/{task.pk}/").content.decode()
    assert page("basic").get(f"/tasks/{task.pk}/duban.docx").status_code == 403
    assert page("office").get("/tasks/999999/duban.docx").status_code == 404


def test_duban_names_the_item_its_units_and_deadline_with_a_reply_box(page, task):
    Task.objects.filter(pk=task.pk).update(due_date=dt.date(2027, 6, 30))
    response = page("office").get(f"/tasks/{task.pk}/duban.docx")
    cells = _cells(response.content)
    assert (
        cells["督办事项"] == task.title
        and cells["牵头单位"] == "基础教育处"
        and cells["配合单位"] == "江东区"
    )
    assert cells["完成时限"] == "2027年6月30日" and cells["办理情况（承办单位填写）"] == ""
    text = "\n".join(p.text for p in Document(io.BytesIO(response.content)).paragraphs)
    assert "督办通知单" in text and f"督字第{task.pk}号" in text and "滨江市教育局督查室" in text


def test_cuiban_says_what_is_late_and_carries_the_urging_text(page, task):
    Task.objects.filter(pk=task.pk).update(due_date=timezone.localdate() - dt.timedelta(days=5))
    cells = _cells(page("office").get(f"/tasks/{task.pk}/cuiban.docx", {"text": "请本周五前报送"}).content)
    assert "已逾期5天" in cells["当前情况"] and "基础教育处、江东区尚未签收" in cells["当前情况"]
    assert cells["催办事由"] == "请本周五前报送"
    assert (
        _cells(page("office").get(f"/tasks/{task.pk}/cuiban.docx").content)["催办事由"]
        == "请抓紧推进并按时报送进展。"
    )


def test_assign_several_items_at_once(page, plan, users, city):
    tasks = list(plan.tasks.order_by("position"))
    ids = [t.pk for t in tasks[2:]]
    response = page("office").post(
        "/bulk/", {"task": ids, "action": "assign", "org": city["teachers"].pk, "role": "lead"}, follow=True
    )
    assert "已交办 2 项" in response.content.decode()
    assert Assignment.objects.filter(task_id__in=ids, org=city["teachers"], role="lead").count() == 2
    assert Notice.objects.filter(recipient=users["teachers"], kind="assign").count() == 2
    # item 1 already has a lead unit: named, the others still go ahead
    response = page("office").post(
        "/bulk/",
        {"task": [tasks[0].pk, tasks[1].pk], "action": "assign", "org": city["teachers"].pk, "role": "lead"},
        follow=True,
    )
    body = response.content.decode()
    assert f"“{tasks[0].title}”未能交办：每个事项只能有一个牵头单位" in body
    response = page("office").post(
        "/bulk/", {"task": ids, "action": "assign", "org": "", "role": "lead"}, follow=True
    )
    assert "请选择承办单位和角色" in response.content.decode()
    assert "请先勾选事项" in page("office").post("/bulk/", {"action": "urge"}, follow=True).content.decode()
    assert page("basic").post("/bulk/", {"task": ids, "action": "urge"}).status_code == 403


def test_urge_several_items_at_once(page, plan, users):
    ids = [t.pk for t in plan.tasks.order_by("position")[:2]]
    response = page("office").post(
        "/bulk/", {"task": ids, "action": "urge", "text": "月底前报送"}, follow=True
    )
    assert "已催办 2 项" in response.content.decode()
    for name in ("basic", "jiangdong", "jiangbei"):
        assert Notice.objects.filter(recipient=users[name], kind="urge", text__contains="月底前报送").exists()


def test_the_bulk_page_lists_open_items_with_labels(page, plan):
    body = page("office").get(f"/bulk/?plan={plan.pk}").content.decode()
    assert "承办单位" in body and "交办所选事项" in body and "催办所选事项" in body
    assert plan.tasks.first().title in body


@pytest.mark.slow
def test_sheets_render_through_libreoffice(task, office, font_environment, tmp_path):
    for name, content in (
        ("duban", sheets.duban(task, timezone.localdate())),
        ("cuiban", sheets.cuiban(task, timezone.localdate(), "请本周五前报送")),
    ):
        source = tmp_path / f"{name}.docx"
        source.write_bytes(content)
        subprocess.run(
            [
                "soffice",
                f"-env:UserInstallation={(tmp_path / 'lo').as_uri()}",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                str(tmp_path),
                str(source),
            ],
            check=True,
            capture_output=True,
            timeout=180,
            env=os.environ | font_environment,
        )
        pdf = source.with_suffix(".pdf")
        text = re.sub(
            r"\s+",
            "",
            subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout,
        )
        assert task.title in text and "办理情况" in text
        pages = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
        assert re.search(r"Pages:\s+1\b", pages), f"{name} should fit one page"
        ARTIFACTS.mkdir(exist_ok=True)
        subprocess.run(
            ["pdftoppm", "-r", "70", "-png", str(pdf), str(ARTIFACTS / f"followup-{name}")],
            check=True,
            timeout=60,
        )

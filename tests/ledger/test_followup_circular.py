"""The monthly 督查通报 (issue 17, item 4): figures per unit worked out by hand from the ledger rows and by a
plain recount, the ranking, the .docx (GB/T 9704, rendered through LibreOffice) and the .xlsx."""

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
from openpyxl import load_workbook

from eduplan.followup import circular
from eduplan.ledger import services
from eduplan.ledger.models import Assignment, ProgressReport, Task

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def _at(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(10), tzinfo=timezone.get_current_timezone())


@pytest.fixture
def month_past(plan, users, city):
    """Last month, as the rows say:
    基础教育处 signed item 1 and reported in the month (on time); 江东区 signed item 1, reported after the
    month's end (late); 江北区 signed item 2 only this month (nothing due); 教师工作处 leads item 3 (signed,
    no report, due mid-month: overdue, extended once) and item 4 (reported on time, then closed)."""
    today = timezone.localdate()
    month = (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    end = circular.month_end(month)
    office, tasks = users["office"], list(plan.tasks.order_by("position"))
    for task in tasks[2:]:
        services.assign(office, task, city["teachers"], Assignment.Role.LEAD, month + dt.timedelta(days=14))
    for name, task in (
        ("basic", tasks[0]),
        ("jiangdong", tasks[0]),
        ("jiangbei", tasks[1]),
        ("teachers", tasks[2]),
        ("teachers", tasks[3]),
    ):
        services.sign(users[name], task.assignments.get(org=users[name].org))
    Assignment.objects.exclude(org=city["d2"]).update(signed_at=_at(month + dt.timedelta(days=1)))
    for name, task, written in (
        ("basic", tasks[0], month + dt.timedelta(days=20)),
        ("jiangdong", tasks[0], end + dt.timedelta(days=2)),
        ("teachers", tasks[3], month + dt.timedelta(days=25)),
    ):
        entry = services.report(users[name], task, progress="推进中", period=month)
        ProgressReport.objects.filter(pk=entry.pk).update(created_at=_at(written))
    Task.objects.filter(pk__in=[tasks[0].pk, tasks[1].pk]).update(due_date=today + dt.timedelta(days=60))
    Task.objects.filter(pk=tasks[2].pk).update(due_date=month + dt.timedelta(days=14), extension_count=1)
    Task.objects.filter(pk=tasks[3].pk).update(status=Task.Status.CLOSED)
    tasks[3].assignments.update(status=Assignment.Status.DONE)
    return plan, month


def _table(found) -> dict[str, tuple]:
    return {
        u.name: (u.rank, u.assigned, u.signed, u.due, u.on_time, u.overdue, u.closed, u.extensions)
        for u in found.units
    }


def test_figures_by_hand(month_past):
    plan, month = month_past
    found = circular.build(plan, month, timezone.localdate())
    assert _table(found) == {  # rank, assigned, signed, due, on time, overdue, closed, extensions
        "基础教育处": (1, 1, 1, 1, 1, 0, 0, 0),
        "教师工作处": (2, 2, 2, 2, 1, 1, 1, 1),
        "江东区": (3, 1, 1, 1, 0, 0, 0, 0),
        "江北区": (4, 1, 1, 0, 0, 0, 0, 0),
    }
    assert [u.rate_text for u in found.units] == ["100.0%", "50.0%", "0.0%", "—"]
    assert found.as_of == circular.month_end(month)
    assert any("江东区：“增加普惠学位”" in line and "未按时报送" in line for line in circular.issues(found))


def _plain_recount(plan, month: dt.date, today: dt.date) -> dict[str, list[int]]:
    """The definitions of circular.py's docstring, applied to the raw rows one by one."""
    end = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
    as_of = min(end, today)
    counts: dict[str, list[int]] = {}
    for a in Assignment.objects.filter(task__plan=plan):
        task = Task.objects.get(pk=a.task_id)
        is_open = task.status in ("active", "reviewing")
        signed_in_time = a.signed_at is not None and timezone.localtime(a.signed_at).date() <= end
        report = (
            ProgressReport.objects.filter(task=task, org=a.org, period=month).order_by("created_at").first()
        )
        due = signed_in_time and (is_open or report is not None)
        on_time = due and report is not None and timezone.localtime(report.created_at).date() <= end
        late = is_open and task.due_date is not None and task.due_date < as_of
        figures = counts.setdefault(a.org.name, [0] * 7)
        for index, flag in enumerate((True, a.status != "pending", due, on_time, late, a.status == "done")):
            figures[index] += int(flag)
        figures[6] += task.extension_count if a.role == "lead" else 0
    return counts


def test_figures_agree_with_a_plain_recount_of_the_rows(month_past):
    plan, month = month_past
    for day in (month, timezone.localdate()):
        found = circular.build(plan, day, timezone.localdate())
        mine = {
            u.name: [u.assigned, u.signed, u.due, u.on_time, u.overdue, u.closed, u.extensions]
            for u in found.units
        }
        assert mine == _plain_recount(plan, day, timezone.localdate())


def test_the_page_the_unit_page_and_who_may_see_them(page, month_past, city):
    plan, month = month_past
    query = f"?plan={plan.pk}&month={month:%Y-%m}"
    body = page("office").get("/circular/" + query).content.decode()
    assert circular.words()["title"].format(year=month.year, month=month.month) in body
    assert "100.0%" in body and f"/circular/units/{city['teachers'].pk}/" in body
    unit = page("office").get(f"/circular/units/{city['teachers'].pk}/{query}").content.decode()
    assert "第 2 名" in unit and "推进师德建设" not in unit or "加强师德建设" in unit
    assert page("basic").get("/circular/").status_code == 403
    assert page("basic").get(f"/circular/units/{city['basic'].pk}/{query}").status_code == 200
    assert page("basic").get(f"/circular/units/{city['d1'].pk}/{query}").status_code == 403
    assert page("office").get("/circular/?plan=abc&month=2026-99").status_code == 200  # falls back, no 500


def test_docx_and_xlsx_carry_the_same_figures(page, month_past):
    plan, month = month_past
    query = f"?plan={plan.pk}&month={month:%Y-%m}"
    response = page("office").get("/circular/circular.docx" + query)
    assert (
        response.status_code == 200
        and "%E7%9D%A3%E6%9F%A5%E9%80%9A%E6%8A%A5" in response["Content-Disposition"]
    )
    document = Document(io.BytesIO(response.content))
    rows = [[cell.text for cell in row.cells] for row in document.tables[0].rows]
    assert rows[1] == ["1", "基础教育处", "1", "1", "1", "1", "100.0%", "0", "0", "0"]
    assert rows[2] == ["2", "教师工作处", "2", "2", "2", "1", "50.0%", "1", "1", "1"]
    text = "\n".join(p.text for p in document.paragraphs)
    assert "滨江市教育局督查室" in text and "四、下一步工作要求" in text
    book = load_workbook(io.BytesIO(page("office").get("/circular/circular.xlsx" + query).content))
    sheet = [[c.value for c in row] for row in book["单位排名"].iter_rows(min_row=4)]
    assert [str(v) for v in sheet[1]] == rows[2]
    assert page("basic").get("/circular/circular.docx").status_code == 403


@pytest.mark.slow
def test_docx_renders_through_libreoffice(month_past, office, font_environment, tmp_path):
    plan, month = month_past
    source = tmp_path / "circular.docx"
    source.write_bytes(circular.to_docx(circular.build(plan, month, timezone.localdate())))
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
    assert "督查通报" in text and "基础教育处" in text and "100.0%" in text and "滨江市教育局督查室" in text
    ARTIFACTS.mkdir(exist_ok=True)
    subprocess.run(
        ["pdftoppm", "-r", "70", "-png", str(pdf), str(ARTIFACTS / "followup-circular")],
        check=True,
        timeout=60,
    )

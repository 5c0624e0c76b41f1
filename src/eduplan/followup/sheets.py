"""督办单 and 催办单: one item on one printable page in the official layout (GB/T 9704), with a box for the
unit's written reply. Drawn from the item as it is; wording in data/sheets.toml."""

from __future__ import annotations

import datetime as dt
import io
import tomllib
from functools import cache
from importlib import resources

from docx.enum.table import WD_ROW_HEIGHT_RULE, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm

from eduplan.ledger.lights import TaskLights
from eduplan.ledger.models import Assignment, Task
from eduplan.reports.layout import STYLE_IDS, TABLE_TEXT_STYLE, add_body, add_title, official_document, save

from .circular import bureau_name


@cache
def words() -> dict:
    return tomllib.loads(
        resources.files("eduplan.followup").joinpath("data", "sheets.toml").read_text("utf-8")
    )


def _units(task: Task, role: str) -> str:
    return "、".join(a.org.name for a in task.assignments.all() if a.role == role) or "—"


def state(task: Task, today: dt.date) -> str:
    """What the 催办单 says of the item now: overdue days, a missing report, or its status."""
    lights = TaskLights(task, today)
    parts = [task.get_status_display()]
    if lights.flags["overdue"]:
        parts.append(f"已逾期{(today - task.due_date).days}天")
    if lights.flags["missing_report"]:
        parts.append("本月或上月未报送进展")
    pending = [a.org.name for a in task.assignments.all() if a.status == Assignment.Status.PENDING]
    if pending:
        parts.append(f"{'、'.join(pending)}尚未签收")
    return "，".join(parts)


def duban(task: Task, today: dt.date) -> bytes:
    w, f = words()["duban"], words()["fields"]
    rows = [
        (f["task"], task.title),
        (f["section"], task.section or "—"),
        (f["content"], task.content or "—"),
        (f["lead"], _units(task, Assignment.Role.LEAD)),
        (f["cooperate"], _units(task, Assignment.Role.COOPERATE)),
        (f["due"], f"{task.due_date:%Y年%-m月%-d日}" if task.due_date else "—"),
        (f["request"], w["request"]),
    ]
    return _sheet(task, today, w, rows)


def cuiban(task: Task, today: dt.date, reason: str = "") -> bytes:
    w, f = words()["cuiban"], words()["fields"]
    rows = [
        (f["task"], task.title),
        (f["lead"], _units(task, Assignment.Role.LEAD)),
        (f["cooperate"], _units(task, Assignment.Role.COOPERATE)),
        (f["due"], f"{task.due_date:%Y年%-m月%-d日}" if task.due_date else "—"),
        (f["state"], state(task, today)),
        (f["reason"], reason.strip() or w["default_reason"]),
        (f["request"], w["request"]),
    ]
    return _sheet(task, today, w, rows)


def _sheet(task: Task, today: dt.date, w: dict, rows: list[tuple[str, str]]) -> bytes:
    f = words()["fields"]
    document = official_document()
    document.core_properties.title = f"{w['title']}：{task.title}"
    document.core_properties.language = "zh-CN"
    add_title(document, w["title"])
    number = document.add_paragraph(w["number"].format(year=today.year, number=task.pk))
    number.alignment = WD_ALIGN_PARAGRAPH.CENTER
    table = document.add_table(rows=len(rows) + 1, cols=2)
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for column, width in zip(table.columns, (36, 120), strict=True):
        column.width = Mm(width)
    for row, (label, value) in zip(table.rows, [*rows, (f["reply"], "")], strict=True):
        for cell, text, width in zip(row.cells, (label, value), (36, 120), strict=True):
            cell.width = Mm(width)
            paragraph = cell.paragraphs[0]
            paragraph._p.style = STYLE_IDS[TABLE_TEXT_STYLE]  # the table font, as the reports' tables
            paragraph.add_run(text).bold = text == label
    reply = table.rows[-1]
    reply.height, reply.height_rule = Mm(70), WD_ROW_HEIGHT_RULE.AT_LEAST  # room to write by hand
    add_body(document, f["signature"])
    for text in ("", f"{bureau_name(task.plan)}督查室", f"{today:%Y年%-m月%-d日}"):
        document.add_paragraph(text).alignment = WD_ALIGN_PARAGRAPH.RIGHT
    out = io.BytesIO()
    save(document, out)
    return out.getvalue()

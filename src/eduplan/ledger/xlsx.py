"""The ledger as the bureau's usual Excel sheet, out and in.

Import is all rows or none: every row is validated first and the report lists each bad row.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils.exceptions import InvalidFileException

from eduplan.limits import XLSX_SECONDS, Deadline, TooLarge, bounded_rows, check_xlsx

from .models import Assignment, Org, Plan, Task
from .services import Invalid, audit

COLUMNS = ("序号", "重点任务", "具体内容", "目标", "牵头单位", "配合单位", "完成时限", "进展情况", "存在问题", "下步计划", "状态")
WIDTHS = (6, 22, 50, 30, 14, 22, 12, 40, 24, 24, 10)
LIGHT_FILL = {"red": "F8D7DA", "yellow": "FFF3CD", "green": "D4EDDA"}
MAX_ROWS = 5000


def export_ledger(tasks) -> bytes:
    from .lights import light

    book = Workbook()
    sheet = book.active
    sheet.title = "督办台账"
    sheet.append(COLUMNS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for column, width in zip("ABCDEFGHIJK", WIDTHS, strict=True):
        sheet.column_dimensions[column].width = width
    tasks = tasks.select_related("plan").prefetch_related("targets", "assignments__org", "reports")
    for number, task in enumerate(tasks, start=1):
        latest = next(iter(task.reports.all()), None)
        assignments = list(task.assignments.all())
        sheet.append((
            number, task.section or task.title, task.content,
            "；".join(str(target) for target in task.targets.all()),
            "、".join(a.org.name for a in assignments if a.role == Assignment.Role.LEAD),
            "、".join(a.org.name for a in assignments if a.role == Assignment.Role.COOPERATE),
            task.due_date, latest.progress if latest else "", latest.problems if latest else "",
            latest.next_steps if latest else "", task.get_status_display(),
        ))
        row = sheet.max_row
        sheet.cell(row, 7).number_format = "yyyy-mm-dd"
        fill = LIGHT_FILL.get(light(task, latest_period=latest.period if latest else None))
        if fill:
            sheet.cell(row, 11).fill = PatternFill("solid", fgColor=fill)
        for cell in sheet[row]:
            cell.alignment = Alignment(vertical="top", wrap_text=True)
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@dataclass
class RowError:
    row: int
    message: str


@dataclass
class ImportReport:
    rows: int = 0
    errors: list[RowError] = field(default_factory=list)
    plan: Plan | None = None


_DATE = re.compile(r"(\d{4})\s*[-年/.]\s*(\d{1,2})(?:\s*[-月/.]\s*(\d{1,2}))?")


def _date(value) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    match = _DATE.search(str(value))
    if not match:
        raise ValueError(_("完成时限“%(value)s”不是日期（如 2024-06-30 或 2024年6月）") % {"value": value})
    year, month, day = int(match[1]), int(match[2]), match[3]
    if day:
        return dt.date(year, month, int(day))
    following = dt.date(year + month // 12, month % 12 + 1, 1)  # "2024年6月" means by the end of June
    return following - dt.timedelta(days=1)


def _units(text) -> list[str]:
    return [part.strip() for part in re.split(r"[、,，;；/\s]+", str(text or "")) if part.strip()]


def _open_sheet(data: bytes, name: str):
    check_xlsx(io.BytesIO(data), name)  # TooLarge: refused before anything is inflated
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (InvalidFileException, KeyError, OSError, ValueError, Exception) as error:  # zip/xml damage
        raise Invalid(_("无法读取 Excel 文件（%(error)s）：请上传 .xlsx 格式的台账")
                      % {"error": type(error).__name__}) from None
    return book.worksheets[0]


def import_ledger(user, data: bytes, name: str, commit: bool = True) -> ImportReport:
    """Every row checked (a row-level report) and, when all are good, one draft plan; a workbook that is
    too large or whose sheet XML is damaged is refused with a message (Invalid), never half read."""
    sheet = _open_sheet(data, name)
    rows = bounded_rows(sheet.iter_rows(values_only=True), name, MAX_ROWS + 1, Deadline(XLSX_SECONDS, name))
    return _import_rows(user, _readable(rows), name, commit)


def _readable(rows):
    """The rows, a damaged or foreign sheet XML (a DTD, an entity, cut short) a message, not a 500: openpyxl
    finds it only while reading the rows."""
    while True:
        try:
            row = next(rows)
        except StopIteration:
            return
        except TooLarge:
            raise
        except Exception as error:
            raise Invalid(_("Excel 文件已损坏，无法读取（%(error)s）：请重新保存为 .xlsx 后上传")
                          % {"error": type(error).__name__}) from None
        yield row


def _import_rows(user, rows, name: str, commit: bool) -> ImportReport:
    header = tuple(str(cell).strip() if cell is not None else "" for cell in next(rows, ()))
    missing = [column for column in COLUMNS if column not in header]
    if missing:
        raise Invalid(_("表头不符：缺少列 %(missing)s；应为 %(columns)s")
                      % {"missing": "、".join(missing), "columns": "、".join(COLUMNS)})
    index = {column: header.index(column) for column in COLUMNS}
    orgs = {org.name: org for org in Org.objects.all()}
    report, parsed = ImportReport(), []
    for number, values in enumerate(rows, start=2):
        if number > MAX_ROWS:
            report.errors.append(RowError(number, _("行数超过上限 %(limit)d") % {"limit": MAX_ROWS}))
            break
        if not values or all(v in (None, "") for v in values):
            continue
        cell = {column: (values[i] if i < len(values) else None) for column, i in index.items()}
        report.rows += 1
        row, problems = _check_row(cell, orgs)
        report.errors.extend(RowError(number, p) for p in problems)
        parsed.append(row)
    if not report.rows:
        raise Invalid(_("表格中没有数据行"))
    if report.errors or not commit:
        return report
    report.plan = _create(user, name, parsed)
    return report


def _check_row(cell: dict, orgs: dict) -> tuple[dict, list[str]]:
    problems = []
    content = str(cell["具体内容"] or "").strip()
    if not content:
        problems.append(_("“具体内容”为空"))
    leads = _units(cell["牵头单位"])
    if len(leads) != 1:
        problems.append(_("“牵头单位”须恰好填写一个单位"))
    unknown = [u for u in leads + _units(cell["配合单位"]) if u not in orgs]
    if unknown:
        problems.append(_("未知单位：%(units)s") % {"units": "、".join(unknown)})
    try:
        due = _date(cell["完成时限"])
    except ValueError as error:
        problems.append(str(error))
        due = None
    row = {"section": str(cell["重点任务"] or "").strip(), "content": content, "goal": str(cell["目标"] or "").strip(),
           "lead": [orgs[u] for u in leads if u in orgs], "co": [orgs[u] for u in _units(cell["配合单位"]) if u in orgs],
           "due": due}
    return row, problems


@transaction.atomic
def _create(user, name: str, rows: list[dict]) -> Plan:
    plan = Plan.objects.create(title=f"台账导入：{name}"[:200], source_name=name[:200], created_by=user)
    for position, row in enumerate(rows, start=1):
        content = row["content"] + (f"\n目标：{row['goal']}" if row["goal"] else "")
        task = Task.objects.create(plan=plan, position=position, section=row["section"][:200],
                                   title=row["content"].split("。")[0][:60], content=content,
                                   source_quote=row["content"], due_date=row["due"])
        for org in row["lead"]:
            Assignment.objects.create(task=task, org=org, role=Assignment.Role.LEAD, due_date=row["due"])
        for org in row["co"]:
            if org not in row["lead"]:
                Assignment.objects.get_or_create(task=task, org=org,
                                                 defaults={"role": Assignment.Role.COOPERATE, "due_date": row["due"]})
    audit(user, "import-xlsx", plan=plan, after={"source": name, "rows": len(rows)})
    return plan

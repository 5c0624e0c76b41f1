"""The ledger as the bureau's usual Excel sheet, out and in.

Import is all rows or none: every row is validated first and the report lists each bad row.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

from eduplan.limits import XLSX_SECONDS, Deadline, TooLarge, bounded_rows, check_xlsx

from .models import Assignment, Org, Plan, ProgressReport, Target, Task
from .services import Invalid, audit

# What the import reads (all required, in any order); the export writes these and the columns it works out.
COLUMNS = ("序号", "重点任务", "具体内容", "目标", "牵头单位", "配合单位", "完成时限", "进展情况", "存在问题", "下步计划", "状态")
# Read when present: the item's short title, and the month the progress columns report on.
OPTIONAL = ("事项", "最近报送")
# Worked out from the ledger, written by the export, ignored by the import (it works them out again).
DERIVED = ("计划", "预警", "签收", "当前值", "判定")
EXPORT = ("序号", "计划", "重点任务", "事项", "具体内容", "目标", "牵头单位", "配合单位", "完成时限", "预警", "签收",
          "最近报送", "当前值", "判定", "进展情况", "存在问题", "下步计划", "状态")
WIDTHS = {"序号": 10, "计划": 20, "重点任务": 22, "事项": 22, "具体内容": 50, "目标": 30, "牵头单位": 14,
          "配合单位": 22, "完成时限": 12, "预警": 8, "签收": 22, "最近报送": 10, "当前值": 24, "判定": 20,
          "进展情况": 40, "存在问题": 24, "下步计划": 24, "状态": 10}
LIGHT_FILL = {"red": "F8D7DA", "yellow": "FFF3CD", "green": "D4EDDA"}
MAX_ROWS = 5000
# A cell starting with one of these is read by a spreadsheet as a formula (or a DDE command): written as text.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def export_ledger(rows) -> bytes:
    """rows: (task, light, light's label) as the ledger list shows them, in its order (views.filtered_tasks).
    The sheet is the bureau's: its words are Chinese whatever the page's language."""
    with translation.override("zh-hans"):
        return _export(rows)


def _export(rows) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "督办台账"
    sheet.append(EXPORT)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for number, name in enumerate(EXPORT, start=1):
        sheet.column_dimensions[get_column_letter(number)].width = WIDTHS[name]
    tasks = [task for task, *_ in rows]
    details = _details(tasks)
    for task, lit, lit_label in rows:
        values = {"预警": lit_label, **_row(task), **details[task.pk]}
        _append_as_text(sheet, [values[name] for name in EXPORT])
        row = sheet.max_row
        for name in ("完成时限",):
            sheet.cell(row, EXPORT.index(name) + 1).number_format = "yyyy-mm-dd"
        fill = LIGHT_FILL.get(lit)
        if fill:
            sheet.cell(row, EXPORT.index("预警") + 1).fill = PatternFill("solid", fgColor=fill)
        for cell in sheet[row]:
            cell.alignment = Alignment(vertical="top", wrap_text=True)
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _append_as_text(sheet, values: list) -> None:
    """Append a row; text a spreadsheet would run as a formula (=HYPERLINK(…) typed into a report) stays text."""
    sheet.append(values)
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str) and cell.value.startswith(FORMULA_START):
            cell.data_type = "s"
            cell.quotePrefix = True


def _row(task: Task) -> dict:
    assignments = list(task.assignments.all())
    return {
        "序号": task.label, "计划": task.plan.title, "重点任务": task.section, "事项": task.title,
        "具体内容": task.content, "目标": "；".join(target_text(t) for t in task.targets.all()),
        "牵头单位": "、".join(_unit_text(a) for a in assignments if a.role == Assignment.Role.LEAD),
        "配合单位": "、".join(_unit_text(a) for a in assignments if a.role == Assignment.Role.COOPERATE),
        "完成时限": task.due_date, "状态": task.get_status_display(),
        "签收": "；".join(f"{a.org.name} {a.get_status_display()}" for a in assignments),
    }


def _unit_text(assignment: Assignment) -> str:
    """A unit, with its own deadline when it is not the item's: 江东区（2024-05-31前）."""
    own = assignment.due_date and assignment.due_date != assignment.task.due_date
    return f"{assignment.org.name}（{assignment.due_date.isoformat()}前）" if own else assignment.org.name


def _details(tasks: list[Task]) -> dict[int, dict]:
    """Per item: its latest report's month and texts, and each target's current value and verdict as the item
    page shows them (monitoring.display)."""
    from eduplan.monitoring.display import judged_rows

    reports = ProgressReport.objects.order_by("-period", "-id")
    with_reports = Task.objects.filter(pk__in=[t.pk for t in tasks]).prefetch_related(
        Prefetch("reports", queryset=reports))
    latest = {task.pk: next(iter(task.reports.all()), None) for task in with_reports}
    judged = judged_rows([t.pk for t in tasks])
    out = {}
    for task in tasks:
        report, rows = latest.get(task.pk), judged.get(task.pk, [])
        out[task.pk] = {
            "最近报送": report.period.strftime("%Y-%m") if report else "",
            "进展情况": report.progress if report else "", "存在问题": report.problems if report else "",
            "下步计划": report.next_steps if report else "",
            "当前值": "；".join(f"{row.target.indicator}：{row.value}" for row in rows if row.value != "—"),
            "判定": "；".join(f"{row.target.indicator}：{row.label}" for row in rows),
        }
    return out


def target_text(target: Target) -> str:
    """A target as the 目标 column writes it and parse_target reads it back: 学位 ≥ 3600个（2024-06-30前）."""
    deadline = f"（{target.deadline.isoformat()}前）" if target.deadline else ""
    return f"{target.indicator} {target.get_comparator_display()} {target.figure}{target.unit}{deadline}"


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
_MONTH = re.compile(r"^\s*(\d{4})\s*[-年/.]\s*(\d{1,2})\s*月?\s*$")


def _date(value, column: str = "完成时限") -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    match = _DATE.search(str(value))
    if not match:
        raise ValueError(_("“%(column)s”的“%(value)s”不是日期（如 2024-06-30 或 2024年6月）")
                         % {"column": column, "value": value})
    year, month, day = int(match[1]), int(match[2]), match[3]
    try:
        if day:
            return dt.date(year, month, int(day))
        following = dt.date(year + month // 12, month % 12 + 1, 1)  # "2024年6月" means by the end of June
    except ValueError:
        raise ValueError(_("“%(column)s”的“%(value)s”不是真实的日期（没有这一月或这一天）")
                         % {"column": column, "value": value}) from None
    return following - dt.timedelta(days=1)


def _month(value) -> dt.date | None:
    """最近报送: the month a row's progress reports on (2024-06, 2024年6月, or a date in it)."""
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return (value.date() if isinstance(value, dt.datetime) else value).replace(day=1)
    match = _MONTH.match(str(value))
    if not match or not 1 <= int(match[2]) <= 12:
        raise ValueError(_("“最近报送”的“%(value)s”不是月份（如 2024-06）") % {"value": value})
    return dt.date(int(match[1]), int(match[2]), 1)


_UNIT = re.compile(r"^(?P<name>.+?)(?:（(?P<due>\d{4}-\d{2}-\d{2})前）)?$")


def _units(text) -> list[tuple[str, dt.date | None]]:
    """(unit name, its own deadline or None) for each unit a cell names: 基础教育处、江东区（2024-05-31前）."""
    parts = [part.strip() for part in re.split(r"[、,，;；/\s]+", str(text or "")) if part.strip()]
    return [(match["name"], dt.date.fromisoformat(match["due"]) if match["due"] else None)
            for match in map(_UNIT.match, parts)]


def _comparators() -> dict[str, str]:
    with translation.override("zh-hans"):  # the sheet is the bureau's: Chinese whatever the page's language
        return {str(label): value for value, label in Target.Comparator.choices}
_TARGET = re.compile(r"^(?P<indicator>.+?) (?P<comparator>\S+) (?P<value>-?\d+(?:\.\d+)?)(?:–(?P<max>-?\d+(?:\.\d+)?))?"
                     r"(?P<unit>[^（\d][^（]*)?(?:（(?P<deadline>\d{4}-\d{2}-\d{2})前）)?$")


def parse_target(text: str) -> dict | None:
    """One target as target_text writes it (学位 ≥ 3600个（2024-06-30前）), or None for free text."""
    match = _TARGET.match(text.strip())
    comparators = _comparators()
    if not match or match["comparator"] not in comparators:
        return None
    return {"indicator": match["indicator"][:200], "comparator": comparators[match["comparator"]],
            "value": float(match["value"]), "value_max": float(match["max"]) if match["max"] else None,
            "unit": (match["unit"] or "")[:20],
            "deadline": dt.date.fromisoformat(match["deadline"]) if match["deadline"] else None}


def _states() -> dict[str, str]:
    """状态 as the export writes it → the state an imported item starts in (drafts become 推进中 when the plan is
    published). 审核中 comes in as 推进中: the request under review belongs to the system it was filed in."""
    starts = {Task.Status.ACTIVE: Task.Status.DRAFT, Task.Status.DRAFT: Task.Status.DRAFT,
              Task.Status.REVIEWING: Task.Status.DRAFT, Task.Status.CLOSED: Task.Status.CLOSED,
              Task.Status.SUSPENDED: Task.Status.SUSPENDED}
    with translation.override("zh-hans"):
        return {str(state.label): start for state, start in starts.items()}


def _open_sheet(data: bytes, name: str):
    check_xlsx(io.BytesIO(data), name)  # TooLarge: refused before anything is inflated
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (InvalidFileException, KeyError, OSError, ValueError, Exception):  # zip/xml damage
        raise Invalid(_("无法读取 Excel 文件：请上传 .xlsx 格式的台账（可用本系统“导出 Excel”得到的表格为模板）")) from None
    return book.worksheets[0]


def _check_header(header: tuple[str, ...]) -> None:
    """Every documented column there, and no column the import would drop without a word."""
    missing = [column for column in COLUMNS if column not in header]
    if missing:
        raise Invalid(_("表头不符：缺少列 %(missing)s；应为 %(columns)s")
                      % {"missing": "、".join(missing), "columns": "、".join(COLUMNS)})
    unknown = [column for column in header if column and column not in (*COLUMNS, *OPTIONAL, *DERIVED)]
    if unknown:
        raise Invalid(_("表头中有本系统不导入的列：%(unknown)s。请删除这些列或改用以下列名后再导入：%(columns)s")
                      % {"unknown": "、".join(unknown), "columns": "、".join((*COLUMNS, *OPTIONAL))})


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
    _check_header(header)
    index = {column: header.index(column) for column in (*COLUMNS, *OPTIONAL) if column in header}
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


def _text(cell: dict, column: str) -> str:
    value = cell.get(column)
    return "" if value is None else str(value).strip()


def _check_row(cell: dict, orgs: dict) -> tuple[dict, list[str]]:
    problems = []
    content = _text(cell, "具体内容")
    if not content:
        problems.append(_("“具体内容”为空"))
    leads, cooperating = _units(cell["牵头单位"]), _units(cell["配合单位"])
    if len(leads) > 1:  # none is an item not yet assigned (未交办)
        problems.append(_("“牵头单位”只能填写一个单位"))
    unknown = [name for name, _due in leads + cooperating if name not in orgs]
    if unknown:
        problems.append(_("未知单位：%(units)s") % {"units": "、".join(unknown)})
    due = period = None
    try:
        due = _date(cell["完成时限"])
        period = _month(cell.get("最近报送"))
    except ValueError as error:
        problems.append(str(error))
    state, states = _text(cell, "状态"), _states()
    if state and state not in states:
        problems.append(_("“状态”的“%(value)s”不是台账状态（应为 %(states)s 之一，或留空）")
                        % {"value": state, "states": "、".join(states)})
    progress = {key: _text(cell, column) for key, column in
                (("progress", "进展情况"), ("problems", "存在问题"), ("next_steps", "下步计划"))}
    if not progress["progress"] and (progress["problems"] or progress["next_steps"]):
        problems.append(_("填写了“存在问题”或“下步计划”，但“进展情况”为空"))
    goals = [part.strip() for part in re.split(r"[；;\n]+", _text(cell, "目标")) if part.strip()]
    targets = [parse_target(goal) for goal in goals]
    row = {"number": _text(cell, "序号")[:40], "section": _text(cell, "重点任务"), "title": _text(cell, "事项"),
           "content": content, "targets": [t for t in targets if t],
           "goal": "；".join(goal for goal, t in zip(goals, targets, strict=True) if t is None),
           "lead": [(orgs[u], d) for u, d in leads if u in orgs], "co": [(orgs[u], d) for u, d in cooperating if u in orgs],
           "due": due, "status": states.get(state, Task.Status.DRAFT), "progress": progress, "period": period}
    return row, problems


@transaction.atomic
def _create(user, name: str, rows: list[dict]) -> Plan:
    plan = Plan.objects.create(title=f"台账导入：{name}"[:200], source_name=name[:200], created_by=user)
    for position, row in enumerate(rows, start=1):
        task = _create_task(user, plan, position, row)
        if row["progress"]["progress"]:
            unit = (row["lead"] or row["co"] or [(user.org, None)])[0][0]
            ProgressReport.objects.create(task=task, org=unit, author=user,
                                          period=row["period"] or timezone.localdate().replace(day=1),
                                          **row["progress"])
    audit(user, "import-xlsx", plan=plan, after={"source": name, "rows": len(rows)})
    return plan


def _create_task(user, plan: Plan, position: int, row: dict) -> Task:
    content = row["content"] + (f"\n目标：{row['goal']}" if row["goal"] else "")
    task = Task.objects.create(plan=plan, position=position, number=row["number"], section=row["section"][:200],
                               title=(row["title"] or row["content"].split("。")[0])[:300], content=content,
                               source_quote=row["content"], due_date=row["due"], status=row["status"])
    for target in row["targets"]:
        Target.objects.create(task=task, **target)
    done = Assignment.Status.DONE if row["status"] == Task.Status.CLOSED else Assignment.Status.PENDING
    units = [(org, due, Assignment.Role.LEAD) for org, due in row["lead"]]
    units += [(org, due, Assignment.Role.COOPERATE) for org, due in row["co"]]
    for org, due, role in units:  # a unit named twice keeps its first role
        Assignment.objects.get_or_create(task=task, org=org, defaults={
            "role": role, "due_date": due or row["due"], "status": done})
    return task

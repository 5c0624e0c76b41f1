"""The monthly 督查通报: per unit, items assigned, signed, reports due and on time, overdue, closed and
extensions, units ranked; the rows behind every figure; as .docx (GB/T 9704) and .xlsx.

Definitions (the figures a test recomputes from the ledger rows):
- assigned: the unit's assignments on the plan's published items; signed: those signed or done;
- due: assignments signed by the month's end whose item is still open, or was reported on for the month;
- on time: of those due, a report for the month entered by the month's last day;
- overdue: open items past their deadline on the as-of day (the month's end, or today in the month itself);
- closed: items closed (the assignment done); extensions: extensions granted on the items the unit leads.
"""

from __future__ import annotations

import calendar
import datetime as dt
import io
import tomllib
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

from django.utils import timezone

from eduplan.ledger.models import Assignment, Plan, ProgressReport, Task

OPEN = (Task.Status.ACTIVE, Task.Status.REVIEWING)


@cache
def words() -> dict:
    return tomllib.loads(
        resources.files("eduplan.followup").joinpath("data", "circular.toml").read_text("utf-8")
    )


@dataclass
class UnitRow:
    """One assignment as the circular sees it: the row behind a unit's figures."""

    assignment: Assignment
    signed: bool
    due: bool
    on_time: bool
    overdue_days: int
    closed: bool
    extensions: int


@dataclass
class UnitFigures:
    org_id: int
    name: str
    rows: list[UnitRow] = field(default_factory=list)
    rank: int = 0

    def _count(self, attribute: str) -> int:
        return sum(1 for row in self.rows if getattr(row, attribute))

    @property
    def assigned(self) -> int:
        return len(self.rows)

    @property
    def signed(self) -> int:
        return self._count("signed")

    @property
    def due(self) -> int:
        return self._count("due")

    @property
    def on_time(self) -> int:
        return self._count("on_time")

    @property
    def overdue(self) -> int:
        return self._count("overdue_days")

    @property
    def closed(self) -> int:
        return self._count("closed")

    @property
    def extensions(self) -> int:
        return sum(row.extensions for row in self.rows)

    @property
    def rate(self) -> float | None:
        return self.on_time / self.due if self.due else None

    @property
    def rate_text(self) -> str:
        return percent(self.rate)


@dataclass
class Circular:
    plan: Plan
    month: dt.date  # first day
    as_of: dt.date
    units: list[UnitFigures]
    issued: dt.date  # the 落款 date: the day it is drawn up

    @property
    def month_end(self) -> dt.date:
        return month_end(self.month)

    @property
    def title(self) -> str:
        return words()["title"].format(year=self.month.year, month=self.month.month)

    def total(self, attribute: str) -> int:
        return sum(getattr(unit, attribute) for unit in self.units)

    @property
    def rate(self) -> float | None:
        due = self.total("due")
        return self.total("on_time") / due if due else None


def month_end(month: dt.date) -> dt.date:
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


def parse_month(text: str | None, today: dt.date) -> dt.date:
    """'2026-11' → 2026-11-01; missing or malformed: last month (the circular reports on the month past)."""
    try:
        year, month = (int(part) for part in (text or "").split("-"))
        return dt.date(year, month, 1)
    except ValueError:
        return (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)


def build(plan: Plan, month: dt.date, today: dt.date) -> Circular:
    end = month_end(month)
    as_of = min(end, today)
    tz = timezone.get_current_timezone()
    end_moment = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    assignments = (
        Assignment.objects.filter(task__plan=plan)
        .exclude(task__status=Task.Status.DRAFT)
        .select_related("task", "org")
        .order_by("org__kind", "org__code", "task__position")
    )
    reports = {
        (r.task_id, r.org_id): r.created_at
        for r in ProgressReport.objects.filter(task__plan=plan, period=month).order_by("created_at")
    }
    units: dict[int, UnitFigures] = {}
    for assignment in assignments:
        task, key = assignment.task, (assignment.task_id, assignment.org_id)
        reported_at = reports.get(key)
        signed_by_end = assignment.signed_at is not None and assignment.signed_at < end_moment
        due = signed_by_end and (task.status in OPEN or reported_at is not None)
        overdue = task.status in OPEN and task.due_date is not None and task.due_date < as_of
        row = UnitRow(
            assignment=assignment,
            signed=assignment.status != Assignment.Status.PENDING,
            due=due,
            on_time=bool(due and reported_at is not None and reported_at < end_moment),
            overdue_days=(as_of - task.due_date).days if overdue else 0,
            closed=assignment.status == Assignment.Status.DONE,
            extensions=task.extension_count if assignment.role == Assignment.Role.LEAD else 0,
        )
        units.setdefault(assignment.org_id, UnitFigures(assignment.org_id, assignment.org.name)).rows.append(
            row
        )
    ranked = sorted(
        units.values(), key=lambda u: (-(u.rate if u.rate is not None else -1), u.overdue, -u.closed, u.name)
    )
    for rank, unit in enumerate(ranked, start=1):
        unit.rank = rank
    return Circular(plan=plan, month=month, as_of=as_of, units=ranked, issued=today)


def percent(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


def table_rows(circular: Circular) -> list[list[str]]:
    return [
        [
            str(u.rank),
            u.name,
            str(u.assigned),
            str(u.signed),
            str(u.due),
            str(u.on_time),
            percent(u.rate),
            str(u.overdue),
            str(u.closed),
            str(u.extensions),
        ]
        for u in circular.units
    ]


def overview(circular: Circular, bureau: str = "") -> str:
    return words()["overview"].format(
        as_of=f"{circular.as_of:%Y年%-m月%-d日}",
        plan=circular.plan.title,
        tasks=circular.plan.tasks.count(),
        assigned=circular.total("assigned"),
        signed=circular.total("signed"),
        closed=circular.total("closed"),
        overdue=circular.total("overdue"),
        extensions=circular.total("extensions"),
        month=circular.month.month,
        due=circular.total("due"),
        on_time=circular.total("on_time"),
        rate=percent(circular.rate),
    )


def issues(circular: Circular) -> list[str]:
    w, lines = words(), []
    for unit in circular.units:
        for row in unit.rows:
            task = row.assignment.task.title
            if row.overdue_days:
                lines.append(w["overdue_line"].format(unit=unit.name, task=task, days=row.overdue_days))
            if row.due and not row.on_time:
                lines.append(w["missing_line"].format(unit=unit.name, task=task, month=circular.month.month))
    return lines


def bureau_name(plan: Plan) -> str:
    """滨江市教育局2026年工作要点 → 滨江市教育局: the issuer of the plan is the issuer of its circular."""
    title = plan.title or ""
    at = title.find("教育局")
    return title[: at + 3] if at >= 0 else "教育局"


def to_docx(circular: Circular) -> bytes:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    from eduplan.reports.layout import add_body, add_heading, add_table, add_title, official_document, save

    w, document = words(), official_document()
    document.core_properties.title = circular.title
    document.core_properties.language = "zh-CN"
    add_title(document, circular.title)
    add_heading(document, w["overview_heading"], level=1)
    add_body(document, overview(circular))
    add_heading(document, w["ranking_heading"], level=1)
    add_body(document, w["ranking_note"])
    add_table(
        document,
        list(w["table_header"]),
        table_rows(circular),
        widths_mm=[12, 28, 14, 14, 14, 14, 18, 14, 14, 14],
    )
    add_heading(document, w["issues_heading"], level=1)
    for line in issues(circular) or [w["no_issues"]]:
        add_body(document, line)
    add_heading(document, w["next_heading"], level=1)
    for number, line in enumerate(w["next_steps"], start=1):
        add_body(document, f"（{'一二三四五六七八九十'[number - 1]}）{line}")
    for text in (
        "",
        w["issuer"].format(bureau=bureau_name(circular.plan)),
        f"{circular.issued:%Y年%-m月%-d日}",
    ):
        document.add_paragraph(text).alignment = WD_ALIGN_PARAGRAPH.RIGHT
    out = io.BytesIO()
    save(document, out)
    return out.getvalue()


def to_xlsx(circular: Circular) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = "单位排名"
    sheet.append([circular.title])
    sheet.append([overview(circular)])
    sheet.append(list(words()["table_header"]))
    for cell in sheet[3]:
        cell.font = Font(bold=True)
    for row in table_rows(circular):
        sheet.append([_safe(value) for value in row])
    rows = book.create_sheet("明细")
    rows.append(["单位", "事项", "角色", "签收", "应报", "按时报送", "逾期天数", "办结", "延期"])
    for unit in circular.units:
        for row in unit.rows:
            rows.append(
                [
                    _safe(unit.name),
                    _safe(row.assignment.task.title),
                    row.assignment.get_role_display(),
                    "是" if row.signed else "否",
                    "是" if row.due else "否",
                    "是" if row.on_time else "否",
                    row.overdue_days,
                    "是" if row.closed else "否",
                    row.extensions,
                ]
            )
    for column, width in zip("ABCDEFGHIJ", (8, 30, 8, 8, 8, 10, 10, 8, 8, 8), strict=True):
        sheet.column_dimensions[column].width = width
    rows.column_dimensions["B"].width = 40
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _safe(value):
    """Text Excel would run as a formula (=, +, -, @) is written as text."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value

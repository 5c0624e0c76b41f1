"""考核: each unit's annual score from its items, with the office's weights (ScoreWeights) and the rows behind it.

score = base + on_time_reports × (monthly reports on time ÷ reports due)
             + closed_on_time × (led items closed by their deadline ÷ led items due by the as-of day)
             − per_extension × extensions granted on led items − per_overdue_day × days overdue
kept within 0–100. A share with nothing due counts as full: a unit is not marked down for what it was
never asked. Reports due and on time are the 督查通报's, month by month (circular.py); days overdue are
those of open led items past their deadline, plus the days a led item was closed late.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field

from eduplan.ledger.models import Assignment, AuditEntry, Plan

from . import circular
from .models import ScoreWeights

WEIGHT_FIELDS = ("base", "on_time_reports", "closed_on_time", "per_extension", "per_overdue_day")


def weights() -> ScoreWeights:
    return ScoreWeights.objects.order_by("-set_at", "-id").first() or ScoreWeights()


@dataclass
class ScoreRow:
    assignment: Assignment
    reports_due: int = 0
    reports_on_time: int = 0
    closed_on: dt.date | None = None
    due_by_as_of: bool = False
    closed_on_time: bool = False
    extensions: int = 0
    overdue_days: int = 0


@dataclass
class UnitScore:
    org_id: int
    name: str
    rows: list[ScoreRow] = field(default_factory=list)
    score: float = 0.0
    rank: int = 0

    def total(self, attribute: str) -> int:
        return sum(int(getattr(row, attribute)) for row in self.rows)

    @property
    def report_share(self) -> float:
        due = self.total("reports_due")
        return self.total("reports_on_time") / due if due else 1.0

    @property
    def closing_share(self) -> float:
        due = self.total("due_by_as_of")
        return self.total("closed_on_time") / due if due else 1.0

    @property
    def extensions_total(self) -> int:
        return self.total("extensions")

    @property
    def overdue_total(self) -> int:
        return self.total("overdue_days")

    @property
    def reports_text(self) -> str:
        return f"{self.total('reports_on_time')}/{self.total('reports_due')}"

    @property
    def closing_text(self) -> str:
        return f"{self.total('closed_on_time')}/{self.total('due_by_as_of')}"


def _months(plan: Plan, as_of: dt.date) -> list[dt.date]:
    """The plan year's months up to the last finished one before as_of."""
    year = plan.year or as_of.year
    last = min(dt.date(year, 12, 1), (as_of.replace(day=1) - dt.timedelta(days=1)).replace(day=1))
    return [dt.date(year, month, 1) for month in range(1, 13) if dt.date(year, month, 1) <= last]


def _closed_dates(plan: Plan) -> dict[int, dt.date]:
    entries = AuditEntry.objects.filter(task__plan=plan, action="review-close-approved").order_by("at")
    from django.utils import timezone

    return {entry.task_id: timezone.localtime(entry.at).date() for entry in entries}


def build(plan: Plan, as_of: dt.date, weight: ScoreWeights | None = None) -> list[UnitScore]:
    weight = weight or weights()
    rows: dict[int, ScoreRow] = {}
    units: dict[int, UnitScore] = {}
    for assignment in (
        Assignment.objects.filter(task__plan=plan)
        .exclude(task__status="draft")
        .select_related("task", "org")
        .order_by("org__kind", "org__code", "task__position")
    ):
        rows[assignment.pk] = row = ScoreRow(assignment)
        units.setdefault(assignment.org_id, UnitScore(assignment.org_id, assignment.org.name)).rows.append(
            row
        )
    for month in _months(plan, as_of):
        for unit in circular.build(plan, month, as_of).units:
            for figures in unit.rows:
                row = rows[figures.assignment.pk]
                row.reports_due += figures.due
                row.reports_on_time += figures.on_time
    closed = _closed_dates(plan)
    for row in rows.values():
        _lead_figures(row, closed.get(row.assignment.task_id), as_of)
    for unit in units.values():
        unit.score = _score(unit, weight)
    ranked = sorted(units.values(), key=lambda u: (-u.score, u.name))
    for rank, unit in enumerate(ranked, start=1):
        unit.rank = rank
    return ranked


def _lead_figures(row: ScoreRow, closed_on: dt.date | None, as_of: dt.date) -> None:
    task = row.assignment.task
    if row.assignment.role != Assignment.Role.LEAD:
        return
    row.extensions = task.extension_count
    row.closed_on = closed_on if task.status == "closed" else None
    if task.due_date is None:
        return
    row.due_by_as_of = task.due_date <= as_of or row.closed_on is not None
    row.closed_on_time = row.closed_on is not None and row.closed_on <= task.due_date
    if row.closed_on is not None:
        row.overdue_days = max(0, (row.closed_on - task.due_date).days)
    elif task.status in ("active", "reviewing"):
        row.overdue_days = max(0, (as_of - task.due_date).days)


def _score(unit: UnitScore, weight: ScoreWeights) -> float:
    raw = (
        weight.base
        + weight.on_time_reports * unit.report_share
        + weight.closed_on_time * unit.closing_share
        - weight.per_extension * unit.total("extensions")
        - weight.per_overdue_day * unit.total("overdue_days")
    )
    return round(min(100.0, max(0.0, raw)), 1)


def to_xlsx(plan: Plan, scores: list[UnitScore], weight: ScoreWeights, as_of: dt.date) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "考核得分"
    sheet.append([f"{plan.title} 单位考核得分（截至{as_of:%Y-%m-%d}）"])
    sheet.append(
        [
            f"权重：基础分{weight.base}，按时报送{weight.on_time_reports}，按时办结{weight.closed_on_time}，"
            f"每次延期扣{weight.per_extension}，每逾期一天扣{weight.per_overdue_day}"
        ]
    )
    sheet.append(
        ["排名", "单位", "得分", "应报", "按时报送", "到期牵头事项", "按时办结", "延期次数", "逾期天数"]
    )
    for unit in scores:
        sheet.append(
            [
                unit.rank,
                circular._safe(unit.name),
                unit.score,
                unit.total("reports_due"),
                unit.total("reports_on_time"),
                unit.total("due_by_as_of"),
                unit.total("closed_on_time"),
                unit.total("extensions"),
                unit.total("overdue_days"),
            ]
        )
    detail = book.create_sheet("明细")
    detail.append(
        ["单位", "事项", "角色", "应报", "按时报送", "完成时限", "办结日期", "按时办结", "延期", "逾期天数"]
    )
    for unit in scores:
        for row in unit.rows:
            task = row.assignment.task
            detail.append(
                [
                    circular._safe(unit.name),
                    circular._safe(task.title),
                    row.assignment.get_role_display(),
                    row.reports_due,
                    row.reports_on_time,
                    task.due_date,
                    row.closed_on,
                    "是" if row.closed_on_time else "否",
                    row.extensions,
                    row.overdue_days,
                ]
            )
    sheet.column_dimensions["B"].width = 16
    detail.column_dimensions["B"].width = 40
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()

"""The 工作总结 and the 月报 drawn from the ledger: a Plan's tasks in plan order, what the units
reported, and each target's achieved value with its judgement.

A target's achieved value and judgement are the monitoring app's (judging.judge_targets): the
city's indicator value when an indicator measures it with data, otherwise the latest value a unit
reported for it, so the summary, the dashboard and the item pages agree.

Every query is per plan, never per task: a plan of 84 tasks with a year of reports costs a
handful of queries.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from eduplan.ledger.history import PastItem, items_at, reports_at
from eduplan.ledger.models import Assignment, Plan, ProgressReport, Target, Task
from eduplan.monitoring.judging import as_read_target, judge_targets
from eduplan.reader.model import Document, Item

from .layout import labels
from .monthly import MonthlyEntry, MonthlyReport, monthly_title
from .summary import (
    SectionSummary,
    SummaryInput,
    TargetResult,
    TaskSummary,
    merge_flat,
    summary_intro,
    summary_title,
)

# --- the year-end summary --------------------------------------------------------------------

def summary_as_of(plan: Plan, today: dt.date | None = None) -> dt.date:
    """Today while the plan's year runs; after it, the first day of the next year, so that a
    summary drafted later still judges the year on that year's figures and deadlines."""
    today = today or timezone.localdate()
    if plan.year is None:
        return today
    return min(today, dt.date(plan.year + 1, 1, 1))


def summary_from_ledger(plan: Plan, as_of: dt.date | None = None) -> SummaryInput:
    as_of = as_of or summary_as_of(plan)
    start, end = _year_window(plan, as_of)
    tasks = _tasks(plan)
    targets = _targets_by_task(plan)
    latest = _latest_reports_by_task(plan, start, end)
    year_reports = _year_reports_by_task(plan, start, end)
    judged = judge_targets([t for group in targets.values() for t in group], as_of)
    sections: list[SectionSummary] = []
    for task in tasks:
        heading = top_heading(task.section)
        if not sections or sections[-1].title != heading:
            sections.append(SectionSummary(title=heading))
        results = [_target_result(t, judged[t.id]) for t in targets[task.id]]
        sections[-1].tasks.append(TaskSummary(title=task.title, done=_achievements(task, year_reports[task.id]),
                                              targets=results))
    return SummaryInput(title=summary_title(plan.title, plan.year), year=plan.year, intro=summary_intro(plan.year),
                        sections=merge_flat(sections), problems=_reported_problems(tasks, latest),
                        next_steps=_next_steps(tasks, latest), issuer=issuer_of(plan),
                        issued=f"{timezone.localdate():%Y年%-m月%-d日}")


def issuer_of(plan: Plan) -> str:
    """滨江市教育局2024年工作要点 → 滨江市教育局: who issued the plan signs its summary."""
    title = plan.title or ""
    at = title.find("教育局")
    return title[: at + 3] if at >= 0 else ""


def _year_reports_by_task(plan: Plan, start: dt.date, end: dt.date) -> dict[int, list[ProgressReport]]:
    grouped: dict[int, list[ProgressReport]] = defaultdict(list)
    for report in (ProgressReport.objects.filter(task__plan=plan, period__gte=start, period__lte=end)
                   .select_related("org").order_by("period", "id")):
        grouped[report.task_id].append(report)
    return grouped


def _achievements(task: Task, reports: list[ProgressReport]) -> list[str]:
    """What the year's reports say was done, month by month, each text once (a co-operating unit repeating
    the lead's words adds nothing); a co-operating unit's own words are headed by its name."""
    leads = {a.org_id for a in task.assignments.all() if a.role == Assignment.Role.LEAD}
    prefix = labels()["summary"]["month_prefix"]
    seen: set[str] = set()
    lines = []
    for report in reports:
        text = report.progress.strip()
        if not text or text in seen:
            continue
        seen.add(text)
        unit = "" if report.org_id in leads else f"{report.org.name}："
        lines.append(prefix.format(month=report.period.month) + unit + text)
    return lines


def _next_steps(tasks: list[Task], latest: dict[int, list[ProgressReport]]) -> list[str]:
    """下一步 the units state in their latest reports, for tasks still open, each once, headed by the task."""
    lines = []
    for task in tasks:
        if task.status in (Task.Status.CLOSED, Task.Status.SUSPENDED):
            continue
        lines += [f"{task.title}：{text}" for text in _unique(r.next_steps for r in latest[task.id])]
    return lines


def top_heading(section: str) -> str:
    """The plan's first-level heading above a task. The ledger keeps the whole trail of headings
    ("一级 / 二级", as plan_import joins them); the summary's 一、 headings are the first level, or
    else one 一级 heading would be repeated for each of its 二级 parts."""
    return section.split(" / ")[0].strip()


def _year_window(plan: Plan, as_of: dt.date) -> tuple[dt.date, dt.date]:
    """Report periods (first days of months) that belong to the summary."""
    year = plan.year or as_of.year
    return dt.date(year, 1, 1), min(dt.date(year, 12, 1), as_of)


def _tasks(plan: Plan) -> list[Task]:
    return list(plan.tasks.order_by("position", "id").prefetch_related(
        Prefetch("assignments", queryset=Assignment.objects.select_related("org"))))


def _targets_by_task(plan: Plan) -> dict[int, list[Target]]:
    grouped: dict[int, list[Target]] = defaultdict(list)
    for target in Target.objects.filter(task__plan=plan).select_related("link", "task__plan").order_by("id"):
        grouped[target.task_id].append(target)
    return grouped


def _latest_reports_by_task(plan: Plan, start: dt.date, end: dt.date) -> dict[int, list[ProgressReport]]:
    """Each unit's latest report per task within [start, end], the task's lead unit first."""
    rank = {(a.task_id, a.org_id): (a.role != Assignment.Role.LEAD, a.id)
            for a in Assignment.objects.filter(task__plan=plan).only("id", "task_id", "org_id", "role")}
    grouped: dict[int, dict[int, ProgressReport]] = defaultdict(dict)
    reports = (ProgressReport.objects.filter(task__plan=plan, period__gte=start, period__lte=end)
               .select_related("org").order_by("-period", "-id"))
    for report in reports:
        grouped[report.task_id].setdefault(report.org_id, report)
    unassigned = (True, float("inf"))  # a unit no longer assigned still reported: after the assigned ones
    return defaultdict(list, {
        task_id: sorted(by_org.values(), key=lambda r: rank.get((r.task_id, r.org_id), unassigned))
        for task_id, by_org in grouped.items()})


def _target_result(target: Target, verdict) -> TargetResult:
    return TargetResult(indicator=target.indicator, comparator=target.comparator, value=target.value,
                        unit=target.unit, achieved=verdict.judgement.value, judgement=verdict.status,
                        value_max=target.value_max, quote=target.quote)


def _reported_problems(tasks: list[Task], latest: dict[int, list[ProgressReport]]) -> list[str]:
    """Problems the units state in their latest reports, for tasks still open (a closed task's
    problems were overcome), each once, headed by the task."""
    lines = []
    for task in tasks:
        if task.status in (Task.Status.CLOSED, Task.Status.SUSPENDED):
            continue
        lines += [f"{task.title}：{text}" for text in _unique(r.problems for r in latest[task.id])]
    return lines


def _unique(texts: Iterable[str]) -> list[str]:
    seen: dict[str, None] = {}
    for text in texts:
        if text and text.strip():
            seen.setdefault(text.strip(), None)
    return list(seen)


# --- the monthly report ----------------------------------------------------------------------

def month_problem(plan: Plan, year: int, month: int, today: dt.date | None = None) -> str | None:
    """Why a 月报 cannot be made for the month, in words, or None: a month outside the plan's year, or one
    that has not begun."""
    today = today or timezone.localdate()
    if plan.year is not None and year != plan.year:
        return _("月报只能按计划年度（%(year)d年）的月份生成，%(asked)d年%(month)d月不在其中。") % {
            "year": plan.year, "asked": year, "month": month}
    if dt.date(year, month, 1) > today:
        return _("%(year)d年%(month)d月尚未到来，不能生成月报。") % {"year": year, "month": month}
    return None


def month_end(year: int, month: int) -> dt.datetime:
    """The first moment after the month, in the server's time zone."""
    following = dt.date(year + month // 12, month % 12 + 1, 1)
    return timezone.make_aware(dt.datetime.combine(following, dt.time()))


def monthly_from_ledger(plan: Plan, year: int, month: int, today: dt.date | None = None) -> MonthlyReport:
    """One entry per task as the ledger stood at the end of the month (or now, while the month runs): what
    its units had reported for the month by then, which lead units had not, and whether it was overdue.
    A past month gives the same report whenever it is made (ledger.history)."""
    today = today or timezone.localdate()
    period, end = dt.date(year, month, 1), month_end(year, month)
    as_of = min(today, (end - dt.timedelta(days=1)).date())
    moment = min(end, timezone.now())
    by_task: dict[int, list[ProgressReport]] = defaultdict(list)
    for report in reports_at(plan, period, moment):
        by_task[report.task_id].append(report)
    entries = [_monthly_entry(item, by_task[item.pk], as_of) for item in items_at(plan, _tasks(plan), moment)]
    return MonthlyReport(title=monthly_title(plan.title, f"{year}年{month}月"), period=f"{year}年{month}月",
                         entries=entries)


def _monthly_entry(task: PastItem, reports: list[ProgressReport], as_of: dt.date) -> MonthlyEntry:
    leads = [a.org for a in task.assignments if a.role == Assignment.Role.LEAD]
    reported_orgs = {report.org_id for report in reports}
    overdue = task.is_open and task.due_date is not None and task.due_date < as_of
    return MonthlyEntry(
        task=task.title, number=task.number, lead_unit="、".join(org.name for org in leads),
        progress=_joined(reports, "progress"), problems=_joined(reports, "problems"),
        next_steps=_joined(reports, "next_steps"), status=_monthly_status(task, bool(reports), overdue),
        due_date=task.due_date.isoformat() if task.due_date else "", overdue=overdue,
        missing_units=[org.name for org in leads if task.is_open and org.id not in reported_orgs],
    )


def _monthly_status(task: PastItem, reported: bool, overdue: bool) -> str:
    if task.status == Task.Status.CLOSED:
        return "done"
    if task.status == Task.Status.SUSPENDED:
        return "suspended"
    if task.status == Task.Status.DRAFT:
        return "not_started"
    if not reported:
        return "no_report"
    return "behind" if overdue else "on_schedule"


def _joined(reports: list[ProgressReport], field: str) -> str:
    """One unit's text as it is; several units' each headed by the unit's name."""
    texts = [(report.org.name, getattr(report, field).strip()) for report in reports if getattr(report, field).strip()]
    if len(texts) == 1:
        return texts[0][1]
    return labels()["monthly"]["unit_separator"].join(f"{name}：{text}" for name, text in texts)


# --- a ledger plan as the reader would have read it (for insight.compare) ---------------------

def plan_document(plan: Plan) -> Document:
    """The plan as it stands in the ledger (titles and targets as the office edited them), in
    the reader's shape: one item per section heading, its tasks as children."""
    targets = _targets_by_task(plan)
    items: list[Item] = []
    for number, task in enumerate(plan.tasks.order_by("position", "id"), start=1):
        item = Item(marker=f"{number}.", number=number, title=task.title, text=task.content or task.title,
                    targets=[as_read_target(t) for t in targets[task.id]])
        if task.section and (not items or items[-1].title != task.section or not items[-1].children):
            items.append(Item(marker=f"{len(items) + 1}、", number=len(items) + 1, title=task.section, text=""))
        (items[-1].children if task.section else items).append(item)
    return Document(title=plan.title, year=plan.year, kind="plan", items=items)

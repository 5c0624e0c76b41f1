"""Red / yellow / green: computed from due dates and reports, never stored.

red    overdue: past its due date, or past a milestone (节点) not done, and still open
yellow due within the office's warning window (WarningWindow, DEFAULT_WARN_DAYS until set), or no progress report for the current or previous month once reports are owed
green  on schedule and reported
grey   closed or suspended

Reports are owed from the first reporting month after the item was given to a unit (and its plan published):
an item given this month or last month is not 缺报 yet (issue 16: 0 % on time minutes after assignment).
An item given to no unit owes reports at once: it shows until someone is made responsible.
"""

from __future__ import annotations

import datetime as dt
from functools import cached_property

from django.db.models import Exists, Max, Min, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from .models import Assignment, Milestone, Task, WarningWindow

DEFAULT_WARN_DAYS = 7
WARN_DAYS_RANGE = (1, 90)


def warn_days() -> int:
    """The office's warning window, one query; a list reads it in its own query (with_light_facts)."""
    latest = WarningWindow.objects.order_by("-id").values_list("days", flat=True).first()
    return latest or DEFAULT_WARN_DAYS


def _warn_days_expr():
    return Coalesce(Subquery(WarningWindow.objects.order_by("-id").values("days")[:1]), Value(DEFAULT_WARN_DAYS))


def report_window_start(today: dt.date) -> dt.date:
    """Reports are monthly: one for last month or this month keeps an item fresh."""
    first = today.replace(day=1)
    return (first - dt.timedelta(days=1)).replace(day=1)


def owes_report(reporting_from: dt.date | None, today: dt.date) -> bool:
    """Whether a missing report counts: the item was given (and published) before last month began."""
    return reporting_from is None or reporting_from < report_window_start(today)


def reporting_from(first_assigned: dt.datetime | None, published_at: dt.datetime | None) -> dt.date | None:
    """The day a unit could first report: the later of the first assignment and the publication."""
    moments = [timezone.localtime(m).date() for m in (first_assigned, published_at) if m is not None]
    return max(moments) if first_assigned is not None else None


def _missing(task: Task, today: dt.date, latest_period: dt.date | None, starts: dt.date | None) -> bool:
    no_report = latest_period is None or latest_period < report_window_start(today)
    return no_report and owes_report(starts, today)


def light(task: Task, today: dt.date | None = None, latest_period: dt.date | None = None,
          reporting_starts: dt.date | None = None, milestone_overdue: bool = False,
          warn: int = DEFAULT_WARN_DAYS) -> str:
    today = today or timezone.localdate()
    if task.status in (Task.Status.CLOSED, Task.Status.SUSPENDED, Task.Status.DRAFT):
        return "grey"
    if (task.due_date and task.due_date < today) or milestone_overdue:
        return "red"
    if task.due_date and (task.due_date - today).days <= warn:
        return "yellow"
    if _missing(task, today, latest_period, reporting_starts):
        return "yellow"
    return "green"


def flags(task: Task, today: dt.date | None = None, latest_period: dt.date | None = None,
          reporting_starts: dt.date | None = None, milestone_overdue: bool = False) -> dict:
    today = today or timezone.localdate()
    open_ = task.is_open
    return {
        "overdue": bool(open_ and task.due_date and task.due_date < today),
        "milestone_overdue": bool(open_ and milestone_overdue),
        "missing_report": bool(open_ and _missing(task, today, latest_period, reporting_starts)),
    }


def with_light_facts(tasks: QuerySet[Task], today: dt.date) -> QuerySet[Task]:
    """What light() needs of each task, in the list's one query: the latest report's month, the first
    assignment, whether a milestone is past and not done, the office's warning window. Use row_light() on the
    rows."""
    late = Milestone.objects.filter(task=OuterRef("pk"), done=False, due_date__lt=today)
    return tasks.annotate(latest_period=Max("reports__period"), first_assigned=Min("assignments__created_at"),
                          milestone_late=Exists(late), warn_days=_warn_days_expr())


def row_light(task: Task, today: dt.date) -> str:
    """light() of a task from with_light_facts."""
    return light(task, today, task.latest_period, reporting_from(task.first_assigned, task.plan.published_at),
                 task.milestone_late, task.warn_days)


def _ref(prefix: str) -> str:
    """The outer task's id seen from a queryset of tasks ("") or of rows with a task ("task__")."""
    return prefix.removesuffix("__") or "pk"


def owed_q(today: dt.date, prefix: str = "") -> Q:
    """The database's owes_report, for the dashboard's counts: given to no unit, or given and published
    before last month began."""
    start = timezone.make_aware(dt.datetime.combine(report_window_start(today), dt.time()))
    ref = _ref(prefix)
    given = Exists(Assignment.objects.filter(task=OuterRef(ref)))
    given_before = Exists(Assignment.objects.filter(task=OuterRef(ref), created_at__lt=start))
    published_before = Q(**{f"{prefix}plan__published_at__isnull": True}) | Q(**{f"{prefix}plan__published_at__lt": start})
    return ~Q(given) | (Q(given_before) & published_before)


def milestone_late_q(today: dt.date, prefix: str = "") -> Q:
    """A milestone past its date and not done: the database's milestone_overdue."""
    return Q(Exists(Milestone.objects.filter(task=OuterRef(_ref(prefix)), done=False, due_date__lt=today)))


class TaskLights:
    """One item's light and flags, worked out on first use."""

    def __init__(self, task: Task, today: dt.date | None = None):
        self.task, self.today = task, today or timezone.localdate()

    @cached_property
    def latest_period(self) -> dt.date | None:
        if (reports := _prefetched(self.task, "reports")) is not None:
            return max((report.period for report in reports), default=None)
        return self.task.reports.aggregate(p=Max("period"))["p"]

    @cached_property
    def reporting_starts(self) -> dt.date | None:
        if (given := _prefetched(self.task, "assignments")) is not None:
            first = min((assignment.created_at for assignment in given), default=None)
        else:
            first = self.task.assignments.aggregate(first=Min("created_at"))["first"]
        return reporting_from(first, self.task.plan.published_at)

    @cached_property
    def milestone_overdue(self) -> bool:
        if (milestones := _prefetched(self.task, "milestones")) is not None:
            return any(not m.done and m.due_date < self.today for m in milestones)
        return self.task.milestones.filter(done=False, due_date__lt=self.today).exists()

    @cached_property
    def warn_days(self) -> int:
        return warn_days()

    @cached_property
    def colour(self) -> str:
        return light(self.task, self.today, self.latest_period, self.reporting_starts, self.milestone_overdue,
                     self.warn_days)

    @property
    def label(self) -> str:
        return LABELS[self.colour]

    @cached_property
    def flags(self) -> dict:
        return flags(self.task, self.today, self.latest_period, self.reporting_starts, self.milestone_overdue)


def _prefetched(task: Task, relation: str) -> list | None:
    """The task's rows of a relation when its page prefetched them (no query), else None."""
    return getattr(task, "_prefetched_objects_cache", {}).get(relation)


LABELS = {"red": "逾期", "yellow": "预警", "green": "正常", "grey": "已办结或中止"}

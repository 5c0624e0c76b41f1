"""The dashboard's ledger figures, counted by the database and scoped to what the user may see.

Every figure here has a drill-down (items.py) that lists exactly the items it counts, and both
take their rules from the same expressions below, so a count and its list cannot disagree.

Scope: leaders, the office and the administrator see every published plan's tasks; department,
district and school staff see the tasks their unit was given (ledger.policy.visible_tasks), and
the ranking shows only their own unit's rate (other units' rates over the few tasks they share
would mislead, and units see nothing of each other's items).
"""

from __future__ import annotations

import datetime as dt
import threading

from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
)

from eduplan.ledger import policy
from eduplan.ledger.lights import milestone_late_q, owed_q, report_window_start
from eduplan.ledger.models import Assignment, Org, Plan, ProgressReport, Target, TargetValue, Task, User
from eduplan.monitoring import judging, statistics
from eduplan.monitoring.display import VERDICT_WORDS

OPEN = (Task.Status.ACTIVE, Task.Status.REVIEWING)
SHOWN_STATUSES = (Task.Status.ACTIVE, Task.Status.REVIEWING, Task.Status.CLOSED, Task.Status.SUSPENDED)
JUDGEMENTS = judging.STATUSES
JUDGEMENT_LABELS = VERDICT_WORDS  # one vocabulary with the item pages and the reports
DEADLINE_DAYS = 30


def dashboard_tasks(user) -> QuerySet[Task]:
    """The tasks the dashboard counts: the user's visible tasks of published plans, drafts left out."""
    visible = policy.visible_tasks(user)
    if getattr(user, "role", None) not in policy.READ_ALL:
        # a unit's visible set is a join: counted through a subquery so no figure counts a task twice
        visible = Task.objects.filter(pk__in=visible.values("pk"))
    return visible.filter(plan__status=Plan.Status.PUBLISHED).exclude(status=Task.Status.DRAFT)


def own_unit(user) -> Org | None:
    """The unit a department/district/school user acts for (a school reads its district's items)."""
    if user.role == User.Role.SCHOOL and user.org is not None:
        return user.org.parent
    return user.org


def _fresh_report(today: dt.date, prefix: str = "") -> ExpressionWrapper:
    """A report for this or last month, or none owed yet (given this month or last): the ledger's rule for an
    item that is not missing a report (lights.owes_report)."""
    reported = Exists(ProgressReport.objects.filter(task=OuterRef(prefix.removesuffix("__") or "pk"),
                                                    period__gte=report_window_start(today)))
    return ExpressionWrapper(Q(reported) | ~owed_q(today, prefix), output_field=BooleanField())


def overdue_q(today: dt.date, prefix: str = "") -> Q:
    """Open and past its due date or a milestone's (the ledger's red light)."""
    late = Q(**{f"{prefix}due_date__lt": today}) | milestone_late_q(today, prefix)
    return Q(**{f"{prefix}status__in": OPEN}) & late


def missing_q(prefix: str = "") -> Q:
    """Needs the `fresh` annotation (_fresh_report) on the queryset."""
    return Q(**{f"{prefix}status__in": OPEN}, fresh=False)


def with_fresh(tasks: QuerySet[Task], today: dt.date) -> QuerySet[Task]:
    return tasks.annotate(fresh=_fresh_report(today))


def task_counts(tasks: QuerySet[Task], today: dt.date) -> dict:
    """Tasks per status, overdue and missing a report, and whether any report exists: one query."""
    counts = with_fresh(tasks, today).aggregate(
        total=Count("pk"),
        **{status: Count("pk", filter=Q(status=status)) for status in SHOWN_STATUSES},
        overdue=Count("pk", filter=overdue_q(today)),
        missing=Count("pk", filter=missing_q()),
        reported=Count("pk", filter=Q(fresh=True)),
    )
    counts["any_report"] = ProgressReport.objects.filter(task__in=tasks).exists()
    return counts


def lead_assignments(user, tasks: QuerySet[Task], today: dt.date) -> QuerySet[Assignment]:
    """Lead assignments on the counted tasks (suspended ones left out: a stopped task is nobody's delay)."""
    leads = (Assignment.objects.filter(role=Assignment.Role.LEAD,
                                       task__in=tasks.exclude(status=Task.Status.SUSPENDED))
             .annotate(fresh=_fresh_report(today, "task__")))
    if getattr(user, "role", None) not in policy.READ_ALL:
        leads = leads.filter(org=own_unit(user))
    return leads


def late_q(today: dt.date) -> Q:
    """A lead assignment is late when its task is overdue or missing a report (needs `fresh`)."""
    return overdue_q(today, "task__") | missing_q("task__")


def ranking(user, tasks: QuerySet[Task], today: dt.date) -> list[dict]:
    """Lead units ranked by on-time rate, best first.

    On-time rate of a unit = the share of its lead assignments (牵头事项) whose task is neither
    overdue (open and past its due date) nor missing a progress report for this or last month.
    Closed tasks count as on time; suspended tasks are not counted. Ties: more tasks first, then name.
    """
    rows = (lead_assignments(user, tasks, today).values("org_id", "org__name")
            .annotate(total=Count("pk"), late=Count("pk", filter=late_q(today))))
    ranked = [{"org_id": r["org_id"], "name": r["org__name"], "total": r["total"], "late": r["late"],
               "on_time": r["total"] - r["late"], "rate": (r["total"] - r["late"]) / r["total"]}
              for r in rows if r["total"]]
    ranked.sort(key=lambda r: (-r["rate"], -r["total"], r["name"]))
    return ranked


def due_soon(tasks: QuerySet[Task], today: dt.date, days: int = DEADLINE_DAYS) -> QuerySet[Task]:
    """Open tasks due from today through `days` days ahead, soonest first."""
    return (tasks.filter(status__in=OPEN, due_date__gte=today, due_date__lte=today + dt.timedelta(days=days))
            .order_by("due_date", "position", "id"))


def lead_units() -> Prefetch:
    return Prefetch("assignments", queryset=Assignment.objects.filter(role=Assignment.Role.LEAD)
                    .select_related("org"), to_attr="leads")


def judged_targets(tasks: QuerySet[Task], today: dt.date) -> list[tuple[Target, judging.TargetJudgement]]:
    """Every target of the counted tasks with its judgement (monitoring.judging, city values cached
    per statistics version), in plan order."""
    targets = list(Target.objects.filter(task__in=tasks).select_related("task__plan", "link")
                   .order_by("task__plan_id", "task__position", "task_id", "id"))
    judged = judging.judge_targets(targets, today)
    return [(target, judged[target.id]) for target in targets]


def judgement_counts(judged: list[tuple[Target, judging.TargetJudgement]]) -> dict[str, int]:
    counts = dict.fromkeys(JUDGEMENTS, 0)
    for _target, judgement in judged:
        counts[judgement.status] = counts.get(judgement.status, 0) + 1
    return counts


_counts_lock = threading.Lock()
_counts_cache: dict[tuple, tuple[dict[str, int], int]] = {}
_COUNTS_KEPT = 64  # a few scopes (the bureau's, each unit's) of a few days' statistics


def cached_judgement_counts(tasks: QuerySet[Task], today: dt.date) -> tuple[dict[str, int], int]:
    """(targets per judgement, number of targets), judged again only when a judgement could change.

    A judgement depends on the target's own fields, its plan's year, its link, the statistics, the
    values units reported (for targets no indicator measures) and the day; the key holds all of them, read as plain rows (no model objects), so the usual page
    costs one small query instead of building and judging every target.
    """
    rows = tuple(Target.objects.filter(task__in=tasks).order_by("id").values_list(
        "id", "indicator", "quote", "comparator", "value", "value_max", "unit", "deadline", "task__plan__year",
        "link__indicator_id", "link__id"))
    reported = TargetValue.objects.filter(target__task__in=tasks).aggregate(n=Count("pk"), last=Max("pk"))
    key = (str(statistics.stats_path()), statistics.version(), today, hash(rows), reported["n"], reported["last"])
    with _counts_lock:
        if key in _counts_cache:
            return _counts_cache[key]
    value = (judgement_counts(judged_targets(tasks, today)), len(rows))
    with _counts_lock:
        if len(_counts_cache) >= _COUNTS_KEPT:
            _counts_cache.clear()
        _counts_cache[key] = value
    return value

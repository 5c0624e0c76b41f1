"""The ledger list's further filters and sorting (issue 17, item 6): the unit's role, 签收 state, a deadline
window, 缺报, and a sortable column. The ledger view hands its queryset through apply(); the plan and year are
scope.py's, shared with the other pages that list items."""

from __future__ import annotations

import datetime as dt

from django.db.models import F, OuterRef, Q, Subquery
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import policy
from .lights import owed_q, report_window_start
from .models import Assignment, ProgressReport, Task

OPEN = (Task.Status.ACTIVE, Task.Status.REVIEWING)
WINDOWS = (
    ("week", gettext_lazy("本周到期")),
    ("month", gettext_lazy("本月到期")),
    ("overdue", gettext_lazy("已逾期")),
)
SIGN_STATES = (("pending", gettext_lazy("待签收")), ("signed", gettext_lazy("已签收")))
ROLES = Assignment.Role.choices
SORTS = {
    "due": ("due_date", "position"),
    "-due": ("-due_date", "position"),
    "title": ("title",),
    "status": ("status", "position"),
}


def legend(warn_days: int) -> tuple[tuple[str, str], ...]:
    """The lights in words, as lights.py decides them with the office's warning window."""
    return (
        ("red", _("逾期：已过完成时限仍未办结")),
        ("yellow", _("预警：%(days)d 天内到期，或本月和上月均未报送进展") % {"days": warn_days}),
        ("green", _("正常：按计划推进并已按月报送")),
        ("grey", _("办结或中止")),
    )


def _window(name: str, today: dt.date) -> Q | None:
    if name == "week":
        monday = today - dt.timedelta(days=today.weekday())
        return Q(due_date__gte=today, due_date__lte=monday + dt.timedelta(days=6), status__in=OPEN)
    if name == "month":
        following = (today.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
        return Q(due_date__gte=today, due_date__lt=following, status__in=OPEN)
    if name == "overdue":
        return Q(due_date__lt=today, status__in=OPEN)
    return None


def _unit(params, user):
    """The unit the role and 签收 filters speak of: the one chosen, else the user's own."""
    org_id = params.get("org", "")
    if org_id.isdigit():
        return int(org_id)
    unit = policy.seen_unit(user)
    return unit.pk if unit else None


def apply(tasks, params, user, today: dt.date):
    """tasks annotated with latest_period (the ledger list's queryset) → filtered, sorted, with latest_progress."""
    unit, role, sign = _unit(params, user), params.get("role", ""), params.get("sign", "")
    if role in dict(ROLES) or sign in dict(SIGN_STATES):
        mine = Assignment.objects.filter(task=OuterRef("pk"))
        if unit is not None:
            mine = mine.filter(org_id=unit)
        if role in dict(ROLES):
            mine = mine.filter(role=role)
        if sign == "pending":
            mine = mine.filter(status=Assignment.Status.PENDING)
        elif sign == "signed":
            mine = mine.exclude(status=Assignment.Status.PENDING)
        tasks = tasks.filter(pk__in=mine.values("task"))
    window = _window(params.get("due", ""), today)
    if window is not None:
        tasks = tasks.filter(window)
    if params.get("missing") == "1":
        start = report_window_start(today)
        # 缺报 as the light has it: nothing reported since last month, and reports already owed (an item given
        # to its units this month or last is not yet missing)
        tasks = tasks.filter(Q(latest_period__isnull=True) | Q(latest_period__lt=start), owed_q(today),
                             status__in=OPEN)
    latest = ProgressReport.objects.filter(task=OuterRef("pk")).order_by("-period", "-id").values("progress")[:1]
    tasks = tasks.annotate(latest_progress=Subquery(latest))
    order = SORTS.get(params.get("sort", ""))
    if order:
        nulls_last = [
            F(name[1:]).desc(nulls_last=True) if name.startswith("-") else F(name).asc(nulls_last=True)
            for name in order
        ]
        tasks = tasks.order_by(*nulls_last, "id")
    return tasks


def choices() -> dict:
    """What the filter form offers besides the plan picker."""
    return {"windows": WINDOWS, "sign_states": SIGN_STATES, "roles": ROLES}

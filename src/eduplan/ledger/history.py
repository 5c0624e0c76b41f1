"""The ledger as it stood at a past moment, worked out from the audit trail (issue 16: a 月报 of a past month
gives the same figures whenever it is downloaded).

Every change to an item through services.py writes an audit entry whose `before` holds the item's whole
snapshot (services.TASK_FIELDS). The value of a field at a moment is therefore the `before` of the first such
entry after it, or, with none after it, the value now. Units count from their Assignment.created_at, reports
from their created_at: both are never changed afterwards.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .models import Assignment, AuditEntry, Plan, Task

FIELDS = ("title", "content", "section", "status", "due_date", "extension_count")


@dataclass
class PastItem:
    """An item's fields as they were; `assignments` the units it had been given by then."""

    pk: int
    number: str
    title: str
    section: str
    status: str
    due_date: dt.date | None
    assignments: list[Assignment]

    @property
    def is_open(self) -> bool:
        return self.status in (Task.Status.ACTIVE, Task.Status.REVIEWING)


def items_at(plan: Plan, tasks: list[Task], moment: dt.datetime) -> list[PastItem]:
    """The plan's items as they stood at `moment` (an aware datetime), in the order given. Pass tasks with
    their assignments (and their units) prefetched."""
    fields = {task.pk: {name: getattr(task, name) for name in FIELDS} for task in tasks}
    restored: dict[int, set[str]] = {task.pk: set() for task in tasks}
    later = (
        AuditEntry.objects.filter(task__in=[t.pk for t in tasks], at__gte=moment)
        .order_by("at", "id")
        .values_list("task_id", "before")
    )
    for task_id, before in later:
        if not _is_snapshot(before):
            continue
        for name in FIELDS:
            if name not in restored[task_id]:
                fields[task_id][name] = _value(name, before[name])
                restored[task_id].add(name)
    unpublished = plan.published_at is not None and plan.published_at >= moment
    return [
        PastItem(
            pk=task.pk,
            number=task.label,
            title=fields[task.pk]["title"],
            section=fields[task.pk]["section"],
            status=Task.Status.DRAFT if unpublished else fields[task.pk]["status"],
            due_date=fields[task.pk]["due_date"],
            assignments=[a for a in task.assignments.all() if a.created_at < moment],
        )
        for task in tasks
    ]


def _is_snapshot(before) -> bool:
    """An item's whole snapshot, not another row's fields (a signing's before is an assignment's status)."""
    return isinstance(before, dict) and all(name in before for name in FIELDS)


def _value(name: str, value):
    if name == "due_date" and value:
        return dt.date.fromisoformat(value)
    return value

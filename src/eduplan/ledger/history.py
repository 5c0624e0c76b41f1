"""The ledger as it stood at a past moment, worked out from the audit trail (issue 16: a 月报 of a past month
gives the same figures whenever it is downloaded).

Every change to an item through services.py writes an audit entry whose `before` holds the item's whole
snapshot (services.TASK_FIELDS). The value of a field at a moment is therefore the `before` of the first such
entry after it, or, with none after it, the value now. Reports count from their created_at; corrections and
withdrawals made since the moment are undone from their audit entries, which hold the report whole. Units count from their Assignment.created_at, and the withdrawals and transfers made since the
moment are undone from their audit entries (a withdrawn row is deleted, a transferred one names its new unit).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .models import Assignment, AuditEntry, Org, Plan, ProgressReport, Task

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
    units = _units_at(tasks, moment)
    unpublished = plan.published_at is not None and plan.published_at >= moment
    return [
        PastItem(
            pk=task.pk,
            number=task.label,
            title=fields[task.pk]["title"],
            section=fields[task.pk]["section"],
            status=Task.Status.DRAFT if unpublished else fields[task.pk]["status"],
            due_date=fields[task.pk]["due_date"],
            assignments=units[task.pk],
        )
        for task in tasks
    ]


UNIT_CHANGES = ("assign", "unassign", "transfer")


def _units_at(tasks: list[Task], moment: dt.datetime) -> dict[int, list[Assignment]]:
    """Each task's units at `moment`: the rows given before it, with every withdrawal, transfer and assignment
    made since undone, newest first."""
    units = {task.pk: [a for a in task.assignments.all() if a.created_at < moment] for task in tasks}
    later = (AuditEntry.objects.filter(task__in=list(units), at__gte=moment, action__in=UNIT_CHANGES)
             .order_by("-at", "-id").values_list("task_id", "action", "before", "after"))
    for task_id, action, before, after in later:
        before, after = before if isinstance(before, dict) else {}, after if isinstance(after, dict) else {}
        rows = units[task_id]
        if action == "unassign" and before.get("org"):
            rows.append(_past_assignment(before))
        elif action == "transfer" and before.get("org") and after.get("org"):
            rows[:] = [_past_assignment(before) if a.org.name == after["org"] else a for a in rows]
        elif action == "assign" and after.get("org"):
            rows[:] = [a for a in rows if a.org.name != after["org"] or a.pk is not None and a.created_at < moment]
    return units


def _past_assignment(fields: dict) -> Assignment:
    """An unsaved row standing for a unit the task had then (withdrawn or transferred since)."""
    org = Org.objects.filter(name=fields["org"]).first() or Org(name=fields["org"])
    return Assignment(org=org, role=fields.get("role", Assignment.Role.COOPERATE),
                      status=fields.get("status", Assignment.Status.PENDING), due_date=_value("due_date", fields.get("due_date")))


def _is_snapshot(before) -> bool:
    """An item's whole snapshot, not another row's fields (a signing's before is an assignment's status)."""
    return isinstance(before, dict) and all(name in before for name in FIELDS)


def _value(name: str, value):
    if name == "due_date" and value:
        return dt.date.fromisoformat(value)
    return value


REPORT_CHANGES = ("report-correct", "report-withdraw")
REPORT_TEXT = ("progress", "next_steps", "problems")


def reports_at(plan: Plan, period: dt.date, moment: dt.datetime) -> list[ProgressReport]:
    """The reports for `period` as they stood at `moment`: those made by then, with every correction and
    withdrawal made since undone, newest first. A report no longer stored comes back as an unsaved row."""
    month = period.strftime("%Y-%m")
    shown = {r.pk: r for r in ProgressReport.objects.filter(task__plan=plan, period=period, created_at__lt=moment)
             .select_related("org")}
    later = (AuditEntry.objects.filter(task__plan=plan, at__gte=moment, action__in=REPORT_CHANGES)
             .order_by("-at", "-id").values_list("task_id", "before", "after"))
    for task_id, before, after in later:
        before, after = before if isinstance(before, dict) else {}, after if isinstance(after, dict) else {}
        pk = before.get("report")
        if pk is None or not _made_before(before, moment):
            continue  # an entry written before reports were kept whole, or a report made after the moment
        if after.get("period") == month and before.get("period") != month:
            shown.pop(pk, None)  # moved into the month afterwards
        elif before.get("period") == month:
            row = shown.get(pk) or ProgressReport(pk=pk, task_id=task_id, period=period,
                                                  org=Org.objects.filter(name=before.get("org")).first())
            for name in REPORT_TEXT:
                setattr(row, name, before.get(name, ""))
            shown[pk] = row
    return sorted(shown.values(), key=lambda report: report.pk)


def _made_before(fields: dict, moment: dt.datetime) -> bool:
    made = fields.get("created_at")
    return bool(made) and dt.datetime.fromisoformat(made) < moment

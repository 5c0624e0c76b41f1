"""The year carried over: unfinished items of an earlier plan carried into a new year's plan.

The new item copies the old one's text, targets and units; the old item keeps its history (reports, requests,
audit trail) and both pages link to each other (CarryOver). Units of a published plan get the new item to
sign as any new assignment (services.assign, which notifies them).
"""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.db.models import Max

from eduplan.ledger import policy, services
from eduplan.ledger.models import Assignment, Plan, Target, Task
from eduplan.ledger.services import Invalid

from .models import CarryOver

OPEN = (Task.Status.ACTIVE, Task.Status.REVIEWING)


def candidates(plan: Plan):
    """Open items of earlier published plans (an earlier year, when both plans know theirs) not yet carried."""
    found = (
        Task.objects.filter(plan__status=Plan.Status.PUBLISHED, status__in=OPEN, carried_to__isnull=True)
        .exclude(plan=plan)
        .select_related("plan")
        .prefetch_related("assignments__org")
        .order_by("-plan__year", "plan_id", "position")
    )
    if plan.year:
        found = found.filter(plan__year__lt=plan.year)
    return found


def _moved(deadline: dt.date | None, plan: Plan) -> dt.date | None:
    """An old deadline if it still lies in the new plan's year or later, else the new year's end."""
    if plan.year is None or (deadline and deadline.year >= plan.year):
        return deadline
    return dt.date(plan.year, 12, 31)


@transaction.atomic
def carry(user, plan: Plan, old: Task) -> Task:
    policy.require(policy.is_office(user), "只有督查室可以结转事项")
    old = Task.objects.select_for_update().select_related("plan").get(pk=old.pk)
    if CarryOver.objects.filter(old_task=old).exists():
        raise Invalid(f"“{old.title}”已结转，不能重复结转")
    if old.status not in OPEN:
        raise Invalid(f"“{old.title}”状态为{old.get_status_display()}，无需结转")
    if old.plan_id == plan.pk:
        raise Invalid("不能结转到同一计划")
    position = (plan.tasks.aggregate(p=Max("position"))["p"] or 0) + 1
    published = plan.status == Plan.Status.PUBLISHED
    new = Task.objects.create(
        plan=plan,
        position=position,
        section=old.section or "上年结转事项",
        title=old.title,
        content=old.content,
        source_quote=old.source_quote,
        due_date=_moved(old.due_date, plan),
        status=Task.Status.ACTIVE if published else Task.Status.DRAFT,
    )
    for target in old.targets.all():
        Target.objects.create(
            task=new,
            quote=target.quote,
            indicator=target.indicator,
            comparator=target.comparator,
            value=target.value,
            value_max=target.value_max,
            unit=target.unit,
            deadline=target.deadline and _moved(target.deadline, plan),
        )
    try:
        with transaction.atomic():  # a second office user carrying the same item at the same moment
            CarryOver.objects.create(new_task=new, old_task=old, by=user)
    except IntegrityError:
        raise Invalid(f"“{old.title}”已结转，不能重复结转") from None
    note = {"from": f"{old.plan.title} · {old.title}", "from_task": old.pk}
    services.audit(user, "carry-in", task=new, after=note)
    services.audit(user, "carry-out", task=old, after={"to": plan.title, "to_task": new.pk})
    for assignment in old.assignments.select_related("org").order_by("-role"):
        if published:
            services.assign(user, new, assignment.org, assignment.role, new.due_date)
        else:  # a draft's units are told when the office assigns after publishing (as for any draft item)
            Assignment.objects.create(
                task=new, org=assignment.org, role=assignment.role, due_date=new.due_date
            )
    return new


def carry_many(user, plan: Plan, olds: list[Task]) -> tuple[list[Task], list[tuple[Task, str]]]:
    carried, failed = [], []
    for old in olds:
        try:
            carried.append(carry(user, plan, old))
        except (Invalid, policy.Denied) as error:
            failed.append((old, str(error)))
    return carried, failed

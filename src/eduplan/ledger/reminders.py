"""Reminders for cron: idempotent per day, so running twice sends nothing twice."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from .lights import row_light, with_light_facts
from .models import Notice, Plan, Task, User
from .services import _notice

BEFORE_DAYS = (7, 3)


def _already_sent(recipient: User, task: Task | None, kind: str, today: dt.date) -> bool:
    return Notice.objects.filter(recipient=recipient, task=task, kind=kind, created_at__date=today).exists()


def _unit_users(task: Task):
    return User.objects.filter(org__assignments__task=task, is_active=True,
                               role__in=[User.Role.DEPARTMENT, User.Role.DISTRICT]).distinct()


def send_reminders(today: dt.date | None = None) -> dict[str, int]:
    today = today or timezone.localdate()
    counts = {"due": 0, "overdue": 0, "digest": 0}
    open_tasks = Task.objects.filter(status__in=[Task.Status.ACTIVE, Task.Status.REVIEWING], due_date__isnull=False,
                                     plan__status=Plan.Status.PUBLISHED)  # an archived plan urges nobody
    for task in open_tasks:
        days = (task.due_date - today).days
        if days in BEFORE_DAYS:
            kind, text, key = f"due-{days}", f"提醒：“{task.title}”距完成时限还有 {days} 天（{task.due_date}）", "due"
        elif days < 0:
            kind, text, key = "overdue", f"督办：“{task.title}”已逾期 {-days} 天，请尽快办理并报送进展", "overdue"
        else:
            continue
        for user in _unit_users(task):
            if not _already_sent(user, task, kind, today):
                _notice(user, task, kind, text)
                counts[key] += 1
    counts["digest"] = _digest(today)
    return counts


def _digest(today: dt.date) -> int:
    tasks = with_light_facts(Task.objects.exclude(status=Task.Status.DRAFT)
                             .filter(plan__status=Plan.Status.PUBLISHED).select_related("plan"), today)
    lights = [row_light(task, today) for task in tasks]  # the ledger's own lights, one query
    text = (f"{today} 督办日报：事项 {len(lights)} 项，逾期 {lights.count('red')}，预警 {lights.count('yellow')}，"
            f"正常 {lights.count('green')}，已办结或中止 {lights.count('grey')}。")
    sent = 0
    for user in User.objects.filter(role__in=[User.Role.OFFICE, User.Role.LEADER], is_active=True):
        if not _already_sent(user, None, "digest", today):
            _notice(user, None, "digest", text)
            sent += 1
    return sent

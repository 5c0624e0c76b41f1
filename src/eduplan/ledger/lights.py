"""Red / yellow / green: computed from due dates and reports, never stored.

red    overdue: past its due date and still open
yellow due within WARN_DAYS, or no progress report for the current or previous month
green  on schedule and reported
grey   closed or suspended
"""

from __future__ import annotations

import datetime as dt
from functools import cached_property

from django.db.models import Max
from django.utils import timezone

from .models import Task

WARN_DAYS = 7


def report_window_start(today: dt.date) -> dt.date:
    """Reports are monthly: one for last month or this month keeps an item fresh."""
    first = today.replace(day=1)
    return (first - dt.timedelta(days=1)).replace(day=1)


def light(task: Task, today: dt.date | None = None, latest_period: dt.date | None = None) -> str:
    today = today or timezone.localdate()
    if task.status in (Task.Status.CLOSED, Task.Status.SUSPENDED, Task.Status.DRAFT):
        return "grey"
    if task.due_date and task.due_date < today:
        return "red"
    if task.due_date and (task.due_date - today).days <= WARN_DAYS:
        return "yellow"
    if latest_period is None or latest_period < report_window_start(today):
        return "yellow"
    return "green"


def flags(task: Task, today: dt.date | None = None, latest_period: dt.date | None = None) -> dict:
    today = today or timezone.localdate()
    open_ = task.is_open
    return {
        "overdue": bool(open_ and task.due_date and task.due_date < today),
        "missing_report": bool(open_ and (latest_period is None or latest_period < report_window_start(today))),
    }


class TaskLights:
    """One item's light and flags, worked out on first use: a page served from cached fragments never asks."""

    def __init__(self, task: Task, today: dt.date | None = None):
        self.task, self.today = task, today or timezone.localdate()

    @cached_property
    def latest_period(self) -> dt.date | None:
        return self.task.reports.aggregate(p=Max("period"))["p"]

    @cached_property
    def colour(self) -> str:
        return light(self.task, self.today, self.latest_period)

    @cached_property
    def flags(self) -> dict:
        return flags(self.task, self.today, self.latest_period)


LABELS = {"red": "逾期", "yellow": "预警", "green": "正常", "grey": "已办结或中止"}

"""Today, for the daily work: the real date, or EDUPLAN_TODAY (YYYY-MM-DD) to run a server on a fixed clock
(tests, a catch-up run, a demo that should always look like the same day)."""

from __future__ import annotations

import datetime as dt
import os

from django.utils import timezone


def today() -> dt.date:
    fixed = os.environ.get("EDUPLAN_TODAY", "").strip()
    if fixed:
        try:
            return dt.date.fromisoformat(fixed)
        except ValueError:
            pass  # a bad value must not stop the server: the real date then
    return timezone.localdate()


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def previous_month_start(day: dt.date) -> dt.date:
    return (month_start(day) - dt.timedelta(days=1)).replace(day=1)

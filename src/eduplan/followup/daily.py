"""The daily reminder pass: run once a day across all workers and servers sharing the database.

`eduplan serve` starts a thread in each worker that tries every few minutes; the first to insert the day's
ReminderRun row sends, the others (and any restart that day) find the row and send nothing. `eduplan remind`
takes the same claim, so a cron job beside a running server does not send twice either.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import threading

from django.db import IntegrityError, OperationalError, close_old_connections, connection, transaction
from django.utils import timezone

from eduplan.ledger.models import Assignment, ProgressReport, Task, User
from eduplan.ledger.reminders import send_reminders
from eduplan.ledger.services import _notice

from . import clock
from .models import ReminderRun

log = logging.getLogger(__name__)
REPORT_REMINDER_FROM_DAY = 25  # from the 25th, units that have not reported this month are reminded
CHECK_SECONDS = 300


def claim(day: dt.date) -> ReminderRun | None:
    """The day's run row if this process inserted it, None if someone else did (or the database was busy:
    the next try finds the row or claims it)."""
    try:
        with transaction.atomic():
            return ReminderRun.objects.create(day=day, worker=f"{socket.gethostname()}:{os.getpid()}")
    except (IntegrityError, OperationalError):
        return None


def run_daily_pass(day: dt.date | None = None, force: bool = False) -> dict[str, int] | None:
    """Send the day's reminders unless that day's pass is claimed already; the counts sent, or None."""
    day = day or clock.today()
    run = claim(day)
    if run is None and not force:
        return None
    counts = send_all(day)
    if run is not None:
        run.counts, run.finished_at = counts, timezone.now()
        run.save(update_fields=["counts", "finished_at"])
    log.info("reminder pass %s: %s", day, counts)
    return counts


def send_all(day: dt.date) -> dict[str, int]:
    return {**send_reminders(day), "sign": remind_to_sign(day), "report": remind_to_report(day)}


def _unit_users(org_id: int):
    return User.objects.filter(
        org_id=org_id, is_active=True, role__in=[User.Role.DEPARTMENT, User.Role.DISTRICT]
    )


def remind_to_sign(day: dt.date) -> int:
    """Every pass, each unit user is reminded of each item its unit has not signed for."""
    pending = Assignment.objects.filter(
        status=Assignment.Status.PENDING,
        task__status__in=[Task.Status.ACTIVE, Task.Status.REVIEWING],
        task__plan__status="published",
    ).select_related("task")
    sent = 0
    for assignment in pending:
        for user in _unit_users(assignment.org_id):
            _notice(user, assignment.task, "remind-sign", f"请签收新交办事项：“{assignment.task.title}”")
            sent += 1
    return sent


def remind_to_report(day: dt.date) -> int:
    if day.day < REPORT_REMINDER_FROM_DAY:
        return 0
    period = clock.month_start(day)
    signed = Assignment.objects.filter(
        status=Assignment.Status.SIGNED, task__status__in=[Task.Status.ACTIVE, Task.Status.REVIEWING]
    ).select_related("task")
    sent = 0
    for assignment in signed:
        if ProgressReport.objects.filter(
            task=assignment.task, org_id=assignment.org_id, period=period
        ).exists():
            continue
        for user in _unit_users(assignment.org_id):
            _notice(
                user,
                assignment.task,
                "remind-report",
                f"请于月底前报送“{assignment.task.title}”{day:%Y年%-m月}进展",
            )
            sent += 1
    return sent


def start_scheduler(interval: float | None = None) -> threading.Thread | None:
    """A daemon thread trying the day's pass now and every `interval` seconds (EDUPLAN_REMINDER_CHECK_SECONDS);
    EDUPLAN_REMINDERS=0 switches it off (a cron job runs `eduplan remind` instead)."""
    if os.environ.get("EDUPLAN_REMINDERS", "1") == "0":
        return None
    interval = interval or float(os.environ.get("EDUPLAN_REMINDER_CHECK_SECONDS", CHECK_SECONDS))
    thread = threading.Thread(target=_loop, args=(interval,), name="eduplan-reminders", daemon=True)
    thread.start()
    return thread


def _loop(interval: float) -> None:
    stop = threading.Event()
    while not stop.is_set():
        try:
            close_old_connections()
            run_daily_pass()
        except Exception:  # noqa: BLE001  a failed pass is logged and tried again; the server keeps serving
            log.exception("reminder pass failed")
        finally:
            connection.close()
        stop.wait(interval)

"""Reminders that go out with nothing else set up (issue 17, item 2): the daily pass runs once a day across
workers and restarts, `eduplan serve` runs it by itself, e-mails name the item and link to it."""

from __future__ import annotations

import datetime as dt
import email
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from eduplan.followup.daily import run_daily_pass
from eduplan.followup.models import ReminderRun
from eduplan.ledger.models import Notice, Task

ROOT = Path(__file__).resolve().parents[2]


def test_one_pass_a_day_and_unsigned_items_are_reminded(task, users, capsys):
    day = timezone.localdate()
    Task.objects.filter(pk=task.pk).update(due_date=day + dt.timedelta(days=3))
    counts = run_daily_pass(day)
    assert counts["due"] == 2 and counts["sign"] == 3  # basic and 江东区 on item 1; 江北区 on item 2
    assert run_daily_pass(day) is None  # claimed already: nothing twice
    call_command("remind", date=day.isoformat())
    assert "already sent" in capsys.readouterr().out
    assert ReminderRun.objects.get(day=day).finished_at is not None
    assert Notice.objects.filter(kind="due-3", recipient=users["basic"]).count() == 1
    message = next(m for m in mail.outbox if "basic@example.test" in m.to and "距完成时限" in m.body)
    assert task.title in message.subject and f"/tasks/{task.pk}/" in message.body


def test_a_bad_date_is_a_message(db, capsys):
    with pytest.raises(SystemExit):
        call_command("remind", date="2026-13-01")
    assert "日期格式应为" in capsys.readouterr().err


def test_missing_reports_are_reminded_from_the_25th(signed_task, users):
    day = timezone.localdate().replace(day=26)
    counts = run_daily_pass(day)
    assert counts["report"] == 1  # basic signed; 江东区 has not signed (it gets the sign reminder instead)
    assert Notice.objects.filter(kind="remind-report", recipient=users["basic"]).exists()


# --- `eduplan serve` with two workers and a fixed clock ---------------------------------------

SETUP = r"""
import datetime as dt, django, os
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from eduplan.ledger import services
from eduplan.ledger.models import Assignment, Org, Plan, Task, User
day = dt.date.fromisoformat(os.environ["EDUPLAN_TODAY"])
bureau = Org.objects.create(kind="bureau", code="B", name="滨江市教育局")
office = User.objects.create_user("office", password="pw", role="office", org=bureau, email="office@example.test")
plan = Plan.objects.create(title="滨江市教育局2026年工作要点", year=2026)
for position, (title, offset) in enumerate([("三天后到期事项", 3), ("七天后到期事项", 7), ("二十天后到期事项", 20),
                                            ("已逾期事项", -2)]):
    Task.objects.create(plan=plan, position=position, title=title, due_date=day + dt.timedelta(days=offset))
services.publish_plan(office, plan)
for number, task in enumerate(plan.tasks.all()):
    unit = Org.objects.create(kind="department", code=f"u{number}", name=f"第{number}处", parent=bureau)
    clerk = User.objects.create_user(f"clerk{number}", password="pw", role="department", org=unit,
                                     email=f"clerk{number}@example.test")
    services.sign(clerk, services.assign(office, task, unit, "lead", task.due_date))
"""


def _mails(folder: Path) -> list[email.message.Message]:
    found = []
    for path in sorted(folder.glob("*.log")) if folder.is_dir() else []:
        for chunk in path.read_text(encoding="utf-8").split("-" * 79):
            if chunk.strip():
                found.append(email.message_from_string(chunk.strip() + "\n"))
    return found


def _text(message) -> str:
    if message["Content-Transfer-Encoding"] == "8bit":  # read back as text already
        return message.get_payload()
    return message.get_payload(decode=True).decode("utf-8")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _runs(database: Path) -> list[tuple]:
    with sqlite3.connect(database) as db:
        return db.execute(
            "SELECT day, finished_at IS NOT NULL FROM followup_reminderrun ORDER BY day"
        ).fetchall()


def _serve(env: dict, port: int) -> subprocess.Popen:
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "eduplan.cli",
            "serve",
            "--workers",
            "2",
            "--threads",
            "2",
            "--port",
            str(port),
        ],
        env=env,
        cwd=env["EDUPLAN_DATA_DIR"],
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/login/", timeout=2)
            return server
        except OSError:
            time.sleep(0.3)
    _stop(server)
    raise AssertionError("eduplan serve did not answer within 60 s")


def _stop(server: subprocess.Popen) -> None:
    os.killpg(server.pid, signal.SIGTERM)
    server.wait(timeout=30)


def _wait_for_run(database: Path, day: str) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if (day, 1) in _runs(database):
            return
        time.sleep(0.3)
    raise AssertionError(f"no finished reminder pass for {day}: {_runs(database)}")


@pytest.mark.slow
def test_serve_with_two_workers_sends_once_a_day_and_not_again_after_a_restart(tmp_path):
    data, outbox, day = tmp_path / "var", tmp_path / "mail", "2026-12-07"
    data.mkdir()
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT / "src"),
        "DJANGO_SETTINGS_MODULE": "eduplan.web.settings",
        "EDUPLAN_DATA_DIR": str(data),
        "EDUPLAN_TODAY": day,
        "EDUPLAN_EMAIL_DIR": str(outbox),
        "EDUPLAN_EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EDUPLAN_REMINDER_CHECK_SECONDS": "0.5",
        "EDUPLAN_SITE_URL": "https://duban.example",
        # a real platform (no --demo) refuses to start with the public demo key
        "EDUPLAN_SECRET_KEY": "reminder-test-" + "k3y-0f-f1fty-r4nd0m-ch4r4ct3rs-" * 2,
    }
    env.pop("DATABASE_URL", None)
    subprocess.run([sys.executable, "-c", SETUP], env=env, cwd=data, check=True, timeout=120)
    shutil.rmtree(outbox)  # the assignment notices of the set-up: only the reminders are counted
    database = data / "eduplan.sqlite3"

    port = _free_port()
    server = _serve(env, port)
    try:
        _wait_for_run(database, day)
        time.sleep(3)  # both workers have tried several times by now
    finally:
        _stop(server)
    first = _mails(outbox)
    due_mails = [m for m in first if "督办日报" not in _text(m)]
    assert len(first) == 4 and len(due_mails) == 3  # one per due item (7 days, 3 days, overdue), one digest
    for title in ("三天后到期事项", "七天后到期事项", "已逾期事项"):
        (mail_of_item,) = [m for m in due_mails if title in _text(m)]
        assert "https://duban.example/tasks/" in _text(mail_of_item)
    assert _runs(database) == [(day, 1)]

    server = _serve(env, port)  # a restart the same day sends nothing
    try:
        time.sleep(3)
    finally:
        _stop(server)
    assert len(_mails(outbox)) == 4

    env["EDUPLAN_TODAY"] = "2026-12-08"  # the next day: the overdue item again, and the digest
    server = _serve(env, port)
    try:
        _wait_for_run(database, "2026-12-08")
        time.sleep(2)
    finally:
        _stop(server)
    assert len(_mails(outbox)) == 6 and _runs(database) == [(day, 1), ("2026-12-08", 1)]

"""`eduplan backup` / `eduplan restore` (audit M9): a backup taken while writers add reports with evidence
files restores into an empty data folder as a consistent platform: every table holds what the source held
at one moment (a prefix of the writes), every file the rows name is there byte for byte, and the
statistics are the source's."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

pytestmark = pytest.mark.slow
SRC = Path(__file__).resolve().parents[2] / "src"
WRITER = """
import os, time, django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "eduplan.web.settings")
django.setup()
from django.core.files.uploadedfile import SimpleUploadedFile
from eduplan.ledger import services
from eduplan.ledger.models import Assignment, User
leads = Assignment.objects.filter(role="lead", status__in=["signed", "done"], task__status="active").select_related("task", "org")
lead = next(a for a in leads if User.objects.filter(org=a.org).exists())  # a unit with an account to report
user = User.objects.filter(org=lead.org).first()
number = 0
while not os.path.exists(os.environ["STOP"]):
    number += 1
    services.report(user, lead.task, progress=f"写入 {number}",
                    attachment=SimpleUploadedFile(f"第{number}份.txt", f"佐证 {number}".encode()))
print(number)
"""


def _env(data: Path, database=None, **extra) -> dict:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("EDUPLAN_", "DJANGO_", "DATABASE_URL"))}
    url = {"DATABASE_URL": database} if isinstance(database, str) else {}
    return {**clean, "PYTHONPATH": str(SRC), "EDUPLAN_DATA_DIR": str(data),
            "DJANGO_SETTINGS_MODULE": "eduplan.web.settings", **url, **extra}


def _eduplan(*args: str, data: Path, database=None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "eduplan.cli", *args], env=_env(data, database),
                          capture_output=True, text=True, timeout=600)


def _tables(where) -> dict[str, set]:
    """Every table's rows, of a SQLite file or a PostgreSQL URL."""
    if isinstance(where, Path):
        con = sqlite3.connect(where)
        # sqlite_sequence is SQLite's own counter of ids handed out: it moves on, it holds no data
        names = [row[0] for row in con.execute("SELECT name FROM sqlite_master WHERE type = 'table' "
                                               "AND name != 'sqlite_sequence'")]
    else:
        import psycopg

        con = psycopg.connect(where)
        names = [row[0] for row in con.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")]
    tables = {name: {tuple(map(repr, row)) for row in con.execute(f'SELECT * FROM "{name}"').fetchall()}
              for name in names}
    con.close()
    return tables


def _query(where, sql: str) -> list[tuple]:
    if isinstance(where, Path):
        con = sqlite3.connect(where)
    else:
        import psycopg

        con = psycopg.connect(where)
    rows = con.execute(sql).fetchall()
    con.close()
    return rows


@pytest.fixture(params=["sqlite", "postgresql"])
def databases(request, tmp_path):
    """(source, restored) as SQLite files, or as two new PostgreSQL databases named after the suite's own
    (DATABASE_URL) and dropped at the end."""
    if request.param == "sqlite":
        yield tmp_path / "source" / "eduplan.sqlite3", tmp_path / "restored" / "eduplan.sqlite3"
        return
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres") or shutil.which("pg_dump") is None:
        pytest.skip("PostgreSQL runs with DATABASE_URL set and pg_dump installed")
    import psycopg

    base, name = url.rsplit("/", 1)
    names = [f"{name}_backup_source", f"{name}_backup_restored"]
    with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
        for database in names:
            admin.execute(f'DROP DATABASE IF EXISTS "{database}"')
            admin.execute(f'CREATE DATABASE "{database}"')
    yield tuple(f"{base}/{database}" for database in names)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
        for database in names:
            admin.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


def _statistics(path: Path) -> dict[str, list]:
    con = duckdb.connect(str(path), read_only=True)
    names = [row[0] for row in con.execute("SELECT table_name FROM information_schema.tables").fetchall()]
    tables = {name: sorted(map(repr, con.execute(f'SELECT * FROM "{name}"').fetchall())) for name in names}
    con.close()
    return tables


def test_a_backup_under_load_restores_to_a_consistent_platform(tmp_path, databases):
    source, backup, restored = tmp_path / "source", tmp_path / "backup", tmp_path / "restored"
    source_db, restored_db = databases
    setup = ("import django; django.setup(); from django.core.management import call_command; "
             "call_command('migrate', verbosity=0); call_command('demo_setup', verbosity=0)")
    subprocess.run([sys.executable, "-c", setup], env=_env(source, source_db), check=True, capture_output=True,
                   timeout=600)
    stop = tmp_path / "stop"
    writer = subprocess.Popen([sys.executable, "-c", WRITER], env=_env(source, source_db, STOP=str(stop)),
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        time.sleep(3)  # reports are being written
        taken = _eduplan("backup", str(backup), data=source, database=source_db)
    finally:
        stop.touch()
        out, err = writer.communicate(timeout=120)
    assert taken.returncode == 0, taken.stderr
    assert writer.returncode == 0, err
    written = int(out.strip())

    refused = _eduplan("restore", str(backup), data=source, database=source_db)  # never over a platform
    assert refused.returncode != 0 and "not empty" in refused.stderr
    done = _eduplan("restore", str(backup), data=restored, database=restored_db)
    assert done.returncode == 0, done.stderr

    before, after = _tables(source_db), _tables(restored_db)
    assert before.keys() == after.keys()
    for name in before:
        assert after[name] <= before[name], name  # nothing the source never held
    reports = _query(restored_db, "SELECT progress, attachment, attachment_name FROM ledger_progressreport "
                                  "WHERE progress LIKE '写入 %'")
    numbers = sorted(int(progress.split()[1]) for progress, _, _ in reports)
    assert numbers == list(range(1, len(numbers) + 1)) and 0 < len(numbers) <= written  # a prefix, no gaps
    for progress, stored, name in reports:
        assert name == f"第{progress.split()[1]}份.txt"
        assert (restored / "media" / stored).read_bytes() == (source / "media" / stored).read_bytes()
    changed = {name for name in before if before[name] != after[name]}
    assert changed <= {"ledger_progressreport", "ledger_auditentry", "ledger_securityevent"}
    assert _statistics(restored / "statistics.duckdb") == _statistics(source / "statistics.duckdb")
    assert sorted(p.relative_to(backup / "media") for p in (backup / "media").rglob("*")) == sorted(
        p.relative_to(restored / "media") for p in (restored / "media").rglob("*"))


def test_restore_refuses_a_damaged_backup(tmp_path):
    (tmp_path / "backup").mkdir()
    (tmp_path / "backup" / "manifest.json").write_text('{"files": {"eduplan.sqlite3": {"bytes": 1, "sha256": "x"}},'
                                                       ' "database": "sqlite", "statistics": false}')
    result = _eduplan("restore", str(tmp_path / "backup"), data=tmp_path / "empty")
    assert result.returncode != 0 and "missing or changed" in result.stderr

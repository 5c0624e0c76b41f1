"""`eduplan backup DIR` and `eduplan restore DIR`: the database, the evidence files and the statistics
together, consistent while the server runs (audit M9).

Order makes the copy consistent without stopping anything: the database first (SQLite's online backup API,
or pg_dump, each one snapshot), then the evidence files (a file is written before the row naming it
commits, and none is ever deleted, so every file the snapshot names is there), then the statistics file,
copied while a read-only DuckDB connection holds it (no import can write meanwhile). A manifest lists
every file with its size and SHA-256; restore checks them and refuses to write over anything.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import time
from pathlib import Path

import click

from .serve import _django

MANIFEST = "manifest.json"
SQLITE_NAME, PG_NAME, MEDIA, STATS = "eduplan.sqlite3", "database.sql", "media", "statistics.duckdb"


class BackupError(click.ClickException):
    pass


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _database():
    from django.conf import settings

    return settings.DATABASES["default"]


def _pg_url() -> str:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        raise BackupError("DATABASE_URL is not a PostgreSQL URL")
    return url


def _backup_database(target: Path) -> str:
    database = _database()
    if database["ENGINE"].endswith("sqlite3"):
        source = sqlite3.connect(str(database["NAME"]), timeout=30)
        copy = sqlite3.connect(str(target / SQLITE_NAME))
        with copy:
            source.backup(copy)  # one consistent snapshot, while other connections go on writing
        copy.close()
        source.close()
        return "sqlite"
    _run(["pg_dump", "--no-owner", "--no-privileges", "--file", str(target / PG_NAME), _pg_url()], "pg_dump")
    return "postgresql"


def _run(command: list[str], name: str) -> None:
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=3600)
    except FileNotFoundError:
        raise BackupError(f"{name} is not installed (the PostgreSQL client tools)") from None
    if result.returncode != 0:
        raise BackupError(f"{name} failed: {result.stderr.strip()[:500]}")


def _backup_statistics(target: Path) -> bool:
    import duckdb
    from django.conf import settings

    path = Path(settings.EDUPLAN_STATS_DB)
    if not path.exists():
        return False
    for attempt in range(60):  # an import holds the file for writing: wait for it to finish
        try:
            con = duckdb.connect(str(path), read_only=True)
            break
        except duckdb.Error:
            if attempt == 59:
                raise BackupError(f"{path} stayed busy (a statistics import?) for a minute; try again") from None
            time.sleep(1)
    try:
        shutil.copyfile(path, target / STATS)
        wal = path.with_name(path.name + ".wal")
        if wal.exists():
            shutil.copyfile(wal, target / (STATS + ".wal"))
    finally:
        con.close()
    return True


def _files(folder: Path) -> dict[str, dict]:
    return {str(p.relative_to(folder)): {"bytes": p.stat().st_size, "sha256": _sha256(p)}
            for p in sorted(folder.rglob("*")) if p.is_file() and p.name != MANIFEST}


def take_backup(target: Path) -> dict:
    from django.conf import settings

    target.mkdir(parents=True, exist_ok=True)
    if any(target.iterdir()):
        raise BackupError(f"{target} is not empty: back up into a new folder")
    engine = _backup_database(target)
    media = Path(settings.MEDIA_ROOT)
    if media.is_dir():
        shutil.copytree(media, target / MEDIA)
    has_statistics = _backup_statistics(target)
    manifest = {"format": "eduplan-backup/1", "taken_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
                "database": engine, "statistics": has_statistics, "files": _files(target)}
    (target / MANIFEST).write_text(json.dumps(manifest, indent=1, ensure_ascii=False), encoding="utf-8")
    return manifest


def _check(source: Path) -> dict:
    try:
        manifest = json.loads((source / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise BackupError(f"{source} holds no readable {MANIFEST}: not an eduplan backup") from None
    for name, entry in manifest["files"].items():
        path = source / name
        if not path.is_file() or path.stat().st_size != entry["bytes"] or _sha256(path) != entry["sha256"]:
            raise BackupError(f"{source}: {name} is missing or changed since the backup; nothing restored")
    return manifest


def _empty_target() -> None:
    """Restore writes only into an empty platform: nothing of a running one is ever overwritten."""
    from django.conf import settings
    from django.db import connection

    if connection.introspection.table_names():
        raise BackupError("the database is not empty: restore into a new database (DATABASE_URL) or an "
                          "empty EDUPLAN_DATA_DIR")
    media, stats = Path(settings.MEDIA_ROOT), Path(settings.EDUPLAN_STATS_DB)
    if (media.is_dir() and any(media.iterdir())) or stats.exists():
        raise BackupError(f"{media} or {stats} already exists: restore into an empty EDUPLAN_DATA_DIR")


def restore_backup(source: Path) -> dict:
    from django.conf import settings
    from django.db import connection

    manifest = _check(source)
    _empty_target()
    database = _database()
    if manifest["database"] == "sqlite":
        if not database["ENGINE"].endswith("sqlite3"):
            raise BackupError("the backup is of SQLite; unset DATABASE_URL to restore it")
        connection.close()
        Path(database["NAME"]).unlink(missing_ok=True)  # the empty file opening the connection made
        shutil.copyfile(source / SQLITE_NAME, database["NAME"])
    else:
        if database["ENGINE"].endswith("sqlite3"):
            raise BackupError("the backup is of PostgreSQL: set DATABASE_URL to a new, empty database")
        connection.close()
        _run(["psql", "-v", "ON_ERROR_STOP=1", "--quiet", "--file", str(source / PG_NAME), _pg_url()], "psql")
    if (source / MEDIA).is_dir():
        shutil.copytree(source / MEDIA, settings.MEDIA_ROOT, dirs_exist_ok=True)
    if manifest["statistics"]:
        stats = Path(settings.EDUPLAN_STATS_DB)
        stats.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source / STATS, stats)
        if (source / (STATS + ".wal")).exists():
            shutil.copyfile(source / (STATS + ".wal"), stats.with_name(stats.name + ".wal"))
    return manifest


@click.command()
@click.argument("folder", type=click.Path(path_type=Path))
def backup(folder: Path):
    """Copy the database, evidence files and statistics into FOLDER (new or empty), while the server runs."""
    _django()
    manifest = take_backup(folder)
    click.echo(f"backed up the {manifest['database']} database, {len(manifest['files'])} files, into {folder}")


@click.command()
@click.argument("folder", type=click.Path(path_type=Path, exists=True, file_okay=False))
def restore(folder: Path):
    """Restore a backup FOLDER into an empty platform (empty EDUPLAN_DATA_DIR, or a new DATABASE_URL)."""
    _django()
    manifest = restore_backup(folder)
    click.echo(f"restored the {manifest['database']} database and {len(manifest['files'])} files from {folder}")

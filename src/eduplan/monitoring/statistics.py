"""The statistics database (DuckDB) as the web sees it.

Opening a DuckDB file costs ~15 ms, too much for every page, so each process keeps one read-only
connection and hands out a cursor per use (a DuckDB connection is not shared between threads;
its cursors are). The connection is reopened when the file changes. Writing (a statistics import)
closes it first; DuckDB lets only one process write, so with several web workers an import can
find the file busy and says so.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import duckdb
from django.conf import settings

from eduplan.indicators.errors import IndicatorError

_lock = threading.Lock()
_cached: dict = {"con": None, "stamp": None}


def stats_path() -> Path:
    return Path(settings.EDUPLAN_STATS_DB)


def _stamp(path: Path) -> tuple[str, int, int] | None:
    try:
        stat = path.stat()
    except FileNotFoundError:
        return None
    return str(path), stat.st_mtime_ns, stat.st_size


def _close_cached() -> None:
    if _cached["con"] is not None:
        _cached["con"].close()
    _cached.update(con=None, stamp=None)


def version() -> tuple[str, int, int] | None:
    """Changes whenever the statistics change: a key for caches built from them."""
    return _stamp(stats_path())


@contextmanager
def reading() -> Iterator[duckdb.DuckDBPyConnection | None]:
    """A cursor on the statistics, or None when there are none yet (pages show an empty state)."""
    path = stats_path()
    with _lock:
        stamp = _stamp(path)
        if stamp is None:
            _close_cached()
        elif stamp != _cached["stamp"]:
            _close_cached()
            # being written by another process right now: no figures this time
            with suppress(duckdb.Error):
                _cached.update(con=duckdb.connect(str(path), read_only=True), stamp=stamp)
        cursor = _cached["con"].cursor() if _cached["con"] is not None else None
    try:
        yield cursor
    finally:
        if cursor is not None:
            cursor.close()


@contextmanager
def writing() -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-write connection (creating the file); raises IndicatorError when another process holds it."""
    from eduplan.indicators.schema import connect

    path = stats_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    with _lock:
        _close_cached()
        con = connect(path)
    try:
        yield con
    finally:
        con.close()


def reset_cache() -> None:
    """For tests that swap the database file."""
    with _lock:
        _close_cached()


__all__ = ["IndicatorError", "reading", "reset_cache", "stats_path", "version", "writing"]

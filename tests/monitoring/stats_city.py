"""The small demo city the monitoring tests run on, and reading its statistics as the pages do."""

from __future__ import annotations

from eduplan.monitoring import statistics

YEARS = (2022, 2023, 2024)
SMALL = 0.05  # about 180 schools over the demo city's 11 districts
HOME, OTHER = "339901", "339902"


def query(sql: str, params: list | None = None) -> list[tuple]:
    """Read the statistics the way the pages do (one process may not mix read-only and read-write opens)."""
    with statistics.reading() as con:
        return con.execute(sql, params or []).fetchall()


def school_in(path, district: str, other_than: str | None = None) -> str:
    return query("SELECT min(school_code) FROM schools WHERE year = ? AND district_code = ? "
                 "AND level = 'primary' AND school_code <> ?", [YEARS[-1], district, other_than or ""])[0][0]

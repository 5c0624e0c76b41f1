"""Scored results in the statistics database: pupil rows, the per-school summary the indicators read.

`fitness_pupils` keeps every pupil's results and scores (for the upload file, score sheets and the
drill-down of those who may see pupils); `fitness` (declared in indicators/data/derived_tables.toml)
holds the counts per school, grade and sex that 优良率, 合格率, 优秀率 and 肥胖率 are computed from.
A school's year is replaced as a whole, in one transaction with its indicator values.
"""

from __future__ import annotations

import csv
import tempfile
from pathlib import Path

import duckdb

from eduplan.indicators.engine import write_values

from . import standard
from .errors import FitnessError, Problem
from .results import META, Result, Scored

PUPILS_TABLE = "fitness_pupils"
SUMMARY_TABLE = "fitness"
INDICATORS = ("fitness_good_rate", "fitness_pass_rate", "fitness_excellent_rate", "fitness_obesity_rate")
_SCORE_KEYS = [*standard.scored_items(), standard.BMI_ITEM]


def _pupil_columns() -> list[tuple[str, str]]:
    return (
        [
            ("year", "INTEGER"),
            ("school_code", "VARCHAR"),
            ("student_id", "VARCHAR"),
            ("grade_code", "INTEGER"),
            ("sex", "VARCHAR"),
            ("exempt", "BOOLEAN"),
        ]
        + [(m, "VARCHAR") for m in META if m != "school_code"]
        + [(f"v_{k}", "BIGINT") for k in standard.items()]
        + [(f"s_{k}", "INTEGER") for k in _SCORE_KEYS]
        + [
            ("bmi10", "INTEGER"),
            ("bmi_category", "VARCHAR"),
            ("standard10", "INTEGER"),
            ("bonus", "INTEGER"),
            ("total10", "INTEGER"),
            ("band", "VARCHAR"),
            ("complete", "BOOLEAN"),
        ]
    )


def ensure_tables(con: duckdb.DuckDBPyConnection) -> None:
    columns = ", ".join(f"{name} {kind}" for name, kind in _pupil_columns())
    con.execute(f"CREATE TABLE IF NOT EXISTS {PUPILS_TABLE} ({columns})")


def _row(year: int, school_code: str, s: Scored) -> list:
    r = s.result
    return (
        [year, school_code, r.student_id, r.grade_code, r.sex, r.exempt]
        + [getattr(r, m) for m in META if m != "school_code"]
        + [r.values.get(k) for k in standard.items()]
        + [s.items.get(k) for k in _SCORE_KEYS]
        + [s.bmi10, s.bmi_category, s.standard10, s.bonus, s.total10, s.band, s.complete]
    )


def summary_sql(pupils: str, year_filter: str = "TRUE") -> str:
    """SELECT of the summary rows (year, school, grade, sex, counts) from a table shaped like fitness_pupils."""
    return f"""
        SELECT year, school_code, grade_code, sex,
               count(*) FILTER (WHERE NOT exempt) AS tested, count(*) FILTER (WHERE exempt) AS exempt,
               count(*) FILTER (WHERE band = '优秀') AS excellent, count(*) FILTER (WHERE band = '良好') AS good,
               count(*) FILTER (WHERE band = '及格') AS passed, count(*) FILTER (WHERE band = '不及格') AS failed,
               count(bmi10) AS bmi_measured, count(*) FILTER (WHERE bmi_category = '肥胖') AS obese,
               count(*) FILTER (WHERE bmi_category = '超重') AS overweight
        FROM {pupils} WHERE {year_filter} GROUP BY ALL"""


def replace_school_year(
    con: duckdb.DuckDBPyConnection, year: int, school_code: str, scored: list[Scored]
) -> int:
    """The school's year of results, replaced with these (all or nothing), and the fitness indicators
    recomputed for the year. Returns the number of pupils stored."""
    known = con.execute(
        "SELECT 1 FROM schools WHERE year = ? AND school_code = ?", [year, school_code]
    ).fetchone()
    if known is None:
        raise FitnessError(
            [
                Problem(
                    None,
                    "",
                    f"学校标识码 {school_code} 不在 {year} 学年的学校名单中：请先导入该学年的事业统计数据",
                )
            ]
        )
    ensure_tables(con)
    with tempfile.TemporaryDirectory(prefix="eduplan-fitness-") as folder:
        path = Path(folder) / "pupils.csv"
        with path.open("w", newline="", encoding="utf-8") as handle:
            csv.writer(handle).writerows(_row(year, school_code, s) for s in scored)
        types = "{" + ", ".join(f"'{n}': '{t}'" for n, t in _pupil_columns()) + "}"
        con.execute("BEGIN TRANSACTION")
        try:
            con.execute(f"DELETE FROM {PUPILS_TABLE} WHERE year = ? AND school_code = ?", [year, school_code])
            con.execute(
                f"DELETE FROM {SUMMARY_TABLE} WHERE year = ? AND school_code = ?", [year, school_code]
            )
            if scored:
                con.execute(
                    f"INSERT INTO {PUPILS_TABLE} SELECT * FROM read_csv(?, header = false, columns = {types}, "
                    "nullstr = '', quote = '\"', escape = '\"')",
                    [str(path)],
                )
            con.execute(
                f"INSERT INTO {SUMMARY_TABLE} {summary_sql(PUPILS_TABLE, 'year = ? AND school_code = ?')}",
                [year, school_code],
            )
            write_values(con, [year], list(INDICATORS))
            con.execute("COMMIT")
        except Exception:
            con.execute("ROLLBACK")
            raise
    return len(scored)


def pupils(con: duckdb.DuckDBPyConnection, year: int, school_code: str) -> list[Result]:
    """A school's stored results, as read from its upload file (for the upload export)."""
    ensure_tables(con)
    names = [n for n, _ in _pupil_columns()]
    rows = con.execute(
        f"SELECT * FROM {PUPILS_TABLE} WHERE year = ? AND school_code = ? ORDER BY student_id",
        [year, school_code],
    ).fetchall()
    results = []
    for number, row in enumerate(rows, start=2):
        record = dict(zip(names, row, strict=True))
        values = {k: record[f"v_{k}"] for k in standard.items() if record[f"v_{k}"] is not None}
        meta = {m: record[m] or "" for m in META if m != "school_code"}
        results.append(
            Result(
                number,
                record["student_id"],
                record["grade_code"],
                record["sex"],
                record["exempt"],
                values,
                school_code=school_code,
                **meta,
            )
        )
    return results


def pupil_scores(con: duckdb.DuckDBPyConnection, year: int, school_code: str) -> list[dict]:
    """A school's pupils with their scores, by grade, class and 学籍号 (empty when none were imported).
    Pupil-level: callers show it only to those who may see the school's pupils."""
    try:
        cursor = con.execute(
            f"SELECT student_id, name, grade_code, class_name, class_code, sex, exempt, standard10, bonus, total10, band "
            f"FROM {PUPILS_TABLE} WHERE year = ? AND school_code = ? ORDER BY grade_code, class_code, student_id",
            [year, school_code],
        )
    except duckdb.CatalogException:  # no fitness results were ever imported into this database
        return []
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

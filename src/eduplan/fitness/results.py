"""A pupil's test results and scores as Python objects, and the bridge to the SQL engine."""

from __future__ import annotations

import csv
import tempfile
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from pathlib import Path

import duckdb

from . import engine, standard
from .errors import FitnessError, Problem

RESULTS_TABLE = "fitness_results"
SCORES_TABLE = "fitness_scores"
META = ("school_code", "class_code", "class_name", "ethnicity", "name", "birth_date", "address")


@dataclass
class Result:
    """One pupil's row of the upload template. `values` maps item key → hundredths of its unit."""

    row_no: int
    student_id: str
    grade_code: int
    sex: str  # 'M' | 'F'
    exempt: bool = False
    values: dict[str, int] = field(default_factory=dict)
    school_code: str = ""
    class_code: str = ""
    class_name: str = ""
    ethnicity: str = ""
    name: str = ""
    birth_date: str = ""
    address: str = ""


@dataclass
class Scored:
    result: Result
    items: dict[str, int | None]  # item key (and 'bmi') → score; None where not tested
    bmi10: int | None
    bmi_category: str | None
    standard10: int | None  # 标准分 × 10
    bonus: int | None
    total10: int | None  # 学年总分 × 10
    band: str
    complete: bool

    @property
    def standard_score(self) -> Decimal | None:
        return None if self.standard10 is None else Decimal(self.standard10) / 10

    @property
    def total(self) -> Decimal | None:
        return None if self.total10 is None else Decimal(self.total10) / 10

    def to_json(self) -> dict:
        sex = {"M": 1, "F": 2}[self.result.sex]
        return {
            "student_id": self.result.student_id,
            "grade_code": self.result.grade_code,
            "sex": sex,
            "items": {k: v for k, v in self.items.items() if v is not None},
            "standard_score": _number(self.standard_score),
            "bonus": self.bonus,
            "total": _number(self.total),
            "band": self.band,
        }


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


@cache
def _standard_database() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    engine.install_standard(con, temp=False)
    return con


def standard_cursor() -> duckdb.DuckDBPyConnection:
    """A fresh connection to a process-wide in-memory database holding the standard's tables, built
    once (the value grid takes a second or two): a file of a few hundred pupils scores in milliseconds.
    Its own tables must be TEMP (the database is shared)."""
    return _standard_database().cursor()


def load(
    con: duckdb.DuckDBPyConnection, results: list[Result], table: str = RESULTS_TABLE, temp: bool = False
) -> None:
    """Results into a new table of the engine's shape, plus the pupils' descriptive columns."""
    item_keys = list(standard.items())
    con.execute(f"DROP TABLE IF EXISTS {table}")
    con.execute(engine.results_table_sql(table, temp))
    for column in META:
        con.execute(f"ALTER TABLE {table} ADD COLUMN {column} VARCHAR")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "results.csv"
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            for r in results:
                writer.writerow(
                    [
                        r.row_no,
                        r.student_id,
                        r.grade_code,
                        r.sex,
                        r.exempt,
                        *(r.values.get(k) for k in item_keys),
                        *(getattr(r, m) for m in META),
                    ]
                )
        con.execute(
            f"INSERT INTO {table} SELECT * FROM read_csv(?, header = false, all_varchar = true)", [str(path)]
        )


def check(con: duckdb.DuckDBPyConnection, table: str = RESULTS_TABLE, require_complete: bool = False) -> None:
    found = engine.problems(con, table, require_complete)
    if found:
        raise FitnessError([Problem(row, column, message) for row, column, message in found])


def score(results: list[Result], require_complete: bool = False) -> list[Scored]:
    """Score results in a private in-memory database; refuses the lot when any value is refused."""
    con = standard_cursor()
    try:
        load(con, results, RESULTS_TABLE, temp=True)
        check(con, RESULTS_TABLE, require_complete)
        engine.score(con, RESULTS_TABLE, SCORES_TABLE, temp=True)
        return read_scores(con, results)
    finally:
        con.close()


def read_scores(
    con: duckdb.DuckDBPyConnection, results: list[Result], table: str = SCORES_TABLE
) -> list[Scored]:
    keys = standard.scored_items() + [standard.BMI_ITEM]
    by_row = {r.row_no: r for r in results}
    cursor = con.execute(
        f"SELECT row_no, {', '.join(keys)}, bmi10, bmi_category, standard10, bonus, total10, "
        f"band, complete FROM {table} ORDER BY row_no"
    )
    scored = []
    for row in cursor.fetchall():
        values = dict(zip(keys, row[1 : 1 + len(keys)], strict=True))
        bmi10, category, std10, bonus, total10, band, complete = row[1 + len(keys) :]
        scored.append(Scored(by_row[row[0]], values, bmi10, category, std10, bonus, total10, band, complete))
    return scored

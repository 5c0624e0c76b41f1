"""The statistics tables (data/schema.toml) as DuckDB tables, and the org-unit hierarchy.

The hierarchy is city → district → school. The city and its districts live in `org_units`
(they change rarely); schools live in the per-year `schools` table, so a school that opens or
closes appears only in the years it existed.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from pathlib import Path

import duckdb

from .errors import IndicatorError


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    label: str
    note: str
    optional: bool = False  # a sheet may leave it out (a template from before it was added)


@dataclass(frozen=True)
class Table:
    name: str
    label: str
    unit: str  # "school" or "district": which org unit one row belongs to
    key: tuple[str, ...]
    columns: tuple[Column, ...]
    imported: bool = True  # False: filled by another part of eduplan (data/derived_tables.toml)

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]


@cache
def tables() -> dict[str, Table]:
    """Every table the engine reads: the statistics tables, then the derived ones."""
    return {**_tables_of("schema.toml", imported=True), **_tables_of("derived_tables.toml", imported=False)}


@cache
def imported_tables() -> dict[str, Table]:
    """The tables of the statistics import template."""
    return {name: table for name, table in tables().items() if table.imported}


@cache
def _data(data_file: str) -> dict:
    return tomllib.loads(files("eduplan.indicators").joinpath("data", data_file).read_text("utf-8"))


@cache
def split_levels() -> dict[str, tuple[str, ...]]:
    """The school levels spanning several stages (九年一贯制, 完全中学, …) → their parts' stages, in order."""
    return {level: tuple(stages) for level, stages in _data("schema.toml")["split_levels"].items()}


@cache
def stage_grades() -> dict[str, tuple[int, int]]:
    """stage → its first and last grade: the part of a split school a row with a grade belongs to."""
    return {stage: (first, last) for stage, (first, last) in _data("schema.toml")["stage_grades"].items()}


def levels_with_stage(stage: str) -> list[str]:
    """The school levels with a part in the stage: the stage itself and the split levels spanning it."""
    return [stage, *(level for level, stages in split_levels().items() if stage in stages)]


def _tables_of(data_file: str, imported: bool) -> dict[str, Table]:
    raw = _data(data_file)
    return {
        name: Table(name, spec["label"], spec["unit"], tuple(spec["key"]),
                    tuple(Column(*column[:4], optional="optional" in column[4:]) for column in spec["columns"]),
                    imported)
        for name, spec in raw["tables"].items()
    }


def create_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create every statistics table (if absent), each with a leading `year` column."""
    con.execute("CREATE TABLE IF NOT EXISTS org_units (code VARCHAR PRIMARY KEY, name VARCHAR, "
                "level VARCHAR, parent VARCHAR)")
    for table in tables().values():
        con.execute(table_ddl(table, table.name))
        _add_new_columns(con, table)


def _add_new_columns(con: duckdb.DuckDBPyConnection, table: Table) -> None:
    """A database made before a column was added gains it (blank), at the end where schema.toml puts it."""
    have = {row[0] for row in con.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = ? AND table_schema = current_schema()",
        [table.name]).fetchall()}
    for column in table.columns:
        if column.name not in have:
            con.execute(f"ALTER TABLE {table.name} ADD COLUMN {column.name} {column.type}")


def table_ddl(table: Table, qualified_name: str, if_not_exists: bool = True) -> str:
    columns = ", ".join(f"{c.name} {c.type}" for c in table.columns)
    guard = "IF NOT EXISTS " if if_not_exists else ""
    return f"CREATE TABLE {guard}{qualified_name} (year INTEGER NOT NULL, {columns})"


def connect(path: str | Path | None = None) -> duckdb.DuckDBPyConnection:
    """Open a statistics database (in memory when path is None) with the schema in place."""
    try:
        con = duckdb.connect(str(path) if path else ":memory:")
    except duckdb.Error as error:
        raise IndicatorError(f"cannot open the statistics database {path}: {error}") from None
    create_schema(con)
    return con


def register_city(con: duckdb.DuckDBPyConnection, city_code: str, city_name: str,
                  districts: list[tuple[str, str]]) -> None:
    """Replace the city and its districts: the top two levels of the hierarchy."""
    con.execute("DELETE FROM org_units")
    con.execute("INSERT INTO org_units VALUES (?, ?, 'city', NULL)", [city_code, city_name])
    con.executemany("INSERT INTO org_units VALUES (?, ?, 'district', ?)",
                    [[code, name, city_code] for code, name in districts])


def city(con: duckdb.DuckDBPyConnection) -> tuple[str, str]:
    row = con.execute("SELECT code, name FROM org_units WHERE level = 'city'").fetchone()
    if row is None:
        raise IndicatorError("the statistics database names no city: load the demo city or import org units first")
    return row


def years_loaded(con: duckdb.DuckDBPyConnection) -> list[int]:
    return [row[0] for row in con.execute("SELECT DISTINCT year FROM schools ORDER BY year").fetchall()]


def org_unit_level(con: duckdb.DuckDBPyConnection, code: str, year: int) -> str:
    """'city', 'district' or 'school' for a code; IndicatorError when the code is unknown."""
    row = con.execute("SELECT level FROM org_units WHERE code = ?", [code]).fetchone()
    if row:
        return row[0]
    if con.execute("SELECT 1 FROM schools WHERE year = ? AND school_code = ?", [year, code]).fetchone():
        return "school"
    raise IndicatorError(f"no org unit {code!r} in {year}")


def hierarchy(con: duckdb.DuckDBPyConnection, year: int) -> dict:
    """The org-unit tree of a year: {code, name, level, children: [districts {…, children: schools}]}."""
    city_code, city_name = city(con)
    districts = con.execute("SELECT code, name FROM org_units WHERE level = 'district' ORDER BY code").fetchall()
    schools: dict[str, list[dict]] = {}
    for code, name, district, level in con.execute(
            "SELECT school_code, name, district_code, level FROM schools WHERE year = ? ORDER BY school_code",
            [year]).fetchall():
        schools.setdefault(district, []).append({"code": code, "name": name, "level": "school", "stage": level})
    return {"code": city_code, "name": city_name, "level": "city",
            "children": [{"code": code, "name": name, "level": "district", "children": schools.get(code, [])}
                         for code, name in districts]}

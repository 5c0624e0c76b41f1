"""The engine against an independent reference (reference.py: each indicator in plain Python from its
document's formula, no catalog SQL) on the demo city, the hand-made town and the edge city, and the
engine's filter splitting.
"""

from __future__ import annotations

import pytest
from edge import edge_db
from reference import reference_values
from town import YEAR, town_db

from eduplan.demo.statistics import DemoSpec, generate
from eduplan.indicators import compute, connect
from eduplan.indicators import engine as engine_module
from eduplan.indicators.catalog import Part, catalog

YEARS = (2023, 2024)


@pytest.fixture(scope="module")
def demo():
    con = connect()
    generate(con, DemoSpec(years=YEARS))
    return con


def engine_values(con, year: int) -> dict[tuple, float]:
    rows = con.execute("SELECT level, unit_code, indicator_id, value FROM indicator_values "
                       "WHERE value IS NOT NULL AND year = ?", [year]).fetchall()
    return {(level, unit, item): value for level, unit, item, value in rows}


def known(values: dict) -> dict:
    return {key: value for key, value in values.items() if value is not None}


def assert_same(actual: dict, expected: dict) -> None:
    assert actual.keys() == expected.keys(), sorted(actual.keys() ^ expected.keys())[:8]
    worst = max(abs(actual[k] - expected[k]) / max(1.0, abs(expected[k])) for k in expected)
    assert worst <= 1e-9, worst


def assert_engine_is_the_reference(con, year: int) -> dict:
    expected = reference_values(con, year)
    assert_same(engine_values(con, year), known(expected))
    return expected


def test_the_reference_covers_every_catalog_indicator(demo):
    compute(demo)
    expected = reference_values(demo, 2024)
    assert {key for _, _, key in expected} == set(catalog())


@pytest.mark.parametrize("year", YEARS)
def test_engine_equals_the_reference_on_the_demo_city(demo, year):
    compute(demo)
    expected = assert_engine_is_the_reference(demo, year)
    schools = demo.execute("SELECT count(*) FROM schools WHERE year = ?", [year]).fetchone()[0]
    assert len(known(expected)) > 5 * schools  # several values for every school, not a handful
    assert {level for level, _, _ in known(expected)} == {"city", "district", "school"}


def test_engine_equals_the_reference_on_the_town():
    con = town_db()
    compute(con, [YEAR])
    assert_engine_is_the_reference(con, YEAR)


def test_engine_equals_the_reference_on_the_edge_city():
    con = edge_db()
    compute(con)
    assert_engine_is_the_reference(con, 2030)


def test_tables_joined_before_summing_give_the_same_values(demo, monkeypatch):
    """The fallback for a filter that does not split (an OR, a term on both sides)."""
    compute(demo)
    split = engine_values(demo, 2024)
    monkeypatch.setattr(engine_module, "_split", lambda part: None)
    engine_module._insert_sql.cache_clear()  # the statement is cached on the catalog alone
    compute(demo)
    joined = engine_values(demo, 2024)
    statement = engine_module.insert_sql(list(catalog().values()), "C", "2024")
    monkeypatch.undo()
    engine_module._insert_sql.cache_clear()
    assert "FROM classes JOIN schools USING (year, school_code)" in statement
    assert_same(joined, split)


def test_compute_reports_its_steps(demo):
    timings: dict[str, float] = {}
    compute(demo, [2024], timings=timings)
    assert {"old values deleted", "parts (per-school sums, districts, city), values and 差异系数 computed and inserted"} \
        <= timings.keys()
    assert all(seconds >= 0 for seconds in timings.values())


@pytest.mark.parametrize(("table", "where", "expr", "school", "row"), [
    ("classes", "level IN ('primary', 'junior') AND size >= 56", "1", "level IN ('primary', 'junior')", "size >= 56"),
    ("classes", "level = 'primary'", "1", "level = 'primary'", "TRUE"),
    ("students", "grade = 9", "enrolled", "TRUE", "grade = 9"),
    ("students", "level = 'kindergarten' AND public AND grade <= 2", "enrolled",
     "level = 'kindergarten' AND public", "grade <= 2"),
    ("students", "(level = 'junior') AND (grade = 9)", "enrolled", "(level = 'junior')", "(grade = 9)"),
    ("classes", "level = 'a AND b' AND size > 1", "1", "level = 'a AND b'", "size > 1"),
    ("classes", "\"level\" = 'primary' AND size > 45", "1", "\"level\" = 'primary'", "size > 45"),
    ("classes", "CASE WHEN size > 45 AND size < 56 THEN TRUE END AND public", "1",
     "public", "CASE WHEN size > 45 AND size < 56 THEN TRUE END"),
    # an OR inside brackets is one term (公办园和普惠性民办园): the big table is still summed alone
    ("students", "level = 'kindergarten' AND (public OR puhui)", "enrolled",
     "level = 'kindergarten' AND (public OR puhui)", "TRUE"),
])
def test_a_filter_splits_into_its_school_side_and_its_row_side(table, where, expr, school, row):
    assert engine_module._split(Part(table, expr, where)) == engine_module._Split(school, row, expr)


@pytest.mark.parametrize(("where", "expr"), [
    ("level = 'primary' OR size > 45", "1"),  # an OR: the whole filter is one term
    ("(level = 'primary' AND size > 45) OR size > 60", "1"),
    ("size BETWEEN 46 AND 55", "1"),
    ("CASE WHEN level = 'junior' THEN size > 50 ELSE size > 45 END", "1"),  # one term, both sides
    ("size > 45", "CASE WHEN level = 'primary' THEN 1 ELSE 0 END"),  # the expr needs the school
])
def test_a_filter_that_mixes_both_sides_is_not_split(where, expr):
    assert engine_module._split(Part("classes", expr, where)) is None

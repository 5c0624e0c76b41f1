"""The engine's fast SQL against a plain reference on the demo city, and its filter splitting.

The reference is deliberately naive: for every part, one GROUP BY per level straight over the
statistics rows (joined to their schools), the ratios divided in Python, the 差异系数 from the
issue's formula over the school sums. Whatever the engine does to be fast (summing the big tables
per school before the join, districts and the city from the school rows, values appended in any
order) must give these values.
"""

from __future__ import annotations

import math

import pytest

from eduplan.demo.statistics import DemoSpec, generate
from eduplan.indicators import compute, connect
from eduplan.indicators import engine as engine_module
from eduplan.indicators.catalog import Part, catalog, indicator
from eduplan.indicators.schema import city, tables

YEARS = (2023, 2024)


@pytest.fixture(scope="module")
def demo():
    con = connect()
    generate(con, DemoSpec(years=YEARS))
    return con


def engine_values(con) -> dict[tuple, float]:
    rows = con.execute("SELECT year, level, unit_code, indicator_id, value FROM indicator_values "
                       "WHERE value IS NOT NULL").fetchall()
    return {(year, level, unit, item): value for year, level, unit, item, value in rows}


def part_sums(con, part: Part) -> dict[tuple, float | None]:
    """Σ expr where the filter holds, per (year, level, unit): one plain GROUP BY per level."""
    if tables()[part.table].unit == "district":
        source, levels = part.table, {"district": "district_code"}
    else:
        source = part.table if part.table == "schools" else f"{part.table} JOIN schools USING (year, school_code)"
        levels = {"district": "district_code", "school": "school_code"}
    sums = {}
    for level, unit in {**levels, "city": None}.items():
        group = f"year, {unit}" if unit else "year"
        for year, *key, total in con.execute(
                f"SELECT {group}, SUM(CASE WHEN {part.where} THEN ({part.expr}) END) FROM {source} "
                f"GROUP BY {group}").fetchall():
            sums[(year, level, key[0] if key else city(con)[0])] = None if total is None else float(total)
    return sums


def reference_values(con) -> dict[tuple, float]:
    city_code = city(con)[0]
    districts = {(y, d) for y, d in con.execute("SELECT DISTINCT year, district_code FROM schools UNION "
                                               "SELECT DISTINCT year, district_code FROM population").fetchall()}
    units = {(y, "city", city_code) for y in YEARS} | {(y, "district", d) for y, d in districts}
    expected = {}
    for item in catalog().values():
        if item.kind == "count":
            sums = part_sums(con, item.numerator)
            for key, total in sums.items():  # a school without the counted rows has no value
                if total is not None:
                    expected[(*key, item.id)] = total
            for key in units:  # a district or the city without them has 0
                expected[(*key, item.id)] = sums.get(key) or 0.0
        elif item.kind == "ratio":
            num, den = part_sums(con, item.numerator), part_sums(con, item.denominator)
            for key, total in den.items():
                if total:
                    expected[(*key, item.id)] = item.factor * (num.get(key) or 0.0) / total
        else:
            expected.update(reference_cvs(con, item.id, indicator(item.of), city_code))
    return expected


def reference_cvs(con, cv_id: str, ratio, city_code: str) -> dict[tuple, float]:
    """X̄ = Σxᵢ/ΣPᵢ, S = √(Σ(Pᵢ/P)(Xᵢ − X̄)²), CV = S/X̄ over the schools with Pᵢ > 0 and xᵢ known."""
    x, p = part_sums(con, ratio.numerator), part_sums(con, ratio.denominator)
    district_of = dict(((y, s), d) for y, s, d in con.execute("SELECT year, school_code, district_code FROM schools")
                       .fetchall())
    groups: dict[tuple, list[tuple[float, float]]] = {}
    for (year, level, school), weight in p.items():
        if level == "school" and weight and weight > 0 and x.get((year, level, school)) is not None:
            pair = (x[(year, level, school)], weight)
            groups.setdefault((year, "district", district_of[(year, school)]), []).append(pair)
            groups.setdefault((year, "city", city_code), []).append(pair)
    result = {}
    for key, pairs in groups.items():
        total = sum(w for _, w in pairs)
        mean = sum(v for v, _ in pairs) / total
        if mean:
            spread = math.sqrt(sum(w / total * (v / w - mean) ** 2 for v, w in pairs))
            result[(*key, cv_id)] = spread / mean
    return result


def assert_same(actual: dict, expected: dict) -> None:
    assert actual.keys() == expected.keys(), sorted(actual.keys() ^ expected.keys())[:5]
    worst = max(abs(actual[k] - expected[k]) / max(1.0, abs(expected[k])) for k in expected)
    assert worst <= 1e-9, worst


def test_engine_equals_the_plain_reference_on_the_demo_city(demo):
    compute(demo)
    expected = reference_values(demo)
    schools = demo.execute("SELECT count(*) FROM schools").fetchone()[0]
    assert len(expected) > 5 * schools  # several values for every school of both years, not a handful
    assert {level for _, level, _, _ in expected} == {"city", "district", "school"}
    assert_same(engine_values(demo), expected)


def test_tables_joined_before_summing_give_the_same_values(demo, monkeypatch):
    """The fallback for a filter that does not split (an OR, a term on both sides)."""
    compute(demo)
    split = engine_values(demo)
    monkeypatch.setattr(engine_module, "_split", lambda part: None)
    engine_module._insert_sql.cache_clear()  # the statement is cached on the catalog alone
    compute(demo)
    joined = engine_values(demo)
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

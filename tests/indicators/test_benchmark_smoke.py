"""benchmarks/indicators.py's comparison, untimed and small: both pandas implementations and their 督导评估
give the engine's answers on a small demo city, the hand-made town and the edge city, so the benchmark
cannot break (a catalog expression pandas cannot read, a rule one side misses) without a failing test."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from edge import YEAR as EDGE_YEAR
from edge import edge_db
from test_split_schools import split_city
from town import YEAR as TOWN_YEAR
from town import town_db

from eduplan.demo.statistics import DemoSpec, generate
from eduplan.indicators import compute, connect
from eduplan.indicators.catalog import catalog

_PATH = Path(__file__).resolve().parents[2] / "benchmarks" / "indicators.py"


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("indicators_benchmark", _PATH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def small_demo():
    con = connect()
    generate(con, DemoSpec(years=(2024,), scale=0.1))
    compute(con, [2024])
    yield con
    con.close()


def test_the_benchmark_compares_equal_on_a_small_demo_city(bench, small_demo):
    compared, verdicts = bench.check(small_demo, 2024)
    assert compared > 1000 and verdicts > 0


def test_the_small_demo_gives_every_catalog_indicator_a_value(small_demo):
    """The benchmark times every indicator: each has a value to compare at this scale."""
    computed = {
        row[0]
        for row in small_demo.execute(
            "SELECT DISTINCT indicator_id FROM indicator_values WHERE value IS NOT NULL"
        ).fetchall()
    }
    assert computed == set(catalog())


@pytest.mark.parametrize(
    "make",
    [lambda: (town_db(), TOWN_YEAR), lambda: (edge_db(), EDGE_YEAR), lambda: (split_city(), TOWN_YEAR)],
    ids=["town", "edge", "split"],
)
def test_the_benchmark_compares_equal_on_the_hand_made_cities(bench, make):
    """Their edge cases (a county with population and no school, schools with one side of a ratio, schools
    spanning stages)."""
    con, year = make()
    compute(con, [year])
    compared, verdicts = bench.check(con, year)
    assert compared > 0 and verdicts > 0
    con.close()


def test_a_difference_is_caught(bench):
    con, year = town_db(), TOWN_YEAR
    compute(con, [year])
    con.execute("UPDATE indicator_values SET value = value + 1 WHERE indicator_id = 'kg_public_share'")
    with pytest.raises(bench.Mismatch, match="differ"):
        bench.check(con, year)
    con.close()


def test_the_schools_a_verdict_lists_are_compared_too(bench):
    """The lists agree where a kindergarten has children and no teachers row (its county no data, nothing
    listed), and a school missing from one side's list alone is caught."""
    con, year = town_db(), TOWN_YEAR
    con.execute(
        "DELETE FROM teachers WHERE school_code = (SELECT min(s.school_code) FROM schools s "
        "JOIN students USING (year, school_code) WHERE s.level = 'kindergarten')"
    )
    compute(con, [year])
    bench.check(con, year)
    answers = bench.engine_answers(con, year)
    assert ("no_data", ()) in {answer for key, answer in answers.items() if key[2] == "kg_children_per_teacher"}
    key, (status, schools) = next((k, a) for k, a in answers.items() if len(a[1]) > 1)
    with pytest.raises(bench.Mismatch, match="list its schools"):
        bench.compare_verdicts(answers, answers | {key: (status, schools[:-1])})
    con.close()

"""Every worked example of the reference data (examples.csv) scores as written, through the SQL engine."""

from __future__ import annotations

import csv
import re
from decimal import Decimal
from importlib import resources

import duckdb
import pytest

from eduplan.fitness import Result, engine, score

ITEM_GRADE_CODE = {
    "1": 11,
    "5": 15,
    "6": 16,
    "7": 21,
    "8": 22,
    "9": 23,
    "10": 31,
    "12": 33,
    "U12": 41,
    "U34": 43,
}
YEAR_TOTAL_NAMES = {
    "VC": "vital_capacity",
    "50m": "run50m",
    "SR": "sit_reach",
    "SLJ": "standing_long_jump",
    "pull-up": "pull_up",
    "1000m": "run_1000m",
}


def _examples(kind: str) -> list[dict[str, str]]:
    text = resources.files("eduplan.fitness").joinpath("data", "examples.csv").read_text(encoding="utf-8")
    rows = list(csv.DictReader(text.splitlines()))
    if kind == "item":
        return [r for r in rows if r["item"] not in ("ALL", "bmi")]
    return [r for r in rows if r["item"] == kind]


def _cents(text: str) -> int:
    return int(Decimal(text) * 100)


def _one(grade: str, sex: str, values: dict[str, int]):
    [scored] = score([Result(2, "G1", ITEM_GRADE_CODE[grade], sex, values=values)])
    return scored


@pytest.fixture(scope="module")
def item_examples_scored():
    """Every item example as one pupil of one file, scored in one pass."""
    results = [
        Result(
            n, e["case"], ITEM_GRADE_CODE[e["grade"]], e["sex"], values={e["item"]: _cents(e["raw_value"])}
        )
        for n, e in enumerate(_examples("item"), start=2)
    ]
    return {s.result.student_id: s for s in score(results)}


@pytest.mark.parametrize("example", _examples("item"), ids=lambda e: e["case"])
def test_item_example(example, item_examples_scored):
    scored = item_examples_scored[example["case"]]
    assert scored.items[example["item"]] == int(example["expected_item_score"])
    assert scored.bonus == int(example["expected_bonus"])


@pytest.mark.parametrize("example", _examples("bmi"), ids=lambda e: e["case"])
def test_bmi_example(example):
    height, weight = re.fullmatch(r"([\d.]+)cm/([\d.]+)kg", example["raw_value"]).groups()
    scored = _one(example["grade"], example["sex"], {"height": _cents(height), "weight": _cents(weight)})
    assert scored.items["bmi"] == int(example["expected_item_score"])
    assert Decimal(scored.bmi10) / 10 == Decimal(example["raw_display"].removeprefix("BMI "))


def test_year_total_example():
    [example] = [e for e in _examples("ALL") if e["case"].startswith("year total")]
    values = {}
    for part in example["raw_value"].split("; "):
        name, value = part.split(" ")
        if name == "BMI":  # a height of 1 m makes BMI equal the weight
            values.update(height=10000, weight=_cents(value))
        elif name == "1000m":
            minutes, seconds = re.fullmatch(r"(\d)'(\d\d)\"", value).groups()
            values["run_1000m"] = (int(minutes) * 60 + int(seconds)) * 100
        else:
            values[YEAR_TOTAL_NAMES[name]] = _cents(value)
    scored = _one(example["grade"], example["sex"], values)
    assert scored.total == Decimal(example["expected_item_score"])
    assert scored.bonus == int(example["expected_bonus"])
    assert scored.band == "良好" and scored.complete


def test_graduation_example():
    [example] = [e for e in _examples("ALL") if e["case"] == "graduation"]
    final, earlier = re.fullmatch(r"final year ([\d.]+); earlier years (.+)", example["raw_value"]).groups()
    con = duckdb.connect()
    con.execute("CREATE TABLE years (student_id VARCHAR, total10 BIGINT, final BOOLEAN)")
    con.execute("INSERT INTO years VALUES ('G1', ?, true)", [int(Decimal(final) * 10)])
    for total in earlier.split(", "):
        con.execute("INSERT INTO years VALUES ('G1', ?, false)", [int(Decimal(total) * 10)])
    assert engine.graduation(con, "years") == [("G1", int(Decimal(example["expected_item_score"]) * 10))]


def test_graduation_rounds_half_up_and_stands_alone_without_other_years():
    con = duckdb.connect()
    con.execute("CREATE TABLE years (student_id VARCHAR, total10 BIGINT, final BOOLEAN)")
    con.execute(
        "INSERT INTO years VALUES ('A', 851, true), ('A', 800, false), ('A', 800, false), ('B', 777, true)"
    )
    # A: 85.1 × 0.5 + 80.0 × 0.5 = 82.55 → 82.6
    assert engine.graduation(con, "years") == [("A", 826), ("B", 777)]


def test_exempt_pupil_has_no_scores_and_the_band_mianche():
    [scored] = score([Result(2, "X", 21, "F", exempt=True)])
    assert scored.band == "免测" and scored.total is None and set(scored.items.values()) == {None}


def test_missing_item_scores_zero_and_marks_the_pupil_incomplete():
    values = {
        "height": 16000,
        "weight": 5000,
        "vital_capacity": 300000,
        "run50m": 900,
        "sit_reach": 1500,
        "standing_long_jump": 18000,
        "sit_up": 4000,
    }  # no 800米
    [scored] = score([Result(2, "X", 21, "F", values=values)])
    assert scored.items["run_800m"] is None and not scored.complete


def test_the_engine_refuses_values_off_the_entry_precision_and_range_with_row_and_reason():
    from eduplan.fitness import FitnessError

    with pytest.raises(FitnessError) as caught:
        score(
            [
                Result(7, "X", 21, "M", values={"vital_capacity": 300050, "run50m": 20}),
                Result(8, "Y", 21, "M", values={"run_1000m": 24550}),
            ]
        )
    assert [str(p) for p in caught.value.problems] == [
        "第 7 行【50米跑】50米跑 0.2 超出合理范围（5–30）",
        "第 7 行【肺活量】肺活量 3000.5 应为整数",
        "第 8 行【1000米跑】1000米跑 245.5 应为整秒",
    ]

"""The SQL engine agrees with a plain per-pupil scorer written from the standard's text, on generated pupils
whose values sit on, beside and between the tables' thresholds, every item score and total."""

from __future__ import annotations

import random
from decimal import Decimal

import pytest
from fitness_reference import ReferenceScorer

from eduplan.fitness import Result, score, standard

PUPILS = 100_000


def generate(n: int, seed: int) -> list[Result]:
    """Pupils of every grade and sex; each value a table threshold nudged by -2..+2 steps of the table's
    precision, or anywhere in the plausible range; some exempt, some with a missing item."""
    rng = random.Random(seed)
    reference = ReferenceScorer()
    codes = sorted(standard.grades())
    bounds = {k: (i.low, i.high) for k, i in standard.items().items()}
    results = []
    for row in range(2, n + 2):
        code, sex = rng.choice(codes), rng.choice("MF")
        if rng.random() < 0.01:
            results.append(Result(row, f"P{row}", code, sex, exempt=True))
            continue
        tgrade = reference.grade[code][0]
        values = {"height": rng.randint(10000, 20000), "weight": rng.randint(1500, 9000)}
        for item in standard.items_for(code, sex):
            if item == "bmi":
                continue
            table = reference.tables[(item, tgrade, sex)]
            step = standard.items()[item].step
            if rng.random() < 0.8:
                value = rng.choice(table.thresholds) + step * rng.randint(-2, 2)
            else:
                value = rng.randint(*bounds[item]) // step * step
            values[item] = min(max(value, bounds[item][0]), bounds[item][1])
        if rng.random() < 0.01:
            values.pop(rng.choice(list(values)))
        results.append(Result(row, f"P{row}", code, sex, values=values))
    return results


def _compare(results: list[Result]) -> None:
    reference = ReferenceScorer()
    mismatches = []
    for scored in score(results):
        r = scored.result
        expected = reference.score(r.grade_code, r.sex, r.values, r.exempt)
        if expected is None:
            got = (scored.band, scored.total)
            if got != ("免测", None):
                mismatches.append((r, got))
            continue
        items = {k: v for k, v in scored.items.items() if v is not None}
        got = (items, scored.standard_score, scored.bonus, scored.total, scored.band)
        want = (
            expected["items"],
            expected["standard"],
            expected["bonus"],
            expected["total"],
            expected["band"],
        )
        if got != want:
            mismatches.append((r, got, want))
    assert mismatches == [], f"{len(mismatches)} pupils differ, first: {mismatches[:3]}"


def test_engine_agrees_with_the_reference_on_2000_pupils():
    _compare(generate(2_000, seed=1))


@pytest.mark.slow
def test_engine_agrees_with_the_reference_on_100000_pupils():
    _compare(generate(PUPILS, seed=2014))


def test_totals_reach_every_band_in_the_generated_pupils():
    bands = {s.band for s in score(generate(2_000, seed=3))}
    assert bands == {"优秀", "良好", "及格", "不及格", "免测"}


def test_rounding_of_the_standard_score_is_half_up():
    # 小学三年级男: 15%·BMI + 15%·肺活量 + 20%·50米 + 20%·坐位体前屈 + 20%·跳绳 + 10%·仰卧起坐
    reference = ReferenceScorer()
    values = {
        "height": 13000,
        "weight": 2800,
        "vital_capacity": 120000,
        "run50m": 1010,
        "sit_reach": 1000,
        "rope_skip_1min": 10000,
        "sit_up": 3000,
    }
    [scored] = score([Result(2, "R", 13, "M", values=values)])
    assert scored.standard_score == reference.score(13, "M", values)["standard"]
    assert isinstance(scored.standard_score, Decimal)

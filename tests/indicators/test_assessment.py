"""The two 督导评估 on the hand-made town (town.py), each criterion's verdict worked out here, and on the
edge city (edge.py): a county with a hole in its data is never passed."""

from __future__ import annotations

import pytest
from edge import YEAR as EDGE_YEAR
from edge import edge_db
from town import YEAR, town_db

from eduplan.indicators import compute
from eduplan.indicators.assessment import FAIL, NO_DATA, PASS, assess, assessments


@pytest.fixture(scope="module")
def town():
    con = town_db()
    compute(con, [YEAR])
    return {a: {c.code: c for c in assess(con, a, YEAR)} for a in assessments()}


def verdict(town, assessment: str, district: str, criterion: str):
    return next(v for v in town[assessment][district].verdicts if v.criterion.id == criterion)


# (assessment, district, criterion, status, the schools listed)
EXPECTED = [
    # P1: 5 / 1 / 1 per 100, 5 / 8 ㎡, 2000 元 meet; 2 multimedia rooms per 100 < 2.3 but ≥ 85 % (1.955): 6 of 7
    ("quality", "D1", "primary_six_of_seven", PASS, []),
    # P2: only 骨干 1.0, 体艺 1.5, 2500 元 meet (3 of 7); P3: 3 per 100 above-degree < 85 % of 4.2 (3.57)
    ("quality", "D2", "primary_six_of_seven", FAIL, ["P2", "P3"]),
    ("quality", "D1", "junior_six_of_seven", PASS, []),  # J1 meets all 7
    ("quality", "D2", "junior_six_of_seven", FAIL, ["J2"]),  # J2: 4.21 above-degree per 100 < 4.505
    ("quality", "D1", "primary_backbone_per100_cv", PASS, []),  # one school: 0
    # D2 骨干: 2 per 200, 0 per 100: X̄ = 2/300, CV = √(⅔·(1/100 − 1/150)² + ⅓·(1/150)²)/(1/150) = 0.707
    ("quality", "D2", "primary_backbone_per100_cv", FAIL, []),
    ("quality", "D2", "junior_backbone_per100_cv", PASS, []),
    ("quality", "D2", "school_size", PASS, []),
    ("quality", "D1", "primary_class_over_standard_share", FAIL, ["P1"]),  # 50, 50 > 45
    ("quality", "D2", "primary_class_over_standard_share", FAIL, ["P2", "P3"]),
    ("quality", "D1", "junior_class_over_standard_share", PASS, []),  # 48, 48, 47, 47
    ("quality", "D2", "junior_class_over_standard_share", FAIL, ["J2"]),  # 55
    ("quality", "D1", "compulsory_big_class_share", PASS, []),
    (
        "quality",
        "D2",
        "compulsory_big_class_share",
        FAIL,
        ["P2", "P3"],
    ),  # 56, 56, 70 of 8 classes: 37.5 % > 5 %
    ("quality", "D1", "teacher_exchange_share", PASS, []),  # 3 of 12
    ("quality", "D2", "backbone_exchange_share", FAIL, []),  # 0 of 1
    ("quality", "D2", "migrant_public_share", FAIL, []),  # 30 of 120
    ("quality", "D1", "junior_retention_rate", PASS, []),  # 190 of 200: 95 %
    ("quality", "D1", "disabled_enrolment_rate", FAIL, []),  # 2 of 4
    ("quality", "D2", "disabled_enrolment_rate", PASS, []),
    ("preschool", "D1", "kg_gross_enrolment", PASS, []),  # 100 of 100
    ("preschool", "D2", "kg_gross_enrolment", FAIL, []),  # 100 of 150
    ("preschool", "D1", "kg_puhui_share", PASS, []),  # 公办 K1 + 普惠 K2
    ("preschool", "D2", "kg_puhui_share", FAIL, []),
    ("preschool", "D1", "kg_public_share", PASS, []),  # 60 %
    ("preschool", "D1", "kg_class_size_share", FAIL, ["K1"]),  # K1's 小班 of 30 > 25: 2 of 4 classes within
    ("preschool", "D2", "kg_class_size_share", PASS, []),
    ("preschool", "D1", "kg_children_per_teacher", PASS, []),  # 100 / 8
    ("preschool", "D2", "kg_children_per_teacher", FAIL, ["K3"]),  # 100 / 6 = 16.7 > 15
]


@pytest.mark.parametrize(
    ("assessment", "district", "criterion", "status", "schools"),
    EXPECTED,
    ids=[f"{a}:{d}:{c}" for a, d, c, _, _ in EXPECTED],
)
def test_each_criterion_on_the_town(town, assessment, district, criterion, status, schools):
    judged = verdict(town, assessment, district, criterion)
    assert judged.status == status
    assert [s["code"] for s in judged.schools] == schools


def test_a_county_passes_only_when_every_criterion_does(town):
    assert town["quality"]["D1"].passed is False and town["preschool"]["D2"].passed is False
    assert verdict(town, "quality", "D2", "primary_six_of_seven").shown == "0 / 2 所达到"


def test_what_the_data_cannot_judge_is_listed():
    quality, preschool = assessments()["quality"], assessments()["preschool"]
    assert any("社会认可度" in line for line in quality.cannot_judge)
    assert any("持证上岗" in line for line in preschool.cannot_judge)


def test_a_county_with_a_hole_is_never_passed():
    con = edge_db()
    compute(con)
    county = {c.code: c for c in assess(con, "quality", EDGE_YEAR)}["A"]
    six = next(v for v in county.verdicts if v.criterion.id == "primary_six_of_seven")
    assert six.status == NO_DATA and "1所学校缺少数据" in six.reason
    assert [s["code"] for s in six.schools if s["detail"] == "缺数据，不能判定"] == ["PA3"]
    retention = next(v for v in county.verdicts if v.criterion.id == "junior_retention_rate")
    assert retention.status == NO_DATA and "1所学校" in retention.reason
    assert county.passed is not True


def test_each_listed_school_shows_its_own_value_as_the_indicator_is_shown(town):
    """The failing schools are listed per county in code order, each with its value in the indicator's unit."""
    details = {
        ("preschool", "D1", "kg_class_size_share"): [("K1", "0.00%")],
        ("preschool", "D2", "kg_children_per_teacher"): [("K3", "16.67 人/师")],
        ("quality", "D2", "primary_class_over_standard_share"): [("P2", "50.00%"), ("P3", "50.00%")],
        ("quality", "D2", "primary_six_of_seven"): [("P2", "3项达标"), ("P3", "2项达标，5项低于标准的85%")],
    }
    for (assessment, district, criterion), expected in details.items():
        judged = verdict(town, assessment, district, criterion)
        assert [(s["code"], s["detail"]) for s in judged.schools] == expected
    assert verdict(town, "preschool", "D2", "kg_children_per_teacher").shown == "16.67 人/师"
    assert verdict(town, "quality", "D2", "primary_backbone_per100_cv").shown == "0.707"


def test_inside_an_open_transaction_the_verdicts_read_what_it_wrote():
    """An import that assesses before it commits must see its own values, not the ones committed before."""
    con = town_db()
    compute(con, [YEAR])
    committed = {c.code: [v.status for v in c.verdicts] for c in assess(con, "quality", YEAR)}
    con.execute("BEGIN TRANSACTION")
    con.execute("DELETE FROM indicator_values")
    uncommitted = assess(con, "quality", YEAR)
    con.execute("ROLLBACK")
    assert any(status != NO_DATA for statuses in committed.values() for status in statuses)
    from_values = [v for county in uncommitted for v in county.verdicts if v.criterion.kind != "school_size"]
    assert from_values and all(v.status == NO_DATA for v in from_values)
    assert {c.code: [v.status for v in c.verdicts] for c in assess(con, "quality", YEAR)} == committed

"""Every catalog indicator computed on the hand-made town (conftest.py), the answers worked out here.

Town: city C; district D1 = K1 K2 P1 J1, district D2 = K3 P2 P3 J2 S1.
"""

from __future__ import annotations

import math

import pytest
from town import FITNESS, YEAR, load, town_db

from eduplan.indicators import compute, values
from eduplan.indicators.catalog import catalog
from eduplan.indicators.engine import trace

# (indicator, org unit, expected value) — the arithmetic in the comment
EXPECTED = [
    # kindergarten pupils: K1 60 (public, not flagged 普惠), K2 40 (private 普惠), K3 100 (private) = 200
    ("kg_public_share", "C", 100 * 60 / 200),  # 30 %
    ("kg_public_share", "D1", 100 * 60 / 100),  # D1: K1 60 of K1+K2 100
    ("kg_puhui_share", "C", 100 * 100 / 200),  # 公办 K1 + 普惠民办 K2 = 100 of 200 (the flag alone: 40)
    ("kg_puhui_share", "K1", 100.0),  # a public kindergarten is 普惠 whatever its flag
    # kindergarten classes within 小班 25 / 中班 30 / 大班 35 (all grade 1 here): K1 30, 30 no; K2 20, 20; K3 4 × 25
    ("kg_class_size_share", "C", 100 * 6 / 8),
    ("kg_children_per_teacher", "C", 200 / (5 + 3 + 6)),
    ("kg_gross_enrolment", "C", 100 * 200 / 250),  # 3-5 population D1 100 + D2 150
    ("kg_gross_enrolment", "D2", 100 * 100 / 150),  # K3 100 of 150
    ("kg_count", "C", 3),
    ("kg_count", "D2", 1),
    ("kg_public_count", "C", 1),  # K1
    ("kg_public_places", "C", 60),
    ("primary_gross_enrolment", "C", 100 * 400 / 400),  # P1 100 + P2 200 + P3 100 of 120 + 280
    ("junior_gross_enrolment", "C", 100 * 285 / 300),  # J1 190 + J2 95 of 200 + 100
    ("retention_rate", "C", 100 * 285 / 310),  # 九年: grade 9 190 + 95 of their grade-1 cohorts 210 + 100
    ("retention_rate", "J1", 100 * 190 / 210),
    ("junior_retention_rate", "C", 100 * 285 / 300),  # 初中三年: of their grade-7 cohorts 200 + 100
    ("junior_retention_rate", "J1", 100 * 190 / 200),
    # compulsory classes: P1 2 + P2 4 + P3 2 + J1 4 + J2 2 = 14; ≥56: P2 56, 56 and P3 70 = 3
    ("compulsory_big_class_share", "C", 100 * 3 / 14),
    ("compulsory_big_class_share", "D1", 0.0),  # P1 50, 50; J1 48, 48, 47, 47
    ("compulsory_super_big_class_share", "C", 100 * 1 / 14),  # only P3's 70 is ≥66
    ("primary_class_over_standard_share", "C", 100 * 5 / 8),  # >45: P1 50, 50; P2 56, 56; P3 70
    ("junior_class_over_standard_share", "C", 100 * 1 / 6),  # >50: J2's 55
    ("senior_big_class_share", "C", 100.0),  # S1: five classes of 60
    # migrant children in compulsory schools: P1 20, P2 30, P3 50, J1 10, J2 40 = 150; public P1 P2 J1 = 60
    ("migrant_public_share", "C", 100 * 60 / 150),
    # disabled (随班就读 + 送教上门): P1 1, P2 2+1, J1 1 = 5 of disabled population 4 + 2
    ("disabled_enrolment_rate", "C", 100 * 5 / 6),
    ("disabled_enrolment_rate", "D1", 100 * 2 / 4),  # P1 1 + J1 1
    ("compulsory_school_count", "C", 5),
    ("senior_students", "C", 300),
    ("senior_gross_enrolment", "C", 100 * 300 / 500),  # 15-17: 300 + 200
    # compulsory exchanged 1 + 0 + 0 + 2 + 1 = 4 of eligible 2 + 4 + 0 + 10 + 4 = 20; backbone 1 of 4
    ("teacher_exchange_share", "C", 100 * 4 / 20),
    ("backbone_exchange_share", "C", 100 * 1 / 4),
    ("psych_teacher_coverage", "C", 100 * 5 / 6),  # 专职 P1 P3 J1 S1, 兼职 P2, of the six non-kindergartens
    ("psych_teacher_coverage", "P2", 100.0),
    ("psych_teacher_coverage", "J2", 0.0),
    ("primary_student_teacher_ratio", "C", 400 / 23),  # teachers 6 + 12 + 5
    ("junior_student_teacher_ratio", "C", 285 / 24),  # teachers 16 + 8
    ("senior_student_teacher_ratio", "C", 300 / 25),  # S1
    ("health_staff_coverage", "C", 100 * 4 / 6),  # P1 (doctor), P3 (teacher), J1, S1
    # 600:1 — pupils 400 + 285 + 300 per professional (P1 1, J1 1, S1 2)
    ("health_professional_ratio", "C", 985 / 4),
    ("multimedia_classroom_share", "C", 100 * 20 / 23),  # rooms 2+4+1+5+2+6 of classrooms 2+5+2+5+3+6
    # 优质均衡 resources, primary (P = 100 + 200 + 100 = 400)
    ("primary_above_degree_per100", "C", 100 * (5 + 8 + 3) / 400),  # 4.0
    ("primary_backbone_per100", "C", 100 * (1 + 2 + 0) / 400),
    ("primary_pe_art_per100", "C", 100 * (1 + 3 + 1) / 400),
    ("primary_teaching_area_per_student", "C", (500 + 800 + 500) / 400),  # 4.5
    ("primary_sports_area_per_student", "C", (800 + 1400 + 600) / 400),
    ("primary_equipment_per_student", "C", (200000 + 500000 + 100000) / 400),
    ("primary_multimedia_per100", "C", 100 * (2 + 4 + 1) / 400),
    ("primary_teaching_area_per_student", "P2", 800 / 200),
    # junior (P = 190 + 95 = 285)
    ("junior_above_degree_per100", "C", 100 * (12 + 4) / 285),
    ("junior_backbone_per100", "C", 100 * (2 + 1) / 285),
    ("junior_pe_art_per100", "C", 100 * (3 + 1) / 285),
    ("junior_teaching_area_per_student", "C", (1200 + 500) / 285),
    ("junior_sports_area_per_student", "C", (2000 + 900) / 285),
    ("junior_equipment_per_student", "C", (600000 + 200000) / 285),
    ("junior_multimedia_per100", "C", 100 * (5 + 2) / 285),
    # 校际差异系数, worked fully for two:
    # teaching area per pupil: X = P1 5.0, P2 4.0, P3 5.0; weights 1/4, 1/2, 1/4; X̄ = 1800/400 = 4.5;
    # S² = ¼·0.25 + ½·0.25 + ¼·0.25 = 0.25, S = 0.5, CV = 0.5 / 4.5
    ("primary_teaching_area_per_student_cv", "C", 0.5 / 4.5),
    # above-degree teachers per pupil: X = 0.05, 0.04, 0.03, X̄ = 0.04; S² = ¼·1e-4 + 0 + ¼·1e-4 = 0.5e-4
    ("primary_above_degree_per100_cv", "C", math.sqrt(0.5e-4) / 0.04),
    # D2 has P2 and P3 only: X = 4.0 (P 200), 5.0 (P 100); X̄ = 1300/300; S² = ⅔(4 − 13/3)² + ⅓(5 − 13/3)²
    ("primary_teaching_area_per_student_cv", "D2",
     math.sqrt(2 / 3 * (4 - 13 / 3) ** 2 + 1 / 3 * (5 - 13 / 3) ** 2) / (13 / 3)),
]


def weighted_cv(pairs: list[tuple[float, float]]) -> float:
    """The issue's formula, two-pass and literal: pairs of (xᵢ, Pᵢ)."""
    total = sum(p for _, p in pairs)
    mean = sum(x for x, _ in pairs) / total
    variance = sum(p / total * (x / p - mean) ** 2 for x, p in pairs)
    return math.sqrt(variance) / mean


# the other twelve CVs from the same formula; (xᵢ, Pᵢ) read off conftest's rows
PRIMARY_P, JUNIOR_P = (100, 200, 100), (190, 95)
CV_INPUTS = {
    "primary_backbone_per100": (1, 2, 0),
    "primary_pe_art_per100": (1, 3, 1),
    "primary_sports_area_per_student": (800, 1400, 600),
    "primary_equipment_per_student": (200000, 500000, 100000),
    "primary_multimedia_per100": (2, 4, 1),
    "junior_above_degree_per100": (12, 4),
    "junior_backbone_per100": (2, 1),
    "junior_pe_art_per100": (3, 1),
    "junior_teaching_area_per_student": (1200, 500),
    "junior_sports_area_per_student": (2000, 900),
    "junior_equipment_per_student": (600000, 200000),
    "junior_multimedia_per100": (5, 2),
}
EXPECTED += [
    (f"{ratio}_cv", "C", weighted_cv(list(zip(xs, PRIMARY_P if ratio.startswith("primary") else JUNIOR_P, strict=True))))
    for ratio, xs in CV_INPUTS.items()
]
# the worst 差异系数 of a county: D1 has one primary school (every cv 0), D2 has P2 and P3 (P 200, 100)
D2_PRIMARY = {"primary_above_degree_per100": (8, 3), "primary_teaching_area_per_student": (800, 500),
              **{k: v[1:] for k, v in CV_INPUTS.items() if k.startswith("primary")}}
D2_WORST = max(weighted_cv(list(zip(xs, (200, 100), strict=True))) for xs in D2_PRIMARY.values())
EXPECTED += [
    ("primary_cv_worst", "D2", D2_WORST),
    ("primary_cv_worst", "D1", 0.0),
    ("primary_cv_worst", "C", D2_WORST),  # the city's is its worst county's, not the city-wide cv
    ("junior_cv_worst", "C", 0.0),  # one junior school per district
]

# 学生体质健康 (town.FITNESS): tested P1 50 + 50, J1 90 (D1 190), S1 300 (D2) = 490
EXPECTED += [
    ("fitness_good_rate", "C", 100 * (20 + 30 + 36 + 150) / 490),  # excellent + good
    ("fitness_good_rate", "D1", 100 * (20 + 30 + 36) / 190),
    ("fitness_pass_rate", "C", 100 * (45 + 45 + 81 + 270) / 490),  # + passed
    ("fitness_excellent_rate", "J1", 100 * 9 / 90),
    ("fitness_obesity_rate", "C", 100 * (4 + 2 + 9 + 15) / 490),  # of bmi_measured
    ("fitness_obesity_rate", "D2", 100 * 15 / 300),
]


@pytest.fixture(scope="module")
def computed():
    con = town_db()
    load(con, {"fitness": FITNESS})
    compute(con, [YEAR])
    return {(v["indicator_id"], v["unit_code"]): v["value"] for v in values(con, YEAR)}


@pytest.mark.parametrize(("indicator_id", "unit", "expected"), EXPECTED, ids=[f"{i}@{u}" for i, u, _ in EXPECTED])
def test_indicator_value(computed, indicator_id, unit, expected):
    assert computed[(indicator_id, unit)] == pytest.approx(expected, rel=1e-9, abs=1e-12)


def test_every_catalog_indicator_has_a_fixture():
    assert {i for i, _, _ in EXPECTED} == set(catalog())


def test_catalog_is_big_enough_and_documented():
    items = list(catalog().values())
    assert len(items) >= 30
    for item in items:
        assert item.name and item.aliases and item.unit is not None
        if item.threshold:
            assert item.source and item.source.startswith("《")


def test_cv_and_population_ratios_are_not_computed_for_schools(computed):
    assert ("primary_teaching_area_per_student_cv", "P1") not in computed
    assert ("kg_gross_enrolment", "K1") not in computed


def test_a_count_lists_only_the_schools_it_counts(computed):
    """A kindergarten has no senior students to count: no row, so the indicator's school list leaves it out;
    a district or city with none counts 0."""
    assert computed[("kg_count", "K1")] == 1 and ("kg_count", "P1") not in computed
    assert ("kg_public_count", "K2") not in computed and computed[("kg_public_count", "D2")] == 0


def test_ratio_aggregates_sums_not_average_of_school_ratios(computed):
    # school ratios 5.0, 4.0, 5.0 average to 4.667; the city value is Σarea / Σpupils = 4.5
    assert computed[("primary_teaching_area_per_student", "C")] == pytest.approx(4.5)


def test_trace_returns_the_contributing_rows(town):
    compute(town, [YEAR])
    rows = trace(town, "kg_public_share", "C", YEAR)
    numerator = [r for r in rows if r["role"] == "numerator"]
    denominator = [r for r in rows if r["role"] == "denominator"]
    assert [r["school_code"] for r in numerator] == ["K1"]
    assert sorted(r["school_code"] for r in denominator) == ["K1", "K2", "K3"]
    assert sum(r["contribution"] for r in denominator) == 200


def test_trace_of_a_cv_lists_its_schools(town):
    rows = trace(town, "primary_teaching_area_per_student_cv", "D2", YEAR)
    assert [(r["school_code"], r["ratio"]) for r in rows] == [("P2", 4.0), ("P3", 5.0)]


def test_weighted_and_unweighted_cv_disagree_on_pass_or_fail(town):
    """One big school and two tiny outliers: the weighted CV passes 0.50, the unweighted one fails.

    District D3: BIG 1000 pupils, 4.5 m² each; A 10 pupils, 1.0 m²; B 10 pupils, 9.0 m².
    Weighted: X̄ = (4500 + 10 + 90) / 1020 = 4.5098;
      S² = (1000/1020)(4.5 − 4.5098)² + (10/1020)(1 − 4.5098)² + (10/1020)(9 − 4.5098)²
         = 0.0000942 + 0.120772 + 0.197665 = 0.318531; S = 0.56439; CV = 0.1251 ≤ 0.50 → pass.
    Unweighted (the known bug): mean of 4.5, 1.0, 9.0 = 4.8333; population variance
      (0.1111 + 14.6944 + 17.3611) / 3 = 10.7222; SD = 3.2745; CV = 0.6775 > 0.50 → fail.
    """
    from town import load

    town.execute("INSERT INTO org_units VALUES ('D3', '三区', 'district', 'C')")
    load(town, {
        "schools": [("BIG", "大校", "D3", "primary", True, None, False),
                    ("A", "甲校", "D3", "primary", True, None, False),
                    ("B", "乙校", "D3", "primary", True, None, False)],
        "students": [("BIG", 1, 1000, 0, 0, 0, None), ("A", 1, 10, 0, 0, 0, None), ("B", 1, 10, 0, 0, 0, None)],
        "facilities": [("BIG", 4500, 0, 0, 1, 1), ("A", 10, 0, 0, 1, 1), ("B", 90, 0, 0, 1, 1)],
    })
    compute(town, [YEAR])
    value = values(town, YEAR, indicator_id="primary_teaching_area_per_student_cv", unit_code="D3")[0]["value"]
    assert value == pytest.approx(0.12515, abs=1e-4)
    threshold = catalog()["primary_teaching_area_per_student_cv"].threshold.value
    unweighted = 3.2745 / 4.8333
    assert value <= threshold < unweighted


def test_overview_for_the_pages(town):
    from eduplan.indicators import indicator_overview

    compute(town, [YEAR])
    page = indicator_overview(town, "primary_teaching_area_per_student", YEAR)
    assert page["city"]["value"] == pytest.approx(4.5) and page["city"]["meets_standard"] is True  # ≥ 4.5
    assert [d["code"] for d in page["districts"]] == ["D1", "D2"]
    # worst first for a higher-is-better indicator: P2 4.0, then P1 and P3 5.0
    assert [s["code"] for s in page["schools"]][0] == "P2"
    assert page["schools"][0]["meets_standard"] is False and page["schools"][0]["district"] == "D2"
    assert page["trend"]["C"] == {YEAR: pytest.approx(4.5)}


def test_org_unit_hierarchy(town):
    from eduplan.indicators.schema import hierarchy

    tree = hierarchy(town, YEAR)
    assert (tree["code"], tree["level"]) == ("C", "city")
    assert [d["code"] for d in tree["children"]] == ["D1", "D2"]
    assert [s["code"] for s in tree["children"][0]["children"]] == ["J1", "K1", "K2", "P1"]


def test_a_school_is_judged_only_where_the_standard_is_set_for_a_school(town):
    """公办园占比 is the county's standard: no private kindergarten is marked ✗ against it; a per-school
    resource standard (生均教学及辅助用房) is judged for each school."""
    from eduplan.indicators import indicator_overview

    compute(town, [YEAR])
    public = indicator_overview(town, "kg_public_share", YEAR)
    assert {s["code"]: s["meets_standard"] for s in public["schools"]} == {"K1": None, "K2": None, "K3": None}
    assert public["districts"][0]["meets_standard"] is True  # D1: 60 % ≥ 50 %
    area = indicator_overview(town, "primary_teaching_area_per_student", YEAR)
    assert {s["code"]: s["meets_standard"] for s in area["schools"]} == {"P1": True, "P2": False, "P3": True}

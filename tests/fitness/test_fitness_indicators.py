"""Fitness results stored per school become catalog indicators for the school, its district and the city,
recomputed here by plain counting from the reference scorer's bands; plan targets link to them and are judged."""

from __future__ import annotations

from datetime import date

import pytest
from fitness_reference import ReferenceScorer
from test_fitness_engine_reference import generate

from eduplan.fitness import FitnessError, score
from eduplan.fitness.store import INDICATORS, pupils, replace_school_year
from eduplan.indicators import engine
from eduplan.indicators.schema import connect, register_city
from eduplan.indicators.targets import confident_link, judge, link_target
from eduplan.reader.model import Target

YEAR = 2024
SCHOOLS = {"P1": "D1", "J1": "D1", "S2": "D2"}  # school → district
GRADES = {"P1": (11, 12, 13, 14, 15, 16), "J1": (21, 22, 23), "S2": (31, 32, 33)}


def _city():
    con = connect()
    register_city(con, "C", "样例市", [("D1", "一区"), ("D2", "二区")])
    for code, district in SCHOOLS.items():
        level = {"P": "primary", "J": "junior", "S": "senior"}[code[0]]
        con.execute(
            "INSERT INTO schools (year, school_code, name, district_code, level, public) VALUES (?, ?, ?, ?, ?, true)",
            [YEAR, code, f"学校{code}", district, level],
        )
    return con


def _pupils_of(school: str, seed: int):
    results = [r for r in generate(1500, seed) if r.grade_code in GRADES[school]]
    for r in results:
        r.school_code = school
    return results


@pytest.fixture(scope="module")
def stored():
    con = _city()
    by_school = {}
    for n, school in enumerate(SCHOOLS):
        results = _pupils_of(school, seed=n)
        replace_school_year(con, YEAR, school, score(results))
        by_school[school] = results
    yield con, by_school
    con.close()


def _plain_rates(results) -> dict[str, float]:
    """优良率, 合格率, 优秀率 over pupils with a 学年总分; 肥胖率 over pupils with a BMI: counted one by one."""
    reference = ReferenceScorer()
    tested = good = passed = excellent = measured = obese = 0
    for r in results:
        if r.exempt:
            continue
        band = reference.score(r.grade_code, r.sex, r.values)["band"]
        tested += 1
        excellent += band == "优秀"
        good += band in ("优秀", "良好")
        passed += band in ("优秀", "良好", "及格")
        if "height" in r.values and "weight" in r.values:
            measured += 1
            tgrade = reference.grade[r.grade_code][0]
            bmi10 = reference.bmi_score(tgrade, r.sex, r.values["height"], r.values["weight"])[1]
            obese += _is_obese(reference, tgrade, r.sex, bmi10)
    return {
        "fitness_good_rate": 100 * good / tested,
        "fitness_pass_rate": 100 * passed / tested,
        "fitness_excellent_rate": 100 * excellent / tested,
        "fitness_obesity_rate": 100 * obese / measured,
    }


def _is_obese(reference, tgrade, sex, bmi10) -> bool:
    from fitness_reference import _read

    [band] = [
        r for r in _read("bmi.csv") if r["grade"] == tgrade and r["sex"] == sex and r["category_zh"] == "肥胖"
    ]
    return bmi10 >= int(float(band["bmi_min"]) * 10 + 0.5)


def test_rates_for_every_school_district_and_the_city_match_plain_counting(stored):
    con, by_school = stored
    units = {("school", s): rs for s, rs in by_school.items()}
    units[("district", "D1")] = by_school["P1"] + by_school["J1"]
    units[("district", "D2")] = by_school["S2"]
    units[("city", "C")] = [r for rs in by_school.values() for r in rs]
    got = {
        (v["level"], v["unit_code"], v["indicator_id"]): v["value"]
        for v in engine.values(con, YEAR)
        if v["indicator_id"] in INDICATORS
    }
    for (level, code), results in units.items():
        for indicator_id, expected in _plain_rates(results).items():
            assert got[(level, code, indicator_id)] == pytest.approx(expected, rel=1e-12), (
                level,
                code,
                indicator_id,
            )


def test_a_reimport_replaces_the_schools_year_and_the_upload_file_round_trips(stored, tmp_path):
    con, by_school = stored
    before = {r.student_id: r.values for r in pupils(con, YEAR, "J1")}
    assert before == {r.student_id: r.values for r in by_school["J1"]}
    replace_school_year(con, YEAR, "J1", score(by_school["J1"]))
    assert len(pupils(con, YEAR, "J1")) == len(by_school["J1"])
    assert con.execute("SELECT sum(tested + exempt) FROM fitness WHERE school_code = 'J1'").fetchone()[
        0
    ] == len(by_school["J1"])


def test_an_unknown_school_is_refused_and_nothing_is_stored(stored):
    con, by_school = stored
    count = con.execute("SELECT count(*) FROM fitness_pupils").fetchone()[0]
    with pytest.raises(FitnessError, match="学校标识码 X9 不在 2024 学年的学校名单中"):
        replace_school_year(con, YEAR, "X9", score(by_school["J1"]))
    assert con.execute("SELECT count(*) FROM fitness_pupils").fetchone()[0] == count


@pytest.mark.parametrize(
    "text,indicator_id",
    [
        ("学生体质健康优良率", "fitness_good_rate"),
        ("学生体质健康合格率", "fitness_pass_rate"),
        ("国家学生体质健康标准优秀率", "fitness_excellent_rate"),
        ("学生肥胖率", "fitness_obesity_rate"),
    ],
)
def test_plan_targets_link_to_the_fitness_indicators(text, indicator_id):
    target = Target(quote=text, indicator=text, comparator=">=", value=55, unit="%")
    assert confident_link(link_target(target), "%") == indicator_id


def test_a_good_rate_target_is_judged_on_the_citys_value(stored):
    con, _ = stored
    value = engine.values(con, YEAR, levels=("city",), indicator_id="fitness_good_rate")[0]["value"]
    target = Target(
        quote="学生体质健康优良率达到55%以上",
        indicator="学生体质健康优良率",
        comparator=">=",
        value=55,
        unit="%",
    )
    verdict = judge(target, "fitness_good_rate", {YEAR: value}, date(YEAR + 1, 1, 15), YEAR)
    assert verdict.status == ("met" if value >= 55 else "missed")
    assert verdict.value == value

"""Plan targets linked to catalog indicators by alias, and judged in each of the five ways."""

from __future__ import annotations

from datetime import date

import pytest

from eduplan.indicators.targets import judge, link_target
from eduplan.reader.model import Target


def target(indicator: str, comparator: str, value: float, unit: str = "%", **extra) -> Target:
    return Target(quote=indicator, indicator=indicator, comparator=comparator, value=value, unit=unit, **extra)


@pytest.mark.parametrize(("text", "unit", "expected"), [
    ("公办幼儿园在园幼儿占比", "%", "kg_public_share"),
    ("普惠性幼儿园覆盖率", "%", "kg_puhui_share"),
    ("学前三年毛入园率", "%", "kg_gross_enrolment"),
    ("义务教育阶段大班额比例", "%", "compulsory_big_class_share"),
    ("九年义务教育巩固率", "%", "retention_rate"),
    ("随迁子女在公办学校就读比例", "%", "migrant_public_share"),
    ("义务教育阶段教师交流轮岗人数占符合交流条件教师总数的比例", "%", "teacher_exchange_share"),
    ("初中生均教学仪器设备值", "元", "junior_equipment_per_student"),
    ("小学生均教学及辅助用房面积校际差异系数", "", "primary_teaching_area_per_student_cv"),
    ("普通高中生师比", "1:N", "senior_student_teacher_ratio"),
])
def test_targets_link_to_their_indicator_first(text, unit, expected):
    candidates = link_target(target(text, ">=", 1, unit))
    assert candidates[0].indicator_id == expected
    assert 0 < candidates[0].score <= 1


def test_a_stage_never_links_to_another_stage():
    ids = [c.indicator_id for c in link_target(target("初中生均体育运动场馆面积", ">=", 10.2, "平方米"))]
    assert ids[0] == "junior_sports_area_per_student"
    assert not any(i.startswith("primary_") for i in ids)


def test_the_clause_supplies_a_qualifier_the_indicator_text_leaves_out():
    """其中骨干教师不低于交流总数的20%: the reader's indicator is 骨干教师, the clause says 交流."""
    clause = Target(quote="其中骨干教师不低于交流总数的20%", indicator="骨干教师", comparator=">=", value=20, unit="%")
    assert link_target(clause)[0].indicator_id == "backbone_exchange_share"
    assert "backbone_exchange_share" not in [c.indicator_id for c in link_target(target("骨干教师", ">=", 20))]


def test_a_percentage_is_never_judged_against_a_coefficient_of_variation():
    from eduplan.indicators.targets import confident_link, units_compatible

    assert not units_compatible("%", "")
    assert units_compatible("", "")
    assert units_compatible("", "%")
    share = target("小学县级以上骨干教师数校际差异系数", ">=", 20, "%")
    assert confident_link(link_target(share), share.unit) is None


def test_a_delivery_is_offered_a_stock_count_but_not_judged_against_it():
    """完成33个义务教育学校建设项目: projects, not the city's 1,400 schools (which would meet 33 at once)."""
    from eduplan.indicators.targets import confident_link

    for text in ("完成义务教育学校建设项目", "新建、改扩建公办义务教育阶段学校"):
        delivery = target(text, "=", 33, "个")
        candidates = link_target(delivery)
        assert candidates[0].indicator_id == "compulsory_school_count"
        assert confident_link(candidates, delivery.unit) is None
    stock = target("义务教育学校数", ">=", 1400, "所")
    assert confident_link(link_target(stock), stock.unit) == "compulsory_school_count"


@pytest.mark.parametrize("text", ["新增公办幼儿园学位", "新增普通高中学位"])
def test_places_are_not_judged_against_children_or_schools(text):
    """学位 counts places: not the children enrolled (人), nor the kindergartens (所, 个)."""
    from eduplan.indicators.targets import confident_link

    places = target(text, "=", 8000, "个")
    candidates = link_target(places)
    assert all(not c.unit_agrees for c in candidates)
    assert confident_link(candidates, places.unit) is None


def test_a_tie_is_no_confident_link():
    from eduplan.indicators.targets import Candidate, confident_link

    tied = [Candidate("primary_above_degree_per100_cv", "a", 1.0), Candidate("primary_backbone_per100_cv", "b", 1.0)]
    assert confident_link(tied, "") is None
    assert confident_link(tied[:1], "") == "primary_above_degree_per100_cv"


def test_unrelated_targets_get_no_candidate():
    assert link_target(target("创建市级清廉学校示范校", "=", 20, "所")) == []
    assert link_target(target("落实学生资助资金", "~", 3.5e8, "元")) == []


SHARE = {2020: 44.0, 2021: 46.0, 2022: 48.0, 2023: 50.0}  # +2 points a year


def test_met():
    result = judge(target("公办园占比", ">=", 50), "kg_public_share", SHARE, date(2024, 6, 30), 2024)
    assert (result.status, result.value, result.gap, result.year) == ("met", 50.0, 0.0, 2023)


def test_on_track_when_the_trend_reaches_the_target_by_the_deadline():
    # the 2023 value 50 misses 52, but the line 44, 46, 48, 50 reaches 52 in 2024
    result = judge(target("公办园占比", ">=", 52), "kg_public_share", SHARE, date(2024, 6, 30), 2024)
    assert result.status == "on_track"
    assert result.projected == pytest.approx(52.0)
    assert result.gap == pytest.approx(-2.0)


def test_at_risk_when_the_trend_falls_short():
    result = judge(target("公办园占比", ">=", 55), "kg_public_share", SHARE, date(2024, 6, 30), 2024)
    assert result.status == "at_risk" and result.projected == pytest.approx(52.0)


def test_missed_once_the_deadline_has_passed():
    series = SHARE | {2024: 51.0}
    result = judge(target("公办园占比", ">=", 52), "kg_public_share", series, date(2025, 1, 15), 2024)
    assert (result.status, result.year, result.value) == ("missed", 2024, 51.0)


def test_no_data():
    assert judge(target("公办园占比", ">=", 52), "kg_public_share", {}, date(2024, 6, 30), 2024).status == "no_data"
    assert judge(target("清廉学校", "=", 20, "所"), None, {}, date(2024, 6, 30), 2024).status == "no_data"


def test_statistics_count_only_once_their_census_is_in():
    # as of June 2024 the 2024 census (autumn) is not in: 2023's value is judged
    series = SHARE | {2024: 60.0}
    result = judge(target("公办园占比", ">=", 52), "kg_public_share", series, date(2024, 6, 30), 2024)
    assert result.year == 2023


def test_an_increase_is_judged_on_the_year_over_year_difference():
    places = {2022: 100_000.0, 2023: 112_500.0, 2024: 125_000.0}
    met = judge(target("新增公办幼儿园学位", "+", 12_000, "个"), "kg_public_places", places, date(2024, 6, 30), 2024)
    assert (met.status, met.value) == ("met", 12_500.0)
    short = judge(target("新增公办幼儿园学位", "=", 13_000, "个"), "kg_public_places", places | {2024: 125_000.0},
                  date(2025, 1, 15), 2023)
    assert (short.status, short.gap) == ("missed", -500.0)  # 2023's increase, judged on 2023
    first_year = judge(target("新增公办幼儿园学位", "+", 1, "个"), "kg_public_places", {2023: 5.0},
                       date(2024, 6, 30), 2024)
    assert first_year.status == "no_data"


def test_lower_is_better_and_between():
    big_classes = {2022: 3.0, 2023: 2.0}
    assert judge(target("大班额比例", "<=", 1), "compulsory_big_class_share", big_classes,
                 date(2024, 1, 10), 2024).status == "on_track"  # 3, 2 → 1 in 2024
    ranged = target("生师比", "between", 12, "人/师", value_max=14)
    assert judge(ranged, "junior_student_teacher_ratio", {2023: 13.0}, date(2024, 6, 1), 2024).status == "met"


def test_the_demo_citys_plan_shows_all_five_judgements():
    """The demo city's 2024 plan against its own statistics: mid-year, and after the deadline."""
    from eduplan.demo.statistics import generate
    from eduplan.indicators import compute, connect
    from eduplan.indicators.targets import judge_plan
    from eduplan.reader import read
    from eduplan.samples import sample_path

    con = connect()
    generate(con)
    compute(con)
    plan = read(sample_path("plan"))
    mid_year = {r["status"] for r in judge_plan(con, plan, date(2024, 6, 30))}
    after = {r["status"] for r in judge_plan(con, plan, date(2025, 1, 15))}
    assert {"met", "on_track", "at_risk", "no_data"} <= mid_year
    assert {"met", "missed", "no_data"} <= after


@pytest.mark.shared
def test_seed_plans_targets_link_where_the_catalog_measures_them(shared_dir):
    """Every seed target whose text names a catalog indicator (its name or an alias, whole) links to it.

    No seed text lives here: the check is a property of each target against the catalog.
    """
    from eduplan.indicators.catalog import catalog  # the function: the package attribute may be the submodule
    from eduplan.reader import read

    checked = 0
    for path in sorted((shared_dir / "seeds").glob("*.txt")):
        for document in read(path).documents:
            for item_target in [*document.targets, *(t for item in document.walk() for t in item.targets)]:
                named = {i.id for i in catalog().values()
                         if any(name in item_target.indicator for name in i.names if len(name) >= 5)}
                if not named:
                    continue
                checked += 1
                candidates = [c.indicator_id for c in link_target(item_target)]
                assert candidates and (candidates[0] in named or names_its_stage(candidates[0], item_target.indicator,
                                                                                  named)), \
                    (item_target.indicator, candidates)
    assert checked >= 5


def names_its_stage(chosen: str, text: str, named: set[str]) -> bool:
    """高中阶段“大班额比例: the text names 大班额比例 (义务教育's alias) and 高中; the 普通高中 indicator is right."""
    from eduplan.indicators.catalog import catalog
    from eduplan.indicators.targets import _stages

    stages = _stages(text)
    return bool(stages) and _stages(" ".join(catalog()[chosen].names)) == stages and \
        not any(_stages(" ".join(catalog()[i].names)) & stages for i in named)

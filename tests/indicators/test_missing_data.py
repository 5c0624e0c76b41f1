"""Missing data is never a number: the edge city (edge.py), its answers worked out here, each hole no
data with the reason a reader is shown, and the import warning that names the schools."""

from __future__ import annotations

import pytest
from edge import CITY, YEAR, edge_db

from eduplan.indicators import compute, values
from eduplan.indicators.importer import import_statistics, write_template
from eduplan.indicators.missing import one_sided_schools, reason
from eduplan.indicators.overview import indicator_overview
from eduplan.indicators.schema import connect, register_city


@pytest.fixture(scope="module")
def edge():
    con = edge_db()
    compute(con)
    return con


def value(con, indicator_id: str, unit: str) -> dict | None:
    return next(iter(values(con, YEAR, indicator_id=indicator_id, unit_code=unit)), None)


@pytest.mark.parametrize(
    ("indicator_id", "unit", "expected"),
    [
        # 普惠覆盖率 = (公办 + 普惠民办) ÷ all: KA1 75 + KA2 60 (public, not flagged) of 135; the flag alone gave 55.6 %
        ("kg_puhui_share", "A", 100.0),
        # the city's 毛入园率 over the districts with population rows only: A 135 of 150, B 0 of 50, C 0 of 40
        # (D's 90 children have no population to be over; counting them gave 93.75 %)
        ("kg_gross_enrolment", CITY, 100 * 135 / 240),
        ("primary_gross_enrolment", CITY, 100 * 570 / 1060),  # A 240 + 30 + 300 of 600 + 0 + 460, not D's 270
        ("retention_rate", "JA1", 100 * 90 / 110),  # 九年: grade 9 over its grade-1 cohort
        ("junior_retention_rate", "JA1", 100 * 90 / 100),
        ("primary_above_degree_per100_cv", "D", 0.0),  # one school: no spread
        ("kg_count", "A", 3),  # KA3 with nobody enrolled is still a kindergarten
    ],
)
def test_values_with_holes_elsewhere(edge, indicator_id, unit, expected):
    assert value(edge, indicator_id, unit)["value"] == pytest.approx(expected)


@pytest.mark.parametrize(
    ("indicator_id", "unit", "level", "why"),
    [
        # blank cohort: JA2's grade 9 has no grade-1 (or grade-7) cohort; 150 % before
        ("retention_rate", "A", "district", "1所学校在校生数或本届入小学一年级时人数未填"),
        ("retention_rate", CITY, "city", "1所学校"),
        ("junior_retention_rate", "JA2", "school", "本校在校生数或本届入学时人数未填"),
        # a school with pupils and no teachers, facilities or health row (PA3)
        ("primary_above_degree_per100", "PA3", "school", "本校教职工情况与分年级学生情况不全"),
        ("primary_above_degree_per100", "A", "district", "1所学校教职工情况与分年级学生情况不全"),
        ("primary_above_degree_per100_cv", "A", "district", "1所学校"),
        ("primary_teaching_area_per_student", "A", "district", "校舍及办学条件与分年级学生情况不全"),
        ("psych_teacher_coverage", "A", "district", "教职工情况与学校基本情况不全"),
        ("health_staff_coverage", "A", "district", "卫生保健人员情况与学校基本情况不全"),
        ("primary_cv_worst", "A", "district", "差异系数无数据"),
        ("primary_cv_worst", CITY, "city", "2个区县"),
        # a district with teachers and no pupils (C: PC1): 生师比 was 0.0, "meeting" ≤ 19
        ("primary_student_teacher_ratio", "C", "district", "1所学校分年级学生情况与教职工情况不全"),
        ("primary_student_teacher_ratio", "PC1", "school", "本校"),
        # a kindergarten with none enrolled
        ("kg_public_share", "KA3", "school", "分母为0（无在校生数）"),
        ("kg_children_per_teacher", "KA3", "school", "无在校生数"),
        # a district whose population is 0 (B), and one with no population rows (D)
        ("primary_gross_enrolment", "B", "district", "分母为0（无人数）"),
        ("kg_gross_enrolment", "D", "district", "本区县无适龄人口数据"),
    ],
)
def test_every_hole_is_no_data_with_its_reason(edge, indicator_id, unit, level, why):
    row = value(edge, indicator_id, unit)
    assert row is None or row["value"] is None, row
    assert why in reason(indicator_id, row, level)


def test_the_schools_behind_a_hole_are_named(edge):
    assert one_sided_schools(edge, "primary_above_degree_per100", "A", YEAR) == [("PA3", "小三")]
    assert one_sided_schools(edge, "primary_above_degree_per100_cv", CITY, YEAR) == [
        ("PA3", "小三"),
        ("PC1", "小丙"),
    ]
    assert one_sided_schools(edge, "retention_rate", "A", YEAR) == [("JA2", "中二")]


def test_the_page_data_shows_the_reason_and_keeps_no_data_schools(edge):
    page = indicator_overview(edge, "primary_above_degree_per100", YEAR)
    districts = {d["code"]: d for d in page["districts"]}
    assert districts["A"]["value"] is None and "1所学校" in districts["A"]["reason"]
    assert districts["A"]["meets_standard"] is None
    assert page["schools"][-1]["code"] in ("PA3", "PC1") and page["schools"][-1]["reason"]


def test_the_import_warns_naming_the_schools_without_rows(edge, tmp_path):
    path = tmp_path / "edge.xlsx"
    write_template(path, edge, YEAR)
    con = connect()
    register_city(con, CITY, "边界市", [("A", "甲区"), ("B", "乙区"), ("C", "丙区"), ("D", "丁区")])
    report = import_statistics(con, path, YEAR)
    assert report.accepted
    warned = {(p.school_code, p.rule) for p in report.problems}
    assert {
        ("PA3", "pupils_without_teachers_row"),
        ("PA3", "pupils_without_facilities_row"),
        ("PA3", "pupils_without_health_row"),
        ("JA2", "cohort_grade1_for_grade9"),
    } <= warned
    assert not any(code == "PA1" for code, _ in warned)  # a complete school is not named
    message = next(p.message for p in report.problems if p.rule == "pupils_without_teachers_row")
    assert "无数据" in message


def test_a_template_without_the_new_columns_still_imports(edge, tmp_path):
    """A sheet from before 本届入小学一年级时人数 / 兼职心理健康教育教师数 were added: imported, those blank."""
    import openpyxl

    path = tmp_path / "old.xlsx"
    write_template(path, edge, YEAR)
    book = openpyxl.load_workbook(path)
    for sheet in book.worksheets:
        for cell in sheet[1]:
            if "cohort_grade1" in str(cell.value) or "psych_parttime" in str(cell.value):
                sheet.delete_cols(cell.column)
    book.save(path)
    con = connect()
    register_city(con, CITY, "边界市", [("A", "甲区"), ("B", "乙区"), ("C", "丙区"), ("D", "丁区")])
    assert import_statistics(con, path, YEAR).accepted
    assert con.execute("SELECT count(cohort_grade1) FROM students").fetchone()[0] == 0
    assert value(con, "retention_rate", "JA1")["value"] is None

"""Schools spanning stages (九年一贯制, 完全中学): each part counted in its own stage.

The small city: one district, four schools. Every expected value is worked out by hand below.
  P1 primary    grade 1: 200 pupils                     teachers 8
  N1 nine_year  grade 1: 300 pupils, grade 7: 120       teachers 小学部 15, 初中部 12
  J1 junior     grade 7: 180 pupils                     teachers 12
  C1 complete   grade 8:  90 pupils, grade 10: 200      teachers 初中部 9, 高中部 16
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from test_engine_reference import assert_engine_is_the_reference
from town import CITY, YEAR, load

from eduplan.indicators import compute, trace, values
from eduplan.indicators.assessment import assess
from eduplan.indicators.importer import ImportRejected, import_statistics, write_template
from eduplan.indicators.missing import one_sided_schools
from eduplan.indicators.schema import connect, register_city

SCHOOLS = [  # code, name, district, level, public, puhui, boarding
    ("P1", "第一小学", "D1", "primary", True, None, False),
    ("N1", "九年一贯制学校", "D1", "nine_year", True, None, False),
    ("J1", "第一初中", "D1", "junior", True, None, False),
    ("C1", "完全中学", "D1", "complete", True, None, False),
]
PUPILS = [
    ("P1", 1, 200, 4),
    ("N1", 1, 300, 6),
    ("N1", 7, 120, 3),
    ("J1", 7, 180, 4),
    ("C1", 8, 90, 2),
    ("C1", 10, 200, 4),
]  # school, grade, pupils, classes (of equal size)
TEACHERS = [
    ("P1", 8, None),
    ("N1", 15, "primary"),
    ("N1", 12, "junior"),
    ("J1", 12, None),
    ("C1", 9, "junior"),
    ("C1", 16, "senior"),
]  # school, fulltime, 学段（部）


def split_city():
    con = connect()
    register_city(con, CITY, "样例市", [("D1", "一区")])
    load(
        con,
        {
            "schools": SCHOOLS,
            "students": [
                (code, grade, n, 0, 0, 0, n if grade == 9 else None, None) for code, grade, n, _ in PUPILS
            ],
            "classes": [
                (code, grade, k, n // classes)
                for code, grade, n, classes in PUPILS
                for k in range(1, classes + 1)
            ],
            "teachers": [(code, n, n // 2, 1, 1, 1, 1, 1, 2, 1, 0, 0, stage) for code, n, stage in TEACHERS],
            "health_staff": [(code, 1, 0, stage) for code, _, stage in TEACHERS],
            "facilities": [
                (code, 100.0 * n, 200.0 * n, 10000.0 * n, n, n, stage) for code, n, stage in TEACHERS
            ],
            "population": [("D1", "6-11", 600), ("D1", "12-14", 400), ("D1", "15-17", 400)],
        },
    )
    compute(con)
    return con


def value(con, indicator_id: str, unit: str):
    rows = values(con, YEAR, indicator_id=indicator_id, unit_code=unit)
    return rows[0]["value"] if rows else None


def test_each_part_counts_in_its_own_stage():
    con = split_city()
    # 生师比 of each part: N1 小学部 300/15, 初中部 120/12; C1 初中部 90/9, 高中部 200/16
    assert value(con, "primary_student_teacher_ratio", "N1") == pytest.approx(20.0)
    assert value(con, "junior_student_teacher_ratio", "N1") == pytest.approx(10.0)
    assert value(con, "senior_student_teacher_ratio", "N1") is None
    assert value(con, "junior_student_teacher_ratio", "C1") == pytest.approx(10.0)
    assert value(con, "senior_student_teacher_ratio", "C1") == pytest.approx(12.5)
    # the district: primary (200 + 300) / (8 + 15) = 500/23; junior (120 + 180 + 90) / (12 + 12 + 9) = 390/33
    assert value(con, "primary_student_teacher_ratio", "D1") == pytest.approx(21.739130434782609)
    assert value(con, "junior_student_teacher_ratio", "D1") == pytest.approx(11.818181818181818)
    assert value(con, "senior_student_teacher_ratio", "D1") == pytest.approx(12.5)
    # 毛入学率: primary 500/600, junior 390/400, senior 200/400
    assert value(con, "primary_gross_enrolment", "D1") == pytest.approx(83.333333333333333)
    assert value(con, "junior_gross_enrolment", "D1") == pytest.approx(97.5)
    assert value(con, "senior_gross_enrolment", "D1") == pytest.approx(50.0)
    # a school spanning stages is one school among the 义务教育学校: P1, N1, J1, C1 (its 初中部)
    assert value(con, "compulsory_school_count", "D1") == 4
    assert value(con, "compulsory_school_count", "N1") == 1


def test_the_engine_is_the_independent_reference_with_split_schools():
    assert_engine_is_the_reference(split_city(), YEAR)


def test_trace_lists_the_part_of_a_split_school():
    rows = trace(split_city(), "primary_student_teacher_ratio", "N1", YEAR)
    assert sorted((r["role"], r["contribution"]) for r in rows) == [
        ("denominator", 15.0),
        ("numerator", 300.0),
    ]
    assert {r["level"] for r in rows} == {"primary"}


def test_the_parts_are_schools_of_their_stage_in_the_assessment():
    counties = assess(split_city(), "quality", YEAR)
    verdicts = {v.criterion.id: v for v in counties[0].verdicts}
    # primary: P1 and N1's 小学部; junior: N1's and C1's 初中部 and J1
    assert verdicts["primary_six_of_seven"].shown.endswith("/ 2 所达到")
    assert verdicts["junior_six_of_seven"].shown.endswith("/ 3 所达到")
    # 学校规模 counts C1's 义务教育阶段 (90), not its 高中部
    assert verdicts["school_size"].shown == "0 / 4 所超规模"


def edit_csv(path: Path, change) -> None:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    change(rows)
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle).writerows(rows)


@pytest.fixture
def exported(tmp_path) -> Path:
    folder = tmp_path / "stats"
    write_template(folder, split_city(), YEAR)
    return folder


def fresh():
    con = connect()
    register_city(con, CITY, "样例市", [("D1", "一区")])
    return con


def test_a_template_with_parts_imports_to_the_same_values(exported):
    con = fresh()
    import_statistics(con, exported, YEAR)
    assert values(con, YEAR) == values(split_city(), YEAR)


def stage_of(rows: list[list], school: str, stage: str, new: str) -> None:
    column = next(n for n, name in enumerate(rows[0]) if name.endswith("(stage)"))
    next(row for row in rows[1:] if row[0] == school and row[column] == stage)[column] = new


@pytest.mark.parametrize(
    ("school", "stage", "new", "rule", "words"),
    [
        ("N1", "junior", "senior", "teachers_stage_fits_level", "学段（部）“senior”与学校学段不符"),
        ("N1", "junior", "", "teachers_stage_for_split_school", "按学段（部）分行填报"),
        ("P1", "", "junior", "teachers_stage_fits_level", "学段（部）“junior”与学校学段不符"),
    ],
)
def test_a_stage_that_does_not_fit_the_school_is_refused(exported, school, stage, new, rule, words):
    edit_csv(exported / "teachers.csv", lambda rows: stage_of(rows, school, stage, new))
    with pytest.raises(ImportRejected) as rejected:
        import_statistics(fresh(), exported, YEAR)
    problems = [p for p in rejected.value.report.problems if p.rule == rule]
    assert [p.school_code for p in problems] == [school]
    assert words in problems[0].message


def test_a_school_that_is_not_split_reports_one_row(exported):
    # J1's row once more, naming its own stage: the key differs, the school is counted twice
    edit_csv(
        exported / "facilities.csv",
        lambda rows: rows.append([*next(r for r in rows if r[0] == "J1")[:-1], "junior"]),
    )
    with pytest.raises(ImportRejected) as rejected:
        import_statistics(fresh(), exported, YEAR)
    problems = rejected.value.report.problems
    assert {(p.school_code, p.rule) for p in problems} == {("J1", "facilities_one_row_unsplit")}
    assert "每校只填一行" in problems[0].message


def test_a_template_without_the_stage_column_still_imports(town, tmp_path):
    folder = tmp_path / "old"
    write_template(folder, town, YEAR)
    for name in ("teachers", "health_staff", "facilities"):
        edit_csv(folder / f"{name}.csv", lambda rows: [row.pop() for row in rows])
    compute(town)
    before = values(town, YEAR)
    import_statistics(town, folder, YEAR)
    assert values(town, YEAR) == before


def test_a_part_without_its_teachers_row_is_no_data_and_named(exported):
    # N1's 初中部 has pupils and no teachers row: a warning at import, no data for it and its district
    edit_csv(
        exported / "teachers.csv",
        lambda rows: rows.remove(next(r for r in rows if r[0] == "N1" and r[-1] == "junior")),
    )
    con = fresh()
    report = import_statistics(con, exported, YEAR)
    warned = [p for p in report.problems if p.rule == "pupils_without_teachers_part_row"]
    assert [(p.school_code, p.importance) for p in warned] == [("N1", "medium")]
    assert "学段（部）junior有在校生，但教职工情况表无该学段（部）记录" in warned[0].message
    assert value(con, "junior_student_teacher_ratio", "N1") is None
    assert value(con, "junior_student_teacher_ratio", "D1") is None
    assert value(con, "primary_student_teacher_ratio", "N1") == pytest.approx(20.0)
    assert one_sided_schools(con, "junior_student_teacher_ratio", "D1", YEAR) == [("N1", "九年一贯制学校")]
    # shares of schools too: the 小学部's teachers row does not stand in for the 初中部's missing one
    assert value(con, "psych_teacher_coverage", "D1") is None
    assert value(con, "psych_teacher_coverage", "N1") is None
    assert_engine_is_the_reference(con, YEAR)

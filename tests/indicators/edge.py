"""The edge city of the official-definitions audit: every way a year's statistics can leave a hole.

District A: KA1 public 普惠 75 children; KA2 public not flagged 普惠 60; KA3 none enrolled; PA1 240 pupils;
PA2 30 (a small school); PA3 300 pupils and no teachers, facilities or health row; JA1 junior (grade 7 in
three classes of 56, grade 9 of 90 from a grade-7 cohort of 100 and a grade-1 cohort of 110); JA2 grade 9 of
60 with both cohorts blank. Population rows for every age group.
District B: population only (6-11 population 0), no schools.
District C: PC1 primary with teachers and buildings, no pupils, no classes.
District D: KD1 kindergarten 90 and PD1 primary 270, no population rows.
"""

from __future__ import annotations

from town import load

from eduplan.indicators.schema import connect, register_city

YEAR = 2030
CITY = "E"

SCHOOLS = [
    ("KA1", "幼一", "A", "kindergarten", True, True, False),
    ("KA2", "幼二", "A", "kindergarten", True, False, False),
    ("KA3", "幼三", "A", "kindergarten", False, True, False),
    ("PA1", "小一", "A", "primary", True, None, False),
    ("PA2", "小二", "A", "primary", True, None, False),
    ("PA3", "小三", "A", "primary", True, None, False),
    ("JA1", "中一", "A", "junior", True, None, False),
    ("JA2", "中二", "A", "junior", True, None, False),
    ("PC1", "小丙", "C", "primary", True, None, False),
    ("KD1", "幼丁", "D", "kindergarten", True, True, False),
    ("PD1", "小丁", "D", "primary", True, None, False),
]
# school, grade, enrolled, migrant, disabled_regular, disabled_home, cohort_entry, cohort_grade1
STUDENTS = [
    ("KA1", 1, 75, 0, 0, 0, None, None),
    ("KA2", 2, 60, 0, 0, 0, None, None),
    ("KA3", 1, 0, 0, 0, 0, None, None),
    ("PA1", 1, 240, 10, 1, 0, None, None),
    ("PA2", 1, 30, 0, 0, 0, None, None),
    ("PA3", 1, 300, 0, 0, 0, None, None),
    ("JA1", 7, 168, 0, 0, 0, None, None),
    ("JA1", 9, 90, 0, 0, 0, 100, 110),
    ("JA2", 9, 60, 0, 0, 0, None, None),
    ("KD1", 3, 90, 0, 0, 0, None, None),
    ("PD1", 1, 270, 0, 0, 0, None, None),
]
CLASS_SIZES = [
    ("KA1", 1, [25, 25, 25]),
    ("KA2", 2, [30, 30]),
    ("PA1", 1, [40] * 6),
    ("PA2", 1, [30]),
    ("PA3", 1, [50] * 6),
    ("JA1", 7, [56, 56, 56]),
    ("JA1", 9, [45, 45]),
    ("JA2", 9, [60]),
    ("KD1", 3, [30, 30, 30]),
    ("PD1", 1, [45] * 6),
]
TEACHERS = [  # fulltime, above_degree, backbone, pe, music, art, psych_fulltime, eligible, exchanged, backbone exchanged
    ("KA1", 6, 0, 0, 0, 0, 0, 0, 0, 0, 0),
    ("KA2", 4, 0, 0, 0, 0, 0, 0, 0, 0, 0),
    ("KA3", 2, 0, 0, 0, 0, 0, 0, 0, 0, 0),
    ("PA1", 14, 12, 3, 1, 1, 1, 1, 4, 1, 0),
    ("PA2", 3, 2, 0, 1, 0, 0, 0, 1, 0, 0),
    ("JA1", 20, 16, 2, 1, 1, 1, 1, 6, 1, 1),
    ("JA2", 6, 4, 0, 1, 0, 0, 0, 2, 0, 0),
    ("PC1", 2, 2, 0, 0, 0, 0, 0, 0, 0, 0),
    ("KD1", 6, 0, 0, 0, 0, 0, 0, 0, 0, 0),
    ("PD1", 15, 12, 2, 1, 1, 1, 1, 5, 1, 0),
]
HEALTH = [("PA1", 1, 0), ("PA2", 0, 1), ("JA1", 1, 0), ("JA2", 0, 0), ("PC1", 0, 0), ("PD1", 0, 1)]
FACILITIES = [  # teaching_area, sports_area, equipment_value, classrooms, multimedia_rooms
    ("PA1", 1200, 2000, 500000, 6, 6),
    ("PA2", 150, 300, 60000, 1, 1),
    ("JA1", 1500, 2500, 800000, 5, 5),
    ("JA2", 400, 600, 150000, 1, 1),
    ("PC1", 500, 800, 100000, 2, 2),
    ("PD1", 1200, 2000, 540000, 6, 6),
]
POPULATION = [
    ("A", "3-5", 150),
    ("A", "6-11", 600),
    ("A", "12-14", 320),
    ("A", "15-17", 300),
    ("A", "disabled_6-14", 2),
    ("B", "3-5", 50),
    ("B", "6-11", 0),
    ("B", "12-14", 10),
    ("B", "15-17", 10),
    ("B", "disabled_6-14", 0),
    ("C", "3-5", 40),
    ("C", "6-11", 460),
    ("C", "12-14", 50),
    ("C", "15-17", 40),
    ("C", "disabled_6-14", 1),
]


def edge_db():
    con = connect()
    register_city(con, CITY, "边界市", [("A", "甲区"), ("B", "乙区"), ("C", "丙区"), ("D", "丁区")])
    load(
        con,
        {
            "schools": SCHOOLS,
            "students": STUDENTS,
            "teachers": TEACHERS,
            "health_staff": HEALTH,
            "facilities": FACILITIES,
            "population": POPULATION,
            "classes": [
                (school, grade, n, size)
                for school, grade, sizes in CLASS_SIZES
                for n, size in enumerate(sizes, start=1)
            ],
        },
        year=YEAR,
    )
    return con

"""A hand-made town for the indicator tests: two districts, nine schools, small round numbers.

Every expected value in test_catalog_values.py is worked out from these rows in its comment.
"""

from __future__ import annotations

from eduplan.indicators.schema import connect, register_city, tables

YEAR = 2024
CITY = "C"

# code, district, level, public, puhui, boarding
SCHOOLS = [
    ("K1", "D1", "kindergarten", True, False, False),  # public, not flagged 普惠: counts as 普惠 all the same
    ("K2", "D1", "kindergarten", False, True, False),
    ("K3", "D2", "kindergarten", False, False, False),
    ("P1", "D1", "primary", True, None, False),
    ("P2", "D2", "primary", True, None, False),
    ("P3", "D2", "primary", False, None, False),
    ("J1", "D1", "junior", True, None, True),
    ("J2", "D2", "junior", False, None, False),
    ("S1", "D2", "senior", True, None, True),
]
# school, grade, enrolled, migrant, disabled_regular, disabled_home, cohort_entry (grade 7), cohort_grade1
STUDENTS = [
    ("K1", 1, 60, 0, 0, 0, None, None),
    ("K2", 1, 40, 0, 0, 0, None, None),
    ("K3", 1, 100, 0, 0, 0, None, None),
    ("P1", 1, 100, 20, 1, 0, None, None),
    ("P2", 1, 200, 30, 2, 1, None, None),
    ("P3", 1, 100, 50, 0, 0, None, None),
    ("J1", 9, 190, 10, 1, 0, 200, 210),
    ("J2", 9, 95, 40, 0, 0, 100, 100),
    ("S1", 10, 300, 0, 0, 0, None, None),
]
# school, grade, class sizes (summing to the grade's students)
CLASS_SIZES = [
    ("K1", 1, [30, 30]), ("K2", 1, [20, 20]), ("K3", 1, [25, 25, 25, 25]),
    ("P1", 1, [50, 50]), ("P2", 1, [44, 44, 56, 56]), ("P3", 1, [30, 70]),
    ("J1", 9, [48, 48, 47, 47]), ("J2", 9, [40, 55]),
    ("S1", 10, [60, 60, 60, 60, 60]),
]
# school, fulltime, above_degree, backbone, pe, music, art, psych_fulltime,
#         exchange_eligible, exchanged, exchanged_backbone, psych_parttime
TEACHERS = [
    ("K1", 5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0),
    ("K2", 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0),
    ("K3", 6, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0),
    ("P1", 6, 5, 1, 1, 0, 0, 1, 2, 1, 0, 0),
    ("P2", 12, 8, 2, 1, 1, 1, 0, 4, 0, 0, 1),
    ("P3", 5, 3, 0, 0, 1, 0, 1, 0, 0, 0, 0),
    ("J1", 16, 12, 2, 1, 1, 1, 1, 10, 2, 1, 0),
    ("J2", 8, 4, 1, 1, 0, 0, 0, 4, 1, 0, 0),
    ("S1", 25, 20, 3, 2, 1, 1, 1, 0, 0, 0, 0),
]
# school, health_professionals, health_teachers
HEALTH = [("P1", 1, 0), ("P2", 0, 0), ("P3", 0, 1), ("J1", 1, 1), ("J2", 0, 0), ("S1", 2, 0)]
# school, teaching_area, sports_area, equipment_value, classrooms, multimedia_rooms
FACILITIES = [
    ("P1", 500, 800, 200000, 2, 2),
    ("P2", 800, 1400, 500000, 5, 4),
    ("P3", 500, 600, 100000, 2, 1),
    ("J1", 1200, 2000, 600000, 5, 5),
    ("J2", 500, 900, 200000, 3, 2),
    ("S1", 2000, 3000, 900000, 6, 6),
]
# district, age group, population
POPULATION = [
    ("D1", "3-5", 100), ("D1", "6-11", 120), ("D1", "12-14", 200), ("D1", "15-17", 300), ("D1", "disabled_6-14", 4),
    ("D2", "3-5", 150), ("D2", "6-11", 280), ("D2", "12-14", 100), ("D2", "15-17", 200), ("D2", "disabled_6-14", 2),
]

# 学生体质健康 summary (the derived `fitness` table, not part of the statistics import: test_catalog_values loads it): school, grade code, sex, tested, exempt, excellent, good,
# passed, failed, bmi_measured, obese, overweight
FITNESS = [
    ("P1", 11, "M", 50, 1, 5, 15, 25, 5, 50, 4, 6),
    ("P1", 11, "F", 50, 0, 10, 20, 15, 5, 50, 2, 5),
    ("J1", 23, "M", 90, 2, 9, 27, 45, 9, 90, 9, 9),
    ("S1", 31, "F", 300, 0, 30, 120, 120, 30, 300, 15, 30),
]


def town_rows() -> dict[str, list[tuple]]:
    return {
        "schools": [(code, f"学校{code}", *rest) for code, *rest in SCHOOLS],
        "students": STUDENTS,
        "classes": [(school, grade, n, size) for school, grade, sizes in CLASS_SIZES
                    for n, size in enumerate(sizes, start=1)],
        "teachers": TEACHERS,
        "health_staff": HEALTH,
        "facilities": FACILITIES,
        "population": POPULATION,
    }


def load(con, rows: dict[str, list[tuple]], year: int = YEAR) -> None:
    """Rows may leave out trailing optional columns (blank)."""
    for name, table_rows in rows.items():
        width = len(tables()[name].columns)
        marks = ", ".join("?" * (width + 1))
        con.executemany(f"INSERT INTO {name} VALUES ({marks})",
                        [(year, *row, *[None] * (width - len(row))) for row in table_rows])


def town_db():
    """A fresh in-memory database holding the town."""
    con = connect()
    register_city(con, CITY, "样例市", [("D1", "一区"), ("D2", "二区")])
    load(con, town_rows())
    return con

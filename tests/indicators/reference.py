"""Every catalog indicator, written once more in plain Python from the documents' formulas.

Nothing here reads the catalog's SQL or calls the engine: the statistics rows are read with a plain
SELECT * and every indicator is a short function of the schools of an org unit, following the
document its catalog entry cites:

- shares and per-pupil ratios are Σ over the unit's schools ÷ Σ over the same schools, never an
  average of school ratios (办法: 县域 figures are county totals);
- 毛入园率/毛入学率 = pupils ÷ school-age population of the districts that report both;
- 九年巩固率 = grade 9 ÷ its grade-1 cohort, 初中三年巩固率 = grade 9 ÷ its grade-7 cohort;
- 普惠性幼儿园覆盖率 = (公办园 + 普惠性民办园) children ÷ all children (2020 办法);
- 差异系数 = √(Σ Pᵢ/P · (Xᵢ − X̄)²) ÷ X̄ with X̄ = Σxᵢ/ΣPᵢ over the schools with pupils (2017 办法);
- a school spanning stages (九年一贯制 1–9, 完全中学 7–12, 十二年一贯制 1–12) is counted by its parts
  (小学部, 初中部, 高中部), each part a school of its own stage (2017 办法 counts 九年一贯制's 小学部 as a
  primary and its 初中部 as a junior school): pupils and classes by grade, staff and buildings by the
  row's 学段（部）; it is still one school in a count of schools and one unit with its own values;
- a figure that would need a row a school did not report (a grade 9 without its cohort, pupils
  without a teachers row, teachers without pupils) is no data (None), never a number.

reference_values(con, year) → {(level, unit_code, indicator_id): value or None}.
"""

from __future__ import annotations

import math
from collections import defaultdict

KG, PRIMARY, JUNIOR, SENIOR, SPECIAL = "kindergarten", "primary", "junior", "senior", "special"
SCHOOL_STAGES = (PRIMARY, JUNIOR, SENIOR)
KG_CLASS_LIMIT = {1: 25, 2: 30, 3: 35}  # 《幼儿园工作规程》: 小班 25, 中班 30, 大班 35
RESOURCES = {  # 2017 办法 第六条: the seven resource indicators, (numerator, factor) per pupil
    "above_degree_per100": (lambda t, f: t["above_degree"], 100),
    "backbone_per100": (lambda t, f: t["backbone"], 100),
    "pe_art_per100": (lambda t, f: t["pe"] + t["music"] + t["art"], 100),
    "teaching_area_per_student": (lambda t, f: f["teaching_area"], 1),
    "sports_area_per_student": (lambda t, f: f["sports_area"], 1),
    "equipment_per_student": (lambda t, f: f["equipment_value"], 1),
    "multimedia_per100": (lambda t, f: f["multimedia_rooms"], 100),
}
FROM_TEACHERS = {"above_degree_per100", "backbone_per100", "pe_art_per100"}
SPANNING = {"nine_year": (PRIMARY, JUNIOR), "complete": (JUNIOR, SENIOR), "twelve_year": (PRIMARY, JUNIOR, SENIOR)}


def _grade_stage(grade: int) -> str:
    return PRIMARY if grade <= 6 else JUNIOR if grade <= 9 else SENIOR


class City:
    """One year's statistics rows, by school part: a school not spanning stages is one part under its own
    code, a spanning one a part per stage under "code/stage" (`school` the real code, `first` its first part)."""

    def __init__(self, con, year: int):
        self.year = year
        def rows(table):
            cursor = con.execute(f"SELECT * FROM {table} WHERE year = ?", [year])
            names = [d[0] for d in cursor.description]
            return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

        self.code = con.execute("SELECT code FROM org_units WHERE level = 'city'").fetchone()[0]
        self.schools = {}
        for school in rows("schools"):
            code = school["school_code"]
            for n, stage in enumerate(SPANNING.get(school["level"], ())):
                self.schools[f"{code}/{stage}"] = {**school, "school_code": f"{code}/{stage}", "level": stage,
                                                   "school": code, "first": n == 0}
            if school["level"] not in SPANNING:
                self.schools[code] = {**school, "school": code, "first": True}
        self.students, self.classes = defaultdict(list), defaultdict(list)
        for row in rows("students"):
            self.students[self._part(row["school_code"], _grade_stage(row["grade"]))].append(row)
        for row in rows("classes"):
            self.classes[self._part(row["school_code"], _grade_stage(row["grade"]))].append(row)
        self.teachers = {self._part(r["school_code"], r["stage"]): r for r in rows("teachers")}
        self.health = {self._part(r["school_code"], r["stage"]): r for r in rows("health_staff")}
        self.facilities = {self._part(r["school_code"], r["stage"]): r for r in rows("facilities")}
        self.population = defaultdict(dict)
        for row in rows("population"):
            self.population[row["district_code"]][row["age_group"]] = row["population"]
        self.districts = sorted({s["district_code"] for s in self.schools.values()} | set(self.population))

    def _part(self, code: str, stage: str | None) -> str:
        return code if code in self.schools else f"{code}/{stage}"

    def pupils(self, code: str) -> int:
        return sum(r["enrolled"] for r in self.students[code])

    def of(self, schools, *levels):
        return [s for s in schools if s["level"] in levels]


def _div(numerator, denominator, factor=1.0):
    return None if not denominator else factor * numerator / denominator


def _share(schools, counts, total, factor=100.0):
    return _div(sum(counts(s) for s in schools), sum(total(s) for s in schools), factor)


def _one_sided(city: City, schools, first: dict, second: dict | None) -> bool:
    """A school reporting to one of the two tables a ratio needs and not the other. `second` None
    means the students table."""

    def has(table, code):
        return bool(city.students[code]) if table is None else code in table

    return any(has(first, s["school_code"]) != has(second, s["school_code"]) for s in schools)


def _per_pupil(city: City, schools, table: dict, resource, factor, need_pupils=False):
    """Σ resource ÷ Σ pupils; no data when a school has one of the two rows only."""
    if not schools or _one_sided(city, schools, table, None):
        return None
    pupils = sum(city.pupils(s["school_code"]) for s in schools)
    if need_pupils and not pupils:
        return None
    return _div(
        sum(resource(table[s["school_code"]]) for s in schools if s["school_code"] in table), pupils, factor
    )


def _pupils_per(city: City, schools, table: dict, staff):
    """Σ pupils ÷ Σ staff (生师比, 600:1): no data without pupils or with a one-sided school."""
    if not schools or _one_sided(city, schools, table, None):
        return None
    pupils = sum(city.pupils(s["school_code"]) for s in schools)
    return (
        _div(pupils, sum(staff(table[s["school_code"]]) for s in schools if s["school_code"] in table))
        if pupils
        else None
    )


def _retention(city: City, schools, cohort: str):
    grade9 = [r for s in city.of(schools, JUNIOR) for r in city.students[s["school_code"]] if r["grade"] == 9]
    if any(r[cohort] is None for r in grade9):
        return None
    return _div(sum(r["enrolled"] for r in grade9), sum(r[cohort] for r in grade9), 100)


def _classes(city: City, schools, levels, counted):
    sizes = [c for s in city.of(schools, *levels) for c in city.classes[s["school_code"]]]
    return _div(sum(1 for c in sizes if counted(c)), len(sizes), 100)


def _coverage(city: City, schools, table: dict, has):
    """The share of schools with a post filled; no data when a school did not report the table."""
    if not schools or any(s["school_code"] not in table for s in schools):
        return None
    return _div(sum(1 for s in schools if has(table[s["school_code"]])), len(schools), 100)


def unit_indicators(city: City, schools: list[dict]) -> dict:
    """Every school-summed indicator of one org unit (a school, a district, the city)."""
    kg = city.of(schools, KG)
    pupils = city.pupils
    values = {
        "kg_public_share": _share(
            kg, lambda s: pupils(s["school_code"]) * s["public"], lambda s: pupils(s["school_code"])
        ),
        "kg_puhui_share": _share(
            kg,
            lambda s: pupils(s["school_code"]) * bool(s["public"] or s["puhui"]),
            lambda s: pupils(s["school_code"]),
        ),
        "kg_class_size_share": _classes(
            city, schools, (KG,), lambda c: c["size"] <= KG_CLASS_LIMIT.get(c["grade"], 35)
        ),
        "kg_children_per_teacher": _pupils_per(city, kg, city.teachers, lambda t: t["fulltime"]),
        "retention_rate": _retention(city, schools, "cohort_grade1"),
        "junior_retention_rate": _retention(city, schools, "cohort_entry"),
        "compulsory_big_class_share": _classes(city, schools, (PRIMARY, JUNIOR), lambda c: c["size"] >= 56),
        "compulsory_super_big_class_share": _classes(
            city, schools, (PRIMARY, JUNIOR), lambda c: c["size"] >= 66
        ),
        "primary_class_over_standard_share": _classes(city, schools, (PRIMARY,), lambda c: c["size"] > 45),
        "junior_class_over_standard_share": _classes(city, schools, (JUNIOR,), lambda c: c["size"] > 50),
        "senior_big_class_share": _classes(city, schools, (SENIOR,), lambda c: c["size"] >= 56),
        "migrant_public_share": _div(
            sum(
                r["migrant"]
                for s in city.of(schools, PRIMARY, JUNIOR)
                if s["public"]
                for r in city.students[s["school_code"]]
            ),
            sum(
                r["migrant"]
                for s in city.of(schools, PRIMARY, JUNIOR)
                for r in city.students[s["school_code"]]
            ),
            100,
        ),
        "psych_teacher_coverage": _coverage(
            city,
            city.of(schools, *SCHOOL_STAGES),
            city.teachers,
            lambda t: t["psych_fulltime"] + (t["psych_parttime"] or 0) >= 1,
        ),
        "health_staff_coverage": _coverage(
            city,
            city.of(schools, *SCHOOL_STAGES),
            city.health,
            lambda h: h["health_professionals"] + h["health_teachers"] >= 1,
        ),
        "health_professional_ratio": _pupils_per(
            city, city.of(schools, *SCHOOL_STAGES), city.health, lambda h: h["health_professionals"]
        ),
        "multimedia_classroom_share": None
        if _one_sided(
            city, city.of(schools, PRIMARY, JUNIOR, SENIOR, SPECIAL), city.facilities, city.facilities
        )
        else _div(
            sum(
                city.facilities[s["school_code"]]["multimedia_rooms"]
                for s in schools
                if s["level"] != KG and s["school_code"] in city.facilities
            ),
            sum(
                city.facilities[s["school_code"]]["classrooms"]
                for s in schools
                if s["level"] != KG and s["school_code"] in city.facilities
            ),
            100,
        ),
    }
    compulsory_teachers = [
        city.teachers[s["school_code"]]
        for s in city.of(schools, PRIMARY, JUNIOR)
        if s["school_code"] in city.teachers
    ]
    values["teacher_exchange_share"] = _div(
        sum(t["exchanged"] for t in compulsory_teachers),
        sum(t["exchange_eligible"] for t in compulsory_teachers),
        100,
    )
    values["backbone_exchange_share"] = _div(
        sum(t["exchanged_backbone"] for t in compulsory_teachers),
        sum(t["exchanged"] for t in compulsory_teachers),
        100,
    )
    for stage, key in ((PRIMARY, "primary"), (JUNIOR, "junior"), (SENIOR, "senior")):
        values[f"{key}_student_teacher_ratio"] = _pupils_per(
            city, city.of(schools, stage), city.teachers, lambda t: t["fulltime"]
        )
    for stage in (PRIMARY, JUNIOR):
        for name, (resource, factor) in RESOURCES.items():
            table = city.teachers if name in FROM_TEACHERS else city.facilities
            values[f"{stage}_{name}"] = _per_pupil(
                city, city.of(schools, stage), table, (lambda row, r=resource: r(row, row)), factor
            )
    return values


def counts(city: City, schools: list[dict]) -> dict:
    kg = city.of(schools, KG)
    return {
        "kg_count": len(kg),
        "kg_public_count": sum(1 for s in kg if s["public"]),
        "kg_public_places": sum(city.pupils(s["school_code"]) for s in kg if s["public"]),
        "compulsory_school_count": sum(1 for s in city.of(schools, PRIMARY, JUNIOR) if s["first"]),
        "senior_students": sum(city.pupils(s["school_code"]) for s in city.of(schools, SENIOR)),
    }


GROSS = {  # indicator: (levels whose pupils count, age group, pupils of a school)
    "kg_gross_enrolment": ((KG,), "3-5", None),
    "primary_gross_enrolment": ((PRIMARY,), "6-11", None),
    "junior_gross_enrolment": ((JUNIOR,), "12-14", None),
    "senior_gross_enrolment": ((SENIOR,), "15-17", None),
    "disabled_enrolment_rate": ((PRIMARY, JUNIOR, SPECIAL), "disabled_6-14", "disabled"),
}


def _gross_numerator(city: City, schools, levels, what) -> float:
    if what == "disabled":
        return sum(
            r["disabled_regular"] + (r["disabled_home"] or 0)
            for s in city.of(schools, *levels)
            for r in city.students[s["school_code"]]
        )
    return sum(city.pupils(s["school_code"]) for s in city.of(schools, *levels))


def cv(city: City, schools: list[dict], stage: str, name: str) -> float | None:
    """2017 办法: the enrolment-weighted 差异系数 of a resource over the stage's schools."""
    resource, _ = RESOURCES[name]
    table = city.teachers if name in FROM_TEACHERS else city.facilities
    staged = city.of(schools, stage)
    if _one_sided(city, staged, table, None):
        return None
    pairs = [
        (resource(table[s["school_code"]], table[s["school_code"]]), city.pupils(s["school_code"]))
        for s in staged
        if s["school_code"] in table and city.pupils(s["school_code"]) > 0
    ]
    if not pairs:
        return None
    total = sum(p for _, p in pairs)
    mean = sum(x for x, _ in pairs) / total
    if not mean:
        return None
    return math.sqrt(sum(p / total * (x / p - mean) ** 2 for x, p in pairs)) / mean


def reference_values(con, year: int) -> dict[tuple, float | None]:
    city = City(con, year)
    all_schools = list(city.schools.values())
    by_district = {d: [s for s in all_schools if s["district_code"] == d] for d in city.districts}
    result: dict[tuple, float | None] = {}
    units = [("city", city.code, all_schools), *(("district", d, by_district[d]) for d in city.districts)]
    for level, code, schools in units:
        for key, value in {**unit_indicators(city, schools), **counts(city, schools)}.items():
            result[(level, code, key)] = value
    by_school = defaultdict(list)
    for part in all_schools:
        by_school[part["school"]].append(part)
    for code, parts in by_school.items():
        for key, value in unit_indicators(city, parts).items():
            result[("school", code, key)] = value
        for key, value in counts(city, parts).items():
            if value or key.endswith("_count") and any(_counted(key, part) for part in parts):
                result[("school", code, key)] = value
    # gross rates: per district with population; the city over the districts that have it
    for key, (levels, group, what) in GROSS.items():
        reporting = [d for d in city.districts if group in city.population[d]]
        for d in city.districts:
            result[("district", d, key)] = (
                _div(_gross_numerator(city, by_district[d], levels, what), city.population[d][group], 100)
                if d in reporting
                else None
            )
        result[("city", city.code, key)] = (
            _div(
                sum(_gross_numerator(city, by_district[d], levels, what) for d in reporting),
                sum(city.population[d][group] for d in reporting),
                100,
            )
            if reporting
            else None
        )
    # 差异系数 per district and city; the worst per district, and the city's worst district
    for stage in (PRIMARY, JUNIOR):
        for level, code, schools in units:
            for name in RESOURCES:
                result[(level, code, f"{stage}_{name}_cv")] = cv(city, schools, stage, name)
        for d in city.districts:
            members = [result[("district", d, f"{stage}_{name}_cv")] for name in RESOURCES]
            result[("district", d, f"{stage}_cv_worst")] = None if None in members else max(members)
        staged = [d for d in city.districts if city.of(by_district[d], stage)]
        worst = [result[("district", d, f"{stage}_cv_worst")] for d in staged]
        result[("city", city.code, f"{stage}_cv_worst")] = None if None in worst or not worst else max(worst)
    schools_alone = [("school", code, parts) for code, parts in by_school.items()]
    result.update(fitness_values(con, city, [*units, *schools_alone]))
    return result


# 学生体质健康 (《国家学生体质健康标准（2014年修订）》): each rate counted from the pupils' own rows, the bands
# their 学年总分 fell in; exempt pupils (免测) count on neither side, 肥胖率 is over the pupils with a BMI.
FITNESS_BANDS = {
    "fitness_excellent_rate": ("优秀",),
    "fitness_good_rate": ("优秀", "良好"),
    "fitness_pass_rate": ("优秀", "良好", "及格"),
}


def fitness_values(con, city: City, units) -> dict[tuple, float | None]:
    """Every fitness rate of every unit: from the pupils' own rows where the year keeps them (their bands
    counted here), else from the per-grade counts (the demo keeps pupils for its latest year only)."""
    tables = {row[0] for row in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    counts = defaultdict(lambda: defaultdict(int))  # school → tested, excellent, good, passed, measured, obese
    if "fitness_pupils" in tables:
        for code, exempt, band, bmi10, category in con.execute(
                "SELECT school_code, exempt, band, bmi10, bmi_category FROM fitness_pupils WHERE year = ?",
                [city.year]).fetchall():
            tally = counts[code]
            tally["tested"] += not exempt
            tally[band] += not exempt
            tally["measured"] += bmi10 is not None
            tally["obese"] += bmi10 is not None and category == "肥胖"
    if not counts and "fitness" in tables:
        for code, tested, excellent, good, passed, measured, obese in con.execute(
                "SELECT school_code, tested, excellent, good, passed, bmi_measured, obese FROM fitness "
                "WHERE year = ?", [city.year]).fetchall():
            tally = counts[code]
            for name, value in zip(("tested", "优秀", "良好", "及格", "measured", "obese"),
                                   (tested, excellent, good, passed, measured, obese), strict=True):
                tally[name] += value
    result = {}
    for level, code, schools in units:
        # a school's fitness rows name no part: counted once, with its first
        tallies = [counts[s["school"]] for s in schools if s["first"] and s["school"] in counts]
        if not tallies:
            continue
        tested = sum(t["tested"] for t in tallies)
        for key, bands in FITNESS_BANDS.items():
            result[(level, code, key)] = _div(sum(t[b] for t in tallies for b in bands), tested, 100)
        result[(level, code, "fitness_obesity_rate")] = _div(sum(t["obese"] for t in tallies),
                                                             sum(t["measured"] for t in tallies), 100)
    return result


def _counted(key: str, school: dict) -> bool:
    """A count of schools lists the schools it counts (kg_count: each kindergarten, 1)."""
    return {
        "kg_count": school["level"] == KG,
        "kg_public_count": school["level"] == KG and school["public"],
        "compulsory_school_count": school["level"] in (PRIMARY, JUNIOR) and school["first"],
    }.get(key, False)

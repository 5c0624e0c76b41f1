"""The demo city's statistics: seeded, reproducible, calibrated on what published plans report.

Calibration (at scale 1, the city of eduplan.demo.city): 11 districts, about 1,571 primary and
secondary schools (930 primary, 480 junior, 161 senior) and 2,000 kindergartens; 公办园在园 rising
to about 51 % and 普惠 to about 87 % by the last year; a few schools with oversized classes,
fewer each year, so trends exist. A scale factor repeats the districts (×15 ≈ a province of
165 counties and about 53,000 schools).
学生体质健康 results for a sample of each school's pupils come from demo/fitness.py, scored by the
fitness engine (the `fitness` summary for every year, pupil rows for the last).

The generator runs in DuckDB SQL: every random draw is a hash of (seed, what, school, year),
so the same seed gives the same city on any machine with the same DuckDB, and the work is
set-based (a province-scale year takes seconds, not minutes).
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path

import duckdb

from eduplan.demo import fitness
from eduplan.demo.city import CITY_CODE, CITY_NAME, DISTRICTS
from eduplan.indicators.errors import IndicatorError
from eduplan.indicators.schema import create_schema, register_city, tables

DEFAULT_YEARS = tuple(range(2019, 2025))
DEFAULT_SEED = 20240101
# Trends run from this year, whatever years are generated, so one year alone comes out the same
# as that year of a longer run.
BASE_YEAR = 2019
MAX_SCALE = 15

# Schools per level in the whole city at scale 1, and how they are spread: an urban district
# gets URBAN_WEIGHT shares to a county's one.
SCHOOLS_PER_LEVEL = {"kindergarten": 2000, "primary": 930, "junior": 480, "senior": 161}
URBAN_WEIGHT = 1.3
# Every SPANNING_EVERY-th junior school of a district is a 九年一贯制 school (grades 1-9) and every
# SPANNING_EVERY-th senior one a 完全中学 (7-12): the same school codes, their lower stage added.
SPANNING_EVERY = 12
STAGE_OF_GRADE = "CASE WHEN grade <= 6 THEN 'primary' WHEN grade <= 9 THEN 'junior' ELSE 'senior' END"

# (level, first grade, last grade, mean pupils per grade, class cap, name suffix)
LEVELS = (
    ("kindergarten", 1, 3, 55, 30, "幼儿园"),
    ("primary", 1, 6, 150, 45, "小学"),
    ("junior", 7, 9, 260, 50, "中学"),
    ("senior", 10, 12, 380, 50, "高级中学"),
)


@dataclass(frozen=True)
class DemoSpec:
    years: tuple[int, ...] = DEFAULT_YEARS
    seed: int = DEFAULT_SEED
    scale: float = 1.0


def district_list(scale: float) -> list[tuple[str, str, bool]]:
    """The city's districts, repeated for scale > 1 (copy k of 江东区 is 江东区·k)."""
    copies = max(1, round(scale))
    result = []
    for k in range(copies):
        for d in DISTRICTS:
            code = d.code if k == 0 else f"{d.code}{k:02d}"
            name = d.name if k == 0 else f"{d.name}·{k + 1}"
            result.append((code, name, d.urban))
    return result


def _school_counts(scale: float) -> list[tuple[str, str, int, bool]]:
    """(district_code, level, schools, urban) with the city's totals split by weight."""
    districts = district_list(scale)
    weights = [URBAN_WEIGHT if urban else 1.0 for _, _, urban in districts]
    total_weight = sum(weights)
    rows = []
    for level, per_city in SCHOOLS_PER_LEVEL.items():
        wanted = round(per_city * scale)
        shares = [wanted * w / total_weight for w in weights]
        counts = [int(s) for s in shares]
        # largest remainders get the schools the rounding lost, so totals are exact
        for i in sorted(range(len(shares)), key=lambda i: counts[i] - shares[i])[: wanted - sum(counts)]:
            counts[i] += 1
        rows += [(code, level, n, urban) for (code, _, urban), n in zip(districts, counts, strict=True)]
    return rows


def generate(con: duckdb.DuckDBPyConnection, spec: DemoSpec = DemoSpec()) -> None:
    """Write the demo city's statistics for spec.years into the database (replacing those years)."""
    if not 0 < spec.scale <= MAX_SCALE:
        raise IndicatorError(f"scale must be above 0 and at most {MAX_SCALE}, not {spec.scale}")
    if not spec.years:
        raise IndicatorError("no years to generate")
    create_schema(con)
    seed = int(spec.seed)
    con.execute("CREATE OR REPLACE TEMP MACRO u(key) AS (hash(key) % 1000003)::DOUBLE / 1000003")
    con.execute("CREATE OR REPLACE TEMP TABLE demo_plan (district_code VARCHAR, level VARCHAR, n INTEGER, urban BOOLEAN)")
    con.executemany("INSERT INTO demo_plan VALUES (?, ?, ?, ?)", _school_counts(spec.scale))
    con.execute("CREATE OR REPLACE TEMP TABLE demo_levels (level VARCHAR, g0 INTEGER, g1 INTEGER, "
                "per_grade DOUBLE, cap INTEGER, suffix VARCHAR)")
    con.executemany("INSERT INTO demo_levels VALUES (?, ?, ?, ?, ?, ?)", [list(x) for x in LEVELS])
    con.execute("CREATE OR REPLACE TEMP TABLE demo_districts (code VARCHAR, name VARCHAR)")
    con.executemany("INSERT INTO demo_districts VALUES (?, ?)", [[c, n] for c, n, _ in district_list(spec.scale)])
    con.execute("CREATE OR REPLACE TEMP TABLE demo_years AS SELECT unnest(?::INTEGER[]) AS year", [list(spec.years)])
    for step in _STEPS:
        con.execute(step.format(seed=seed, first=BASE_YEAR, spanning=SPANNING_EVERY, stage_of_grade=STAGE_OF_GRADE))
    fitness.build(con, seed, BASE_YEAR)  # demo_fitness, from demo_students
    con.execute("BEGIN TRANSACTION")
    try:
        register_city(con, CITY_CODE, CITY_NAME, [(c, n) for c, n, _ in district_list(spec.scale)])
        years_sql = ", ".join(str(int(y)) for y in spec.years)
        for name, table in tables().items():
            con.execute(f"DELETE FROM {name} WHERE year IN ({years_sql})")
            columns = ", ".join(["year", *table.column_names])
            con.execute(f"INSERT INTO {name} ({columns}) SELECT {columns} FROM demo_{name}")
        fitness.store_latest_pupils(con, list(spec.years))
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    for name in [*tables(), "plan", "levels", "years", "base", "districts", "school_size"]:
        con.execute(f"DROP TABLE IF EXISTS demo_{name}")


# Each step builds one temp table; {seed} and {first} (BASE_YEAR) are filled in.
_STEPS = (
    # every school that ever exists, with its year-independent traits
    """CREATE OR REPLACE TEMP TABLE demo_base AS
       SELECT p.district_code || CAST(l.rank AS VARCHAR) || lpad(CAST(i AS VARCHAR), 4, '0') AS school_code,
              p.district_code, CASE WHEN i % {spanning} <> 0 THEN p.level WHEN p.level = 'junior' THEN 'nine_year'
                                    WHEN p.level = 'senior' THEN 'complete' ELSE p.level END AS level, p.urban, i,
              o.name AS district_name, lv.suffix,
              CASE WHEN i % {spanning} = 0 AND p.level = 'junior' THEN 1
                   WHEN i % {spanning} = 0 AND p.level = 'senior' THEN 7 ELSE lv.g0 END AS g0,
              lv.g1, lv.per_grade, lv.cap,
              u('{seed}size' || p.district_code || p.level || i) AS u_size,
              u('{seed}pub' || p.district_code || p.level || i) AS u_public,
              u('{seed}ph' || p.district_code || p.level || i) AS u_puhui,
              u('{seed}big' || p.district_code || p.level || i) AS u_big,
              u('{seed}open' || p.district_code || p.level || i) AS u_open,
              u('{seed}res' || p.district_code || p.level || i) AS u_res
       FROM demo_plan p
       JOIN (SELECT level, row_number() OVER (ORDER BY g0) AS rank FROM demo_levels) l USING (level)
       JOIN demo_levels lv USING (level)
       JOIN demo_districts o ON o.code = p.district_code,
       LATERAL (SELECT unnest(range(1, p.n + 1)) AS i)""",
    # schools per year: a few open after the first year (新增), kindergartens turn public / 普惠
    """CREATE OR REPLACE TEMP TABLE demo_schools AS
       SELECT y.year, b.school_code,
              b.district_name || '第' || b.i || b.suffix AS name,
              b.district_code, b.level,
              CASE WHEN b.level = 'kindergarten' THEN b.u_public < 0.37 + 0.017 * (y.year - {first})
                   ELSE b.u_public < 0.93 END AS public,
              CASE WHEN b.level <> 'kindergarten' THEN NULL
                   ELSE b.u_public < 0.37 + 0.017 * (y.year - {first}) OR b.u_puhui < 0.62 + 0.023 * (y.year - {first})
              END AS puhui,
              b.level IN ('junior', 'senior') AND NOT b.urban AND b.u_res < 0.5 AS boarding,
              b.*
       FROM demo_base b CROSS JOIN demo_years y
       WHERE b.u_open > 0.04 OR y.year >= {first} + 1 + CAST(floor(b.u_open * 125) AS INTEGER) % 5""",
    # pupils per grade; public kindergartens are larger; enrolment grows slowly
    """CREATE OR REPLACE TEMP TABLE demo_students AS
       SELECT s.year, s.school_code, g AS grade,
              greatest(8, CAST(round(s.per_grade * (CASE WHEN s.urban THEN 1.3 ELSE 0.75 END)
                    * (0.35 + 1.3 * s.u_size)
                    * (CASE WHEN s.level = 'kindergarten' AND s.public THEN 1.25 ELSE 1 END)
                    * (1 + 0.015 * (s.year - {first}))
                    * (0.95 + 0.1 * u('{seed}n' || s.school_code || s.year || g))) AS INTEGER)) AS enrolled,
              s.level, s.urban, s.public, s.u_big, CASE WHEN g <= 6 THEN least(s.cap, 45) ELSE s.cap END AS cap
       FROM demo_schools s, LATERAL (SELECT unnest(range(s.g0, s.g1 + 1)) AS g)""",
    """CREATE OR REPLACE TEMP TABLE demo_students AS
       SELECT *,
              CAST(round(enrolled * (CASE WHEN urban THEN 0.26 ELSE 0.07 END)
                   * (CASE WHEN public THEN 1 ELSE 2.5 END) * u('{seed}m' || school_code || year || grade)) AS INTEGER) AS migrant,
              CAST(floor(enrolled * 0.008 * u('{seed}d' || school_code || year || grade)) AS INTEGER) AS disabled_regular,
              CASE WHEN level IN ('primary', 'junior', 'nine_year') AND u('{seed}h' || school_code || year || grade) < 0.08
                   THEN 1 ELSE 0 END AS disabled_home,
              CASE WHEN grade IN (9, 12) THEN CAST(round(enrolled / least(1, 0.95 + 0.006 * (year - {first})
                   + 0.02 * u('{seed}c' || school_code || year))) AS INTEGER) END AS cohort_entry
       FROM demo_students""",
    # the grade-1 cohort of grade 9: nine years of a few leavers, net of transfers (九年巩固率 ≈ 95-97 %)
    """CREATE OR REPLACE TEMP TABLE demo_students AS
       SELECT *, CASE WHEN grade = 9 THEN CAST(round(cohort_entry / (0.95 + 0.003 * (year - {first})
                   + 0.02 * u('{seed}g1' || school_code || year))) AS INTEGER) END AS cohort_grade1
       FROM demo_students""",
    # classes: pupils split evenly; a shrinking share of schools crowds them (大班额)
    """CREATE OR REPLACE TEMP TABLE demo_classes AS
       WITH sized AS (
         SELECT year, school_code, grade, enrolled,
                greatest(1, CAST(ceil(enrolled / (CASE WHEN level <> 'kindergarten'
                     AND u_big < 0.06 - 0.009 * (year - {first}) THEN 62.0 ELSE cap END)) AS INTEGER)) AS n
         FROM demo_students)
       SELECT year, school_code, grade, k AS class_no,
              enrolled // n + CASE WHEN k <= enrolled % n THEN 1 ELSE 0 END AS size
       FROM sized, LATERAL (SELECT unnest(range(1, n + 1)) AS k)""",
    # teachers, health staff and facilities follow the school's size (a spanning school's each part's,
    # `level` the part's stage and `stage` naming it), with per-school noise
    """CREATE OR REPLACE TEMP TABLE demo_school_size AS
       WITH parts AS (SELECT s.year, s.school_code, CASE WHEN s.level IN ('nine_year', 'complete')
                             THEN {stage_of_grade} END AS stage, st.enrolled, st.grade
                      FROM demo_schools s JOIN demo_students st USING (year, school_code)),
            pupils AS (SELECT year, school_code, stage, sum(enrolled) AS pupils FROM parts GROUP BY ALL),
            classes AS (SELECT p.year, p.school_code, p.stage, count(*) AS classes
                        FROM parts p JOIN demo_classes c USING (year, school_code, grade) GROUP BY ALL)
       SELECT s.year, s.school_code, coalesce(p.stage, s.level) AS level, p.stage, s.u_res, p.pupils, c.classes
       FROM demo_schools s JOIN pupils p USING (year, school_code)
       JOIN classes c ON c.year = p.year AND c.school_code = p.school_code AND c.stage IS NOT DISTINCT FROM p.stage""",
    """CREATE OR REPLACE TEMP TABLE demo_teachers AS
       WITH f AS (
         SELECT *, greatest(3, CAST(round(pupils / (CASE level WHEN 'kindergarten' THEN 14 WHEN 'primary' THEN 16.5
                WHEN 'junior' THEN 12 ELSE 11.5 END) * (0.85 + 0.3 * u('{seed}t' || school_code || year))) AS INTEGER)) AS fulltime,
                u('{seed}q' || school_code) AS uq
         FROM demo_school_size)
       SELECT year, school_code, fulltime,
              CAST(round(fulltime * (0.45 + 0.4 * uq + 0.02 * (year - {first}))) AS INTEGER) AS above_degree,
              CAST(round(fulltime * (0.03 + 0.1 * u_res)) AS INTEGER) AS backbone,
              CAST(round(fulltime * (0.04 + 0.05 * uq)) AS INTEGER) AS pe,
              CAST(round(fulltime * (0.02 + 0.04 * u_res)) AS INTEGER) AS music,
              CAST(round(fulltime * (0.02 + 0.04 * uq)) AS INTEGER) AS art,
              CASE WHEN level <> 'kindergarten' AND u('{seed}psy' || school_code) < 0.55 + 0.08 * (year - {first})
                   THEN 1 ELSE 0 END AS psych_fulltime,
              CASE WHEN level <> 'kindergarten' AND u('{seed}psp' || school_code || year) < 0.7 THEN 1 ELSE 0 END
                AS psych_parttime,
              CAST(round(fulltime * 0.3) AS INTEGER) AS exchange_eligible,
              CAST(round(fulltime * 0.3 * (0.04 + 0.012 * (year - {first}) + 0.06 * u('{seed}x' || school_code || year))) AS INTEGER) AS exchanged,
              0 AS exchanged_backbone, stage
       FROM f""",
    """UPDATE demo_teachers SET exchanged_backbone =
              CAST(round(exchanged * (0.15 + 0.15 * u('{seed}xb' || school_code || year))) AS INTEGER)""",
    """CREATE OR REPLACE TEMP TABLE demo_health_staff AS
       SELECT year, school_code,
              CASE WHEN u('{seed}hp' || school_code) < 0.6 + 0.05 * (year - {first}) THEN 1 + pupils // 1500 ELSE 0 END
                AS health_professionals,
              CASE WHEN u('{seed}ht' || school_code) < 0.8 THEN 1 ELSE 0 END AS health_teachers, stage
       FROM demo_school_size""",
    """CREATE OR REPLACE TEMP TABLE demo_facilities AS
       WITH f AS (SELECT *, CASE level WHEN 'junior' THEN 1.3 WHEN 'senior' THEN 1.4 ELSE 1 END AS lv,
                         u('{seed}a' || school_code) AS ua, u('{seed}e' || school_code) AS ue
                  FROM demo_school_size)
       SELECT year, school_code,
              round(pupils * lv * (3.6 + 3.5 * ua), 1) AS teaching_area,
              round(pupils * lv * (5.5 + 7.0 * u_res), 1) AS sports_area,
              round(pupils * lv * (1500 + 1500 * ue) * (1 + 0.04 * (year - {first})), 0) AS equipment_value,
              classes + CAST(floor(3 * ua) AS INTEGER) AS classrooms,
              CAST(round((classes + floor(3 * ua)) * least(1, 0.8 + 0.2 * ue + 0.03 * (year - {first}))) AS INTEGER)
                AS multimedia_rooms, stage
       FROM f""",
    # school-age population per district, from the pupils and a rising gross enrolment rate
    """CREATE OR REPLACE TEMP TABLE demo_population AS
       WITH pupils AS (
         SELECT s.year, s.district_code,
                CASE WHEN s.level IN ('nine_year', 'complete') THEN {stage_of_grade} ELSE s.level END AS level,
                sum(st.enrolled) AS enrolled, sum(st.disabled_regular + st.disabled_home) AS disabled
         FROM demo_schools s JOIN demo_students st USING (year, school_code) GROUP BY ALL),
       groups AS (
         SELECT year, district_code, CASE level WHEN 'kindergarten' THEN '3-5' WHEN 'primary' THEN '6-11'
                    WHEN 'junior' THEN '12-14' ELSE '15-17' END AS age_group,
                enrolled / (CASE level WHEN 'kindergarten' THEN 0.86 + 0.018 * (year - {first})
                     WHEN 'primary' THEN 1.01 WHEN 'junior' THEN 1.0 ELSE 0.62 END) AS population
         FROM pupils
         UNION ALL
         SELECT year, district_code, 'disabled_6-14', sum(disabled) / (0.93 + 0.01 * (year - {first})
                     + 0.02 * u('{seed}dp' || district_code))
         FROM pupils WHERE level IN ('primary', 'junior') GROUP BY year, district_code)
       SELECT year, district_code, age_group,
              CAST(round(population * (0.98 + 0.04 * u('{seed}pop' || district_code || age_group || year))) AS INTEGER)
                AS population
       FROM groups""",
)


def write_files(out, year: int, spec: DemoSpec = DemoSpec()) -> None:
    """The demo city's statistics of one year as the platform's import template (.xlsx or csv folder)."""
    from pathlib import Path

    from eduplan.indicators.importer import write_template
    from eduplan.indicators.schema import connect

    con = connect()
    generate(con, DemoSpec(years=(year,), seed=spec.seed, scale=spec.scale))
    write_template(Path(out), con, year)
    con.close()


def seed_file(path: Path, today: dt.date | None = None) -> bool:
    """The demo city's statistics, computed, into a new database at path (nothing when it exists); True if seeded.

    The calibrated years are relabelled to end the year before today, so a plan for this year has last
    autumn's census and a trend before it whatever the date. Written to a side file and moved into place,
    so a failure leaves no half-written database.
    """
    from eduplan.indicators.engine import compute
    from eduplan.indicators.schema import connect

    if path.exists():
        return False
    shift = (today or dt.date.today()).year - 1 - DEFAULT_YEARS[-1]
    path.parent.mkdir(parents=True, exist_ok=True)
    side = path.with_name(path.name + ".seeding")
    side.unlink(missing_ok=True)
    con = connect(side)
    try:
        generate(con, DemoSpec())
        for name in [*tables(), fitness.PUPILS_TABLE]:
            con.execute(f"UPDATE {name} SET year = year + ?", [shift])
        compute(con)
    finally:
        con.close()
    os.replace(side, path)
    return True

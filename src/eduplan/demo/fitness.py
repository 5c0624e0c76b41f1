"""The demo city's 学生体质健康 results: pupils with plausible test results, scored by the real engine.

Every school tests a sample of PUPILS_PER_GROUP pupils per grade and sex (the demo keeps its database
small; the rates are the sample's). A pupil's results follow one latent fitness (shared by the items,
so a strong runner is likely strong elsewhere) plus an item's own noise, a school effect and a slow
improvement year on year; an item's value is the threshold of the table level nearest that target
score, so the values are those the grade's and sex's tables hold. Height follows the grade and sex;
BMI scatters around the middle of the grade's normal band, which puts about one pupil in six into
超重 and one in twelve into 肥胖. One pupil in two hundred is exempt (免测).
The draws are hashes of (seed, what, school, year, grade, sex, pupil), as in statistics.py.
"""

from __future__ import annotations

import duckdb

from eduplan.fitness import engine, standard
from eduplan.fitness.store import PUPILS_TABLE, _pupil_columns, ensure_tables, summary_sql

PUPILS_PER_GROUP = 4
# mean height (cm) by table grade; boys from 初一 on are taller by BOYS_EXTRA_CM
HEIGHT_CM = {
    "1": 120,
    "2": 126,
    "3": 131,
    "4": 137,
    "5": 142,
    "6": 148,
    "7": 155,
    "8": 159,
    "9": 162,
    "10": 164,
    "11": 165,
    "12": 166,
}
BOYS_EXTRA_CM = 7
BMI_SHIFT10, BMI_SPREAD10 = 8, 34  # BMI × 10 above the normal band's middle, and its spread
MEAN_TARGET, PUPIL_SPREAD, ITEM_SPREAD, SCHOOL_SPREAD, YEARLY_GAIN = 71, 11, 8, 10, 1.5


def _grade_code_sql(grade: str) -> str:
    return (
        f"CASE WHEN {grade} <= 6 THEN 10 + {grade} WHEN {grade} <= 9 THEN 14 + {grade} ELSE 21 + {grade} END"
    )


def build(con: duckdb.DuckDBPyConnection, seed: int, first_year: int) -> None:
    """Temp tables demo_fitness (the summary) and demo_fitness_pupils (fitness_pupils' shape) from
    demo_students (and the u() macro) of statistics.generate."""
    engine.install_standard(con)
    heights = ", ".join(f"('{g}', {cm})" for g, cm in HEIGHT_CM.items())
    z = "(u('{s}' || {k}) + u('{s}b' || {k}) + u('{s}c' || {k}) - 1.5) * 2"  # ≈ N(0, 1)
    key = "p.school_code || p.year || p.grade_code || p.sex || p.i"
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE demo_fitness_base AS
        SELECT row_number() OVER () AS row_no, p.*, g.tgrade, g.wgroup,
               'D' || p.school_code || p.year || lpad(CAST(p.grade_code AS VARCHAR), 2, '0') || p.sex
                   || lpad(CAST(p.i AS VARCHAR), 3, '0') AS student_id,
               u('{seed}x' || {key}) < 0.005 AS exempt,
               {z.format(s=f"{seed}z", k=key)} AS z,
               (u('{seed}e' || p.school_code) - 0.5) * {SCHOOL_SPREAD} + {YEARLY_GAIN} * (p.year - {first_year}) AS lift,
               CAST(round((h.cm + CASE WHEN p.sex = 'M' AND p.grade_code > 20 THEN {BOYS_EXTRA_CM} ELSE 0 END
                     + 6 * {z.format(s=f"{seed}h", k=key)}) * 10) AS BIGINT) * 10 AS height,
               {z.format(s=f"{seed}w", k=key)} AS zb
        FROM (SELECT s.year, s.school_code, {_grade_code_sql("s.grade")} AS grade_code, sex, i
              FROM demo_students s, (VALUES ('M'), ('F')) AS x(sex),
                   LATERAL (SELECT unnest(range(least({PUPILS_PER_GROUP}, s.enrolled // 2))) AS i)
              WHERE s.level <> 'kindergarten') p
        JOIN std_grades g USING (grade_code)
        JOIN (VALUES {heights}) AS h(tgrade, cm) ON h.tgrade = g.tgrade
    """)
    con.execute("""
        -- the value for every whole target score of every table, once: the level nearest below it
        CREATE OR REPLACE TEMP TABLE demo_fitness_values AS
        SELECT t.item, t.tgrade, t.sex, t.target, l.key * i.sign AS value
        FROM (SELECT DISTINCT item, tgrade, sex, target FROM std_levels, range(10, 101) AS r(target)) t
        JOIN std_items i USING (item)
        ASOF JOIN std_levels l ON t.item = l.item AND t.tgrade = l.tgrade AND t.sex = l.sex AND t.target >= l.score
    """)
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE demo_fitness_items AS
        SELECT b.row_no, b.tgrade, b.sex, w.item,
               CAST(greatest(10, least(100, round({MEAN_TARGET} + b.lift + {PUPIL_SPREAD} * b.z
                   + {ITEM_SPREAD} * {z.format(s=f"{seed}i", k="b.student_id || w.item")}))) AS INTEGER) AS target
        FROM demo_fitness_base b JOIN std_weights w ON w.wgroup = b.wgroup AND w.sex = b.sex
        WHERE NOT b.exempt AND w.item <> '{standard.BMI_ITEM}'
    """)
    con.execute("""
        CREATE OR REPLACE TEMP TABLE demo_fitness_items AS
        SELECT d.row_no, d.item, v.value FROM demo_fitness_items d JOIN demo_fitness_values v USING (item, tgrade, sex, target)
    """)
    bmi10 = f"n.mid + {BMI_SHIFT10} + round({BMI_SPREAD10} * b.zb)"
    pivots = ", ".join(f"max(value) FILTER (WHERE item = '{i}') AS {i}" for i in standard.scored_items())
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE demo_fitness_results AS
        SELECT b.row_no, b.student_id, b.grade_code, b.sex, b.exempt,
               CASE WHEN NOT b.exempt THEN b.height END AS height,
               CASE WHEN NOT b.exempt THEN CAST(({bmi10}) * b.height * b.height // 10000000 AS BIGINT) END AS weight,
               {", ".join(f"v.{i}" for i in standard.scored_items())},
               b.year, b.school_code
        FROM demo_fitness_base b
        JOIN (SELECT tgrade, sex, (key + lead(key) OVER (PARTITION BY tgrade, sex ORDER BY key)) // 2 AS mid,
                     category FROM std_bmi) n ON n.tgrade = b.tgrade AND n.sex = b.sex AND n.category = '正常'
        LEFT JOIN (SELECT row_no, {pivots} FROM demo_fitness_items GROUP BY row_no) v USING (row_no)
        ORDER BY b.row_no
    """)
    engine.score(con, "demo_fitness_results", "demo_fitness_scores", temp=True)
    _pupils_table(con)
    con.execute(f"CREATE OR REPLACE TEMP TABLE demo_fitness AS {summary_sql('demo_fitness_pupils')}")
    for name in ("base", "values", "items", "results", "scores"):
        con.execute(f"DROP TABLE IF EXISTS demo_fitness_{name}")


def _pupils_table(con: duckdb.DuckDBPyConnection) -> None:
    """demo_fitness_pupils in the column order of fitness_pupils."""
    source = {
        "year": "r.year",
        "school_code": "r.school_code",
        "student_id": "r.student_id",
        "grade_code": "r.grade_code",
        "sex": "r.sex",
        "exempt": "r.exempt",
        "class_code": "CAST(r.grade_code * 100 + 1 AS VARCHAR)",
        "class_name": "''",
        "ethnicity": "'01'",
        "name": "''",
        "birth_date": "''",
        "address": "''",
    }
    source |= {f"v_{k}": f"r.{k}" for k in standard.items()}
    source |= {f"s_{k}": f"s.{k}" for k in [*standard.scored_items(), standard.BMI_ITEM]}
    source |= {
        k: f"s.{k}" for k in ("bmi10", "bmi_category", "standard10", "bonus", "total10", "band", "complete")
    }
    columns = ", ".join(f"{source[name]} AS {name}" for name, _ in _pupil_columns())
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE demo_fitness_pupils AS SELECT {columns} "
        "FROM demo_fitness_results r JOIN demo_fitness_scores s USING (row_no)"
    )


def store_latest_pupils(con: duckdb.DuckDBPyConnection, years: list[int]) -> None:
    """The latest year's pupil rows into fitness_pupils (drill-down and the upload export); earlier years
    keep their summary only, which is all the indicators need."""
    ensure_tables(con)
    latest = max(years)
    con.execute(f"DELETE FROM {PUPILS_TABLE} WHERE year IN ({', '.join(str(int(y)) for y in years)})")
    con.execute(f"INSERT INTO {PUPILS_TABLE} SELECT * FROM demo_fitness_pupils WHERE year = ?", [latest])
    con.execute("DROP TABLE IF EXISTS demo_fitness_pupils")

"""Scoring by the 2014 standard as set-based SQL in DuckDB: every range lookup is an ASOF join.

The input is a table of results, one row per pupil:
    row_no, student_id, grade_code (11–44), sex ('M'/'F'), exempt (免测), height, weight and one
    column per item (`standard.scored_items()`), every value an integer in hundredths of its unit
    (cm, kg, ml, s, count; the long runs in seconds).
`score()` writes one row per pupil: each item's score (NULL where not tested), BMI, 标准分, 附加分,
学年总分 and 等级. How it works:
1. The item columns are unpivoted into (pupil, item, value); UNPIVOT drops missing values.
2. A lower-is-better value (a time) is negated, so every table reads "the highest level whose key the
   value reaches": one ASOF join on (item, table grade, sex, key ≥ threshold) finds it; no match
   (below the lowest row) scores 0. The 加分 tables are the same join on their absolute thresholds.
3. BMI is weight / height², rounded half-up to 0.1 in integer arithmetic (BMI×10 = ⌊(2·w·10⁷ + h²) /
   2h²⌋ with w, h in hundredths), and its band is an ASOF join on the band's lower bound.
4. 标准分 = Σ score × weight% over the weights table's items, kept as tenths, rounded half-up;
   附加分 at most 20; 学年总分 = 标准分 + 附加分; 等级 from the grade bands.
A missing item scores 0 (the pupil's row says `complete = false`); an exempt pupil gets no scores and
the band 免测 (the standard: 免予执行的学生，毕业时成绩注明免测).
"""

from __future__ import annotations

import re
from importlib import resources

import duckdb

from . import standard
from .standard import BMI_ITEM, SEX_ZH

EXEMPT_BAND = "免测"
BONUS_CAP = 20
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def _ident(name: str) -> str:
    if not _NAME.match(name):
        raise ValueError(f"not a table name: {name!r}")
    return name


def _data_path(name: str) -> str:
    return str(resources.files(__package__).joinpath("data", name))


def install_standard(con: duckdb.DuckDBPyConnection) -> None:
    """The standard's tables as temp tables std_* on this connection (idempotent), read from the
    package's CSVs by DuckDB itself; thresholds become signed hundredths (a time negated)."""
    if con.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = 'std_levels'").fetchone()[0]:
        return
    csv = "read_csv('{}', all_varchar = true)".format
    cents = "CAST(CAST({} AS DECIMAL(12, 2)) * 100 AS BIGINT)".format
    tenths = "CAST(CAST({} AS DECIMAL(12, 1)) * 10 AS BIGINT)".format
    sign = "(CASE direction WHEN 'lower_better' THEN -1 ELSE 1 END)"
    con.execute(f"""
        CREATE TEMP TABLE std_levels AS
        SELECT item, grade AS tgrade, sex, CAST(score AS INTEGER) AS score, {sign} * {cents("threshold")} AS key
        FROM {csv(_data_path("scores.csv"))} WHERE threshold IS NOT NULL;
        CREATE TEMP TABLE std_bonus AS
        SELECT item, grade AS tgrade, sex, CAST(bonus_points AS INTEGER) AS points,
               {sign} * {cents("threshold_abs")} AS key
        FROM {csv(_data_path("bonus.csv"))};
        CREATE TEMP TABLE std_bmi AS
        SELECT grade AS tgrade, sex, CAST(score AS INTEGER) AS score, category_zh AS category,
               coalesce({tenths("bmi_min")}, -1) AS low
        FROM {csv(_data_path("bmi.csv"))};
        CREATE TEMP TABLE std_grades AS
        SELECT CAST(grade_code AS INTEGER) AS grade_code, table_grade AS tgrade, weights_group AS wgroup, grade_zh
        FROM {csv(_data_path("grades.csv"))};
        CREATE TEMP TABLE std_weights AS
        SELECT "group" AS wgroup, sex, item, CAST(weight_percent AS INTEGER) AS weight
        FROM {csv(_data_path("weights.csv"))};
        CREATE TEMP TABLE std_items AS
        SELECT i.item, i.item_zh, {cents("plausible_min")} AS low, {cents("plausible_max")} AS high,
               coalesce(d.sign, 1) AS sign
        FROM {csv(_data_path("items.csv"))} i
        LEFT JOIN (SELECT DISTINCT item, {sign} AS sign FROM {csv(_data_path("scores.csv"))}) d USING (item);
    """)


def results_table_sql(name: str) -> str:
    """CREATE TABLE for an empty results table of the shape `score()` reads."""
    columns = ", ".join(f"{item} BIGINT" for item in standard.items())
    return (
        f"CREATE TABLE {_ident(name)} (row_no BIGINT, student_id VARCHAR, grade_code INTEGER, "
        f"sex VARCHAR, exempt BOOLEAN, {columns})"
    )


def _unpivot(table: str, item_keys: list[str], where: str = "TRUE") -> str:
    return (
        f"(UNPIVOT (SELECT row_no, grade_code, sex, {', '.join(item_keys)} FROM {table} WHERE {where}) "
        f"ON {', '.join(item_keys)} INTO NAME item VALUE value)"
    )


def problems(con: duckdb.DuckDBPyConnection, table: str, require_complete: bool = False) -> list[tuple]:
    """(row_no, column, Chinese message) for every value the engine refuses, in row order."""
    install_standard(con)
    table = _ident(table)
    measured = list(standard.items())
    complete_check = ""
    if require_complete:
        complete_check = f"""
        UNION ALL
        SELECT r.row_no, i.item_zh, '缺少' || i.item_zh || '成绩；如因病或残疾免予执行，请在身高栏填写"免测"'
        FROM {table} r JOIN std_grades g USING (grade_code)
        JOIN std_weights w ON w.wgroup = g.wgroup AND w.sex = r.sex
        JOIN std_items i ON i.item = w.item OR (w.item = 'bmi' AND i.item IN ('height', 'weight'))
        LEFT JOIN {_unpivot(table, measured)} v ON v.row_no = r.row_no AND v.item = i.item
        WHERE NOT r.exempt AND v.value IS NULL"""
    rows = con.execute(f"""
        SELECT r.row_no, '年级编号', '年级编号 ' || coalesce(CAST(r.grade_code AS VARCHAR), '（空）')
               || ' 不存在（应为 11–16、21–23、31–33、41–44）'
        FROM {table} r WHERE r.grade_code IS NULL OR r.grade_code NOT IN (SELECT grade_code FROM std_grades)
        UNION ALL
        SELECT row_no, '性别', '性别应为 1（男）或 2（女）' FROM {table} WHERE sex IS NULL OR sex NOT IN ('M', 'F')
        UNION ALL
        SELECT v.row_no, i.item_zh, i.item_zh || ' ' || {_shown("v.value", "i.item")}
               || ' 超出合理范围（' || {_shown("i.low", "i.item")} || '–' || {_shown("i.high", "i.item")} || '）'
        FROM {_unpivot(table, measured)} v JOIN std_items i USING (item)
        WHERE v.value < i.low OR v.value > i.high
        UNION ALL
        SELECT v.row_no, i.item_zh, g.grade_zh || (CASE v.sex WHEN 'M' THEN '男' ELSE '女' END)
               || '生不测' || i.item_zh || '，此栏应为空'
        FROM {_unpivot(table, standard.scored_items())} v JOIN std_items i USING (item)
        JOIN std_grades g USING (grade_code)
        LEFT JOIN std_weights w ON w.wgroup = g.wgroup AND w.sex = v.sex AND w.item = v.item
        WHERE w.item IS NULL AND v.sex IN ('M', 'F')
        {complete_check}
        ORDER BY 1, 2
    """).fetchall()
    return rows


def _shown(value: str, item: str) -> str:
    """SQL that writes a hundredths value the way a PE teacher reads it (3'25", 10.2, 1605)."""
    return (
        f"(CASE WHEN {item} IN ('run_800m', 'run_1000m', 'shuttle_50x8') "
        f"THEN CAST({value} // 6000 AS VARCHAR) || '''' || lpad(CAST(({value} // 100) % 60 AS VARCHAR), 2, '0') || '\"' "
        f"WHEN {value} % 100 = 0 THEN CAST({value} // 100 AS VARCHAR) "
        f"ELSE rtrim(CAST(CAST({value} AS DECIMAL(18, 2)) / 100 AS VARCHAR), '0') END)"
    )


def _band_sql(total10: str) -> str:
    cases = " ".join(f"WHEN {total10} >= {low} THEN '{name}'" for name, low in standard.total_bands())
    return f"CASE {cases} END"


def score(con: duckdb.DuckDBPyConnection, table: str, out: str = "fitness_scores") -> None:
    """Score every pupil of `table` into table `out` (replaced). Refused values must be checked first."""
    install_standard(con)
    table, out = _ident(table), _ident(out)
    items = standard.scored_items()
    pivots = ", ".join(f"max(score) FILTER (WHERE item = '{i}') AS {i}" for i in items + [BMI_ITEM])
    con.execute(f"""
        CREATE OR REPLACE TABLE {out} AS
        WITH pupils AS (
            SELECT r.row_no, r.grade_code, r.sex, r.exempt, r.height, r.weight, g.tgrade, g.wgroup
            FROM {table} r JOIN std_grades g USING (grade_code)
        ),
        keyed AS (
            SELECT v.row_no, p.tgrade, p.wgroup, p.sex, v.item, v.value * i.sign AS key
            FROM {_unpivot(table, items, "NOT exempt")} v
            JOIN std_items i USING (item) JOIN pupils p USING (row_no)
        ),
        item_scores AS (
            SELECT k.row_no, k.wgroup, k.sex, k.item, coalesce(l.score, 0) AS score, coalesce(b.points, 0) AS bonus
            FROM keyed k
            ASOF LEFT JOIN std_levels l
                ON k.item = l.item AND k.tgrade = l.tgrade AND k.sex = l.sex AND k.key >= l.key
            ASOF LEFT JOIN std_bonus b
                ON k.item = b.item AND k.tgrade = b.tgrade AND k.sex = b.sex AND k.key >= b.key
        ),
        bmis AS (
            SELECT row_no, tgrade, wgroup, sex,
                   (2 * CAST(weight AS HUGEINT) * 10000000 + CAST(height AS HUGEINT) * height)
                   // (2 * CAST(height AS HUGEINT) * height) AS bmi10
            FROM pupils WHERE NOT exempt AND height IS NOT NULL AND weight IS NOT NULL
        ),
        bmi_scores AS (
            SELECT m.row_no, m.wgroup, m.sex, CAST(m.bmi10 AS INTEGER) AS bmi10, s.score, s.category
            FROM bmis m ASOF JOIN std_bmi s ON m.tgrade = s.tgrade AND m.sex = s.sex AND m.bmi10 >= s.low
        ),
        all_scores AS (
            SELECT row_no, wgroup, sex, item, score, bonus FROM item_scores
            UNION ALL
            SELECT row_no, wgroup, sex, '{BMI_ITEM}', score, 0 FROM bmi_scores
        ),
        per_pupil AS (
            SELECT a.row_no, {pivots}, sum(a.score * w.weight) AS sw, least(sum(a.bonus), {BONUS_CAP}) AS bonus,
                   count(*) AS tested
            FROM all_scores a JOIN std_weights w USING (wgroup, sex, item)
            GROUP BY a.row_no
        ),
        expected AS (SELECT wgroup, sex, count(*) AS n FROM std_weights GROUP BY ALL)
        SELECT p.row_no, {", ".join(f"x.{i}" for i in items)}, m.bmi10, m.category AS bmi_category, x.{BMI_ITEM},
               CASE WHEN NOT p.exempt THEN (coalesce(x.sw, 0) + 5) // 10 END AS standard10,
               CASE WHEN NOT p.exempt THEN coalesce(x.bonus, 0) END AS bonus,
               CASE WHEN NOT p.exempt THEN (coalesce(x.sw, 0) + 5) // 10 + 10 * coalesce(x.bonus, 0) END AS total10,
               CASE WHEN p.exempt THEN '{EXEMPT_BAND}'
                    ELSE {_band_sql("((coalesce(x.sw, 0) + 5) // 10 + 10 * coalesce(x.bonus, 0))")} END AS band,
               p.exempt OR coalesce(x.tested, 0) = e.n AS complete
        FROM pupils p JOIN expected e USING (wgroup, sex)
        LEFT JOIN per_pupil x USING (row_no)
        LEFT JOIN bmi_scores m USING (row_no)
    """)


def graduation(con: duckdb.DuckDBPyConnection, table: str) -> list[tuple[str, int]]:
    """毕业成绩 ×10 per pupil from a table (student_id, total10, final BOOLEAN), one row per school year:
    毕业当年学年总分 × 50% + 其他学年学年总分的平均 × 50%, half-up to 0.1 in integers
    (⌊(2(n·F + ΣO) + 2n) / 4n⌋ for n other years); with no other year, the final year's total."""
    table = _ident(table)
    return con.execute(f"""
        WITH y AS (
            SELECT student_id, max(total10) FILTER (WHERE final) AS f,
                   coalesce(sum(total10) FILTER (WHERE NOT final), 0) AS others, count(*) FILTER (WHERE NOT final) AS n
            FROM {table} GROUP BY student_id HAVING count(*) FILTER (WHERE final) = 1
        )
        SELECT student_id, CASE WHEN n = 0 THEN f ELSE (2 * (n * f + others) + 2 * n) // (4 * n) END
        FROM y ORDER BY student_id
    """).fetchall()


def sex_zh(sex: str) -> str:
    return SEX_ZH[sex]

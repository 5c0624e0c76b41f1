"""Scoring by the 2014 standard as set-based SQL in DuckDB: range lookups as joins, no loop per pupil.

The input is a table of results, one row per pupil:
    row_no, student_id, grade_code (11–44), sex ('M'/'F'), exempt (免测), height, weight and one
    column per item (`standard.scored_items()`), every value an integer in hundredths of its unit
    (cm, kg, ml, s, count; the long runs in seconds).
`score()` writes one row per pupil: each item's score (NULL where not tested), BMI, 标准分, 附加分,
学年总分 and 等级. How it works:
1. The standard's tables are read from the package's CSVs into std_* tables. A lower-is-better value
   (a time) is negated, so every table reads "the highest level whose key the value reaches".
2. std_lookup holds, for every table (item × table grade × sex) and every value a result can take
   (the plausible range at the entry's precision, items.csv: 0.01 s for 50米跑, 0.1 cm for 坐位体前屈,
   1 for the rest),
   the score, the 加分 and the item's weight. It is built by two ASOF joins of that value grid on the
   score levels and the 加分 levels (key ≥ threshold; no match, below the lowest row, scores 0):
   the range lookup, done once for 620,000 values instead of once per pupil and item.
3. Each pupil's item then finds its row by one equality join on a packed BIGINT key
   (table number, value): ten hash joins of the wide results table, no unpivot and no re-pivot.
   BMI is weight / height², rounded half-up to 0.1 in integer arithmetic (BMI×10 = ⌊(2·w·10⁷ + h²) /
   2h²⌋ with w, h in hundredths), looked up the same way in its bands.
4. 标准分 = Σ score × weight% over the items the pupil's grade and sex are tested on, kept as tenths,
   rounded half-up; 附加分 at most 20; 学年总分 = 标准分 + 附加分; 等级 from the grade bands.
`problems()` must pass first: it refuses values off the plausible range or the entry's precision (a
value off the grid would find no row). A missing item scores 0 (the row says `complete = false`); an
exempt pupil gets no scores and the band 免测 (the standard: 免予执行的学生，毕业时成绩注明免测).
"""

from __future__ import annotations

import re
from importlib import resources

import duckdb

from . import standard
from .errors import PROBLEM_LIMIT
from .standard import BMI_ITEM

EXEMPT_BAND = "免测"
BONUS_CAP = 20
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def _ident(name: str) -> str:
    if not _NAME.match(name):
        raise ValueError(f"not a table name: {name!r}")
    return name


def _data_path(name: str) -> str:
    return str(resources.files(__package__).joinpath("data", name))


KEY_BITS = 22  # a signed value + 2**21 fits in 22 bits (hundredths: ±999,900 at most)
VALUE_OFFSET = 1 << (KEY_BITS - 1)
_TABLES_PER_ITEM = 32  # table grade number (1–14) × 2 + sex bit, per item number
BMI10_LIMIT = 4000  # BMI × 10 of the plausible extremes (200 kg at 80 cm) is 3125


def install_standard(con: duckdb.DuckDBPyConnection, temp: bool = True) -> None:
    """The standard's tables std_* on this connection (idempotent), read from the package's CSVs by
    DuckDB itself; thresholds become signed hundredths (a time negated). temp=False makes them
    plain tables, seen by every cursor of an in-memory database (see results.standard_cursor)."""
    if con.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = 'std_lookup'").fetchone()[0]:
        return
    kind = "TEMP TABLE" if temp else "TABLE"
    csv = "read_csv('{}', all_varchar = true)".format
    cents = "CAST(CAST({} AS DECIMAL(12, 2)) * 100 AS BIGINT)".format
    tenths = "CAST(CAST({} AS DECIMAL(12, 1)) * 10 AS BIGINT)".format
    sign = "(CASE direction WHEN 'lower_better' THEN -1 ELSE 1 END)"
    con.execute(f"""
        CREATE {kind} std_levels AS
        SELECT item, grade AS tgrade, sex, CAST(score AS INTEGER) AS score, {sign} * {cents("threshold")} AS key
        FROM {csv(_data_path("scores.csv"))} WHERE threshold IS NOT NULL;
        CREATE {kind} std_bonus AS
        SELECT item, grade AS tgrade, sex, CAST(bonus_points AS INTEGER) AS points,
               {sign} * {cents("threshold_abs")} AS key
        FROM {csv(_data_path("bonus.csv"))};
        CREATE {kind} std_bmi AS
        SELECT grade AS tgrade, sex, CAST(score AS INTEGER) AS score, category_zh AS category,
               coalesce({tenths("bmi_min")}, 0) AS key
        FROM {csv(_data_path("bmi.csv"))};
        CREATE {kind} std_grades AS
        SELECT CAST(grade_code AS INTEGER) AS grade_code, table_grade AS tgrade, weights_group AS wgroup, grade_zh,
               CAST(dense_rank() OVER (ORDER BY length(table_grade), table_grade) AS INTEGER) AS tno
        FROM {csv(_data_path("grades.csv"))};
        CREATE {kind} std_weights AS
        SELECT "group" AS wgroup, sex, item, CAST(weight_percent AS INTEGER) AS weight
        FROM {csv(_data_path("weights.csv"))};
        CREATE {kind} std_items AS
        SELECT i.item, i.item_zh, i.entry, i.precision, {cents("plausible_min")} AS low, {cents("plausible_max")} AS high,
               coalesce(d.sign, 1) AS sign, {cents("i.precision")} AS step,
               CAST(row_number() OVER () AS INTEGER) AS item_no
        FROM {csv(_data_path("items.csv"))} i
        LEFT JOIN (SELECT DISTINCT item, {sign} AS sign FROM {csv(_data_path("scores.csv"))}) d USING (item);
        INSERT INTO std_items SELECT '{BMI_ITEM}', 'BMI', 'decimal', '0.1', 0, 100000, 1, 10, 99;
    """)
    # in steps: DuckDB plans the grid and both ASOF joins as one statement ten times slower
    con.execute(f"""
        CREATE TEMP TABLE std_tables AS
        SELECT DISTINCT g.tgrade, g.tno, w.sex, w.item, w.weight, i.item_no, i.sign, i.low, i.high, i.step
        FROM std_grades g JOIN std_weights w USING (wgroup) JOIN std_items i USING (item);
        CREATE TEMP TABLE std_grid AS
        SELECT t.*, t.sign * v AS key FROM std_tables t, generate_series(t.low, t.high, t.step) AS s(v)
        WHERE t.item <> '{BMI_ITEM}';
        CREATE TEMP TABLE std_scored AS
        SELECT g.*, coalesce(l.score, 0) AS score FROM std_grid g
        ASOF LEFT JOIN std_levels l ON g.item = l.item AND g.tgrade = l.tgrade AND g.sex = l.sex AND g.key >= l.key;
        CREATE {kind} std_lookup AS
        SELECT {_packed("g.item_no", "g.tno", "g.sex", "g.key")} AS ck, g.item, g.score,
               coalesce(b.points, 0) AS bonus, g.weight, NULL::VARCHAR AS category
        FROM std_scored g
        ASOF LEFT JOIN std_bonus b ON g.item = b.item AND g.tgrade = b.tgrade AND g.sex = b.sex AND g.key >= b.key;
        INSERT INTO std_lookup
        SELECT {_packed("t.item_no", "t.tno", "t.sex", "r.bmi10")}, t.item, m.score, 0, t.weight, m.category
        FROM (SELECT * FROM std_tables WHERE item = '{BMI_ITEM}') t, range(0, {BMI10_LIMIT}) AS r(bmi10)
        ASOF JOIN std_bmi m ON t.tgrade = m.tgrade AND t.sex = m.sex AND r.bmi10 >= m.key;
        DROP TABLE std_tables; DROP TABLE std_grid; DROP TABLE std_scored;
    """)


def _packed(item_no: str, tno: str, sex: str, key: str) -> str:
    """One BIGINT for (item, table grade, sex, signed value): the lookup's equality key."""
    table = f"(({item_no}) * {_TABLES_PER_ITEM} + ({tno}) * 2 + CASE {sex} WHEN 'F' THEN 1 ELSE 0 END)"
    return f"({table}::BIGINT << {KEY_BITS}) + ({key}) + {VALUE_OFFSET}"


def results_table_sql(name: str, temp: bool = False) -> str:
    """CREATE TABLE for an empty results table of the shape `score()` reads."""
    columns = ", ".join(f"{item} BIGINT" for item in standard.items())
    return (
        f"CREATE {'TEMP ' if temp else ''}TABLE {_ident(name)} (row_no BIGINT, student_id VARCHAR, grade_code INTEGER, "
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
        JOIN std_items i ON (i.item = w.item AND w.item <> 'bmi') OR (w.item = 'bmi' AND i.item IN ('height', 'weight'))
        LEFT JOIN {_unpivot(table, measured)} v ON v.row_no = r.row_no AND v.item = i.item
        WHERE NOT r.exempt AND v.value IS NULL"""
    rows = con.execute(f"""
        SELECT r.row_no, '年级编号', '年级编号 ' || coalesce(CAST(r.grade_code AS VARCHAR), '（空）')
               || ' 不存在（应为 11–16、21–23、31–33、41–44）'
        FROM {table} r WHERE r.grade_code IS NULL OR r.grade_code NOT IN (SELECT grade_code FROM std_grades)
        UNION ALL
        SELECT row_no, '性别', '性别应为 1（男）或 2（女）' FROM {table} WHERE sex IS NULL OR sex NOT IN ('M', 'F')
        UNION ALL
        SELECT v.row_no, i.item_zh, i.item_zh || ' ' || {_shown("v.value", "i.entry")}
               || ' 超出合理范围（' || {_shown("i.low", "i.entry")} || '–' || {_shown("i.high", "i.entry")} || '）'
        FROM {_unpivot(table, measured)} v JOIN std_items i USING (item)
        WHERE v.value < i.low OR v.value > i.high
        UNION ALL
        SELECT v.row_no, i.item_zh, i.item_zh || ' ' || CAST(CAST(v.value AS DECIMAL(18, 2)) / 100 AS VARCHAR)
               || (CASE WHEN i.entry = 'integer' THEN ' 应为整数' WHEN i.entry = 'min_sec' THEN ' 应为整秒'
                        ELSE ' 最多保留 ' || (length(i.precision) - 2) || ' 位小数' END)
        FROM {_unpivot(table, measured)} v JOIN std_items i USING (item)
        WHERE v.value % i.step <> 0 AND v.value BETWEEN i.low AND i.high
        UNION ALL
        SELECT v.row_no, i.item_zh, g.grade_zh || (CASE v.sex WHEN 'M' THEN '男' ELSE '女' END)
               || '生不测' || i.item_zh || '，此栏应为空'
        FROM {_unpivot(table, standard.scored_items())} v JOIN std_items i USING (item)
        JOIN std_grades g USING (grade_code)
        LEFT JOIN std_weights w ON w.wgroup = g.wgroup AND w.sex = v.sex AND w.item = v.item
        WHERE w.item IS NULL AND v.sex IN ('M', 'F')
        {complete_check}
        ORDER BY 1, 2 LIMIT {PROBLEM_LIMIT}
    """).fetchall()
    return rows


def _shown(value: str, entry: str) -> str:
    """SQL that writes a hundredths value the way a PE teacher reads it (3'25", 10.2, 1605)."""
    return (
        f"(CASE WHEN {entry} = 'min_sec' "
        f"THEN CAST({value} // 6000 AS VARCHAR) || '''' || lpad(CAST(({value} // 100) % 60 AS VARCHAR), 2, '0') || '\"' "
        f"WHEN {value} % 100 = 0 THEN CAST({value} // 100 AS VARCHAR) "
        f"ELSE rtrim(CAST(CAST({value} AS DECIMAL(18, 2)) / 100 AS VARCHAR), '0') END)"
    )


def _band_sql(total10: str) -> str:
    cases = " ".join(f"WHEN {total10} >= {low} THEN '{name}'" for name, low in standard.total_bands())
    return f"CASE {cases} END"


def _item_numbers(con: duckdb.DuckDBPyConnection) -> dict[str, tuple[int, int]]:
    return {
        item: (no, sign)
        for item, no, sign in con.execute("SELECT item, item_no, sign FROM std_items").fetchall()
    }


def score(
    con: duckdb.DuckDBPyConnection, table: str, out: str = "fitness_scores", temp: bool = False
) -> None:
    """Score every pupil of `table` into table `out` (replaced). `problems()` must have passed."""
    install_standard(con)
    table, out = _ident(table), _ident(out)
    numbers = _item_numbers(con)
    keys = standard.scored_items() + [BMI_ITEM]
    bmi10 = (
        "(2 * CAST(r.weight AS BIGINT) * 10000000 + CAST(r.height AS BIGINT) * r.height) "
        "// (2 * CAST(r.height AS BIGINT) * r.height)"
    )
    value = {item: f"{numbers[item][1]} * r.{item}" for item in standard.scored_items()} | {
        BMI_ITEM: "r.bmi10"
    }
    joins = "\n".join(
        f"LEFT JOIN (SELECT * FROM std_lookup WHERE item = '{item}') j_{item} ON NOT r.exempt AND j_{item}.ck = "
        f"{_packed(str(numbers[item][0]), 'r.tno', 'r.sex', value[item])}"
        for item in keys
    )
    weighted = " + ".join(f"coalesce(j_{i}.score * j_{i}.weight, 0)" for i in keys)
    bonus = " + ".join(f"coalesce(j_{i}.bonus, 0)" for i in keys)
    tested = " + ".join(f"(j_{i}.score IS NOT NULL)::INTEGER" for i in keys)
    standard10 = f"(({weighted}) + 5) // 10"  # Σ score × weight% is hundredths of 标准分: tenths, half-up
    con.execute(f"""
        CREATE OR REPLACE {"TEMP TABLE" if temp else "TABLE"} {out} AS
        WITH expected AS (
            SELECT g.grade_code, w.sex, count(*) AS n FROM std_grades g JOIN std_weights w USING (wgroup) GROUP BY ALL
        ),
        pupils AS (
            SELECT r.*, g.tno, CAST({bmi10} AS BIGINT) AS bmi10
            FROM {table} r JOIN std_grades g USING (grade_code)
        ),
        joined AS (
            SELECT r.row_no, r.exempt, e.n AS expected, r.bmi10,
                   {", ".join(f"j_{i}.score AS {i}" for i in keys)}, j_{BMI_ITEM}.category AS bmi_category,
                   {standard10} AS standard10, least({bonus}, {BONUS_CAP}) AS bonus, {tested} AS tested
            FROM pupils r JOIN expected e USING (grade_code, sex)
            {joins}
        )
        SELECT row_no, {", ".join(keys[:-1])},
               CASE WHEN NOT exempt THEN bmi10 END AS bmi10, bmi_category, {BMI_ITEM},
               CASE WHEN NOT exempt THEN standard10 END AS standard10,
               CASE WHEN NOT exempt THEN bonus END AS bonus,
               CASE WHEN NOT exempt THEN standard10 + 10 * bonus END AS total10,
               CASE WHEN exempt THEN '{EXEMPT_BAND}' ELSE {_band_sql("standard10 + 10 * bonus")} END AS band,
               exempt OR tested = expected AS complete
        FROM joined
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

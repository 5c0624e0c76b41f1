"""The engine: SQL generated from the catalog, run in DuckDB, one pass per statistics table.

How a compute works:
1. Every distinct (table, expr, where) of the catalog is a *part*. Each table is scanned once,
   summing all of its parts per school. A part's filter splits into its school side (level,
   public, …) and its row side (size, grade, …), so the big tables (classes, students) are summed
   per school on their own and the school side is a CASE on the 25,000 school rows, not a join of
   700,000 classes. A table keyed by the school alone (teachers, facilities) has one row per
   school already and is not grouped. The per-school sums, joined onto the year's schools, are
   the school rows of the parts table (one wide row per year and org unit); districts and the
   city sum those rows, both in one GROUPING SETS aggregate. Summing sums is exact, and summing
   25,000 rows beats aggregating 700,000 three times.
2. A ratio is factor × Σnumerator / Σdenominator of the same org unit's row: the sums aggregate,
   the ratios never average. A count is Σnumerator.
3. A cv (校际差异系数) is taken over the school rows of the parts table, in two passes:
   X̄ = Σxᵢ/P per district and city, then S² = Σ(Pᵢ/P)(Xᵢ − X̄)² with Xᵢ = xᵢ/Pᵢ (a one-pass
   Σ(xᵢ²/Pᵢ)/P − X̄² loses the digits when schools are alike). Schools with no students in the
   ratio's denominator (Pᵢ = 0) are left out; a school with one side and not the other (pupils and
   no teachers row) makes its units' cv no data. A cv is computed for districts and the city only.
   Missing data is never a number: a ratio needing both sides (catalog.needs_both_sides) counts, per
   school, whether it has one side only; such a school makes its own value, its district's and the
   city's NULL, the count kept in `missing`. A worst (the largest of a county's 差异系数) is written
   from the cvs' rows after them.
4. One INSERT … SELECT writes every value: the parts table is a CTE of that statement, the ratios
   and counts come out of one pass over it (each row's sums as a list, crossed with a small table
   of the indicators), and so do the cvs' school rows.
The result lands in the table indicator_values(year, level, unit_code, indicator_id,
numerator, denominator, value, missing).
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from functools import cache

import duckdb

from .catalog import Indicator, Part, catalog, indicator
from .errors import IndicatorError
from .schema import city, org_unit_level, split_levels, stage_grades, tables, years_loaded

LEVELS = ("city", "district", "school")
VALUES_TABLE = "indicator_values"


@dataclass(frozen=True)
class _Plan:
    part_ids: dict[Part, str]  # part → column name in the parts table
    by_table: dict[str, list[Part]]
    # (numerator, denominator) of a ratio needing both sides → the column counting the schools with one side only
    missing_ids: dict[tuple[Part, Part], str]


def _plan(indicators: list[Indicator]) -> _Plan:
    part_ids: dict[Part, str] = {}
    by_table: dict[str, list[Part]] = {}
    missing_ids: dict[tuple[Part, Part], str] = {}
    for item in indicators:
        for part in (item.numerator, item.denominator):
            if part is not None and part not in part_ids:
                part_ids[part] = f"p{len(part_ids)}"
                by_table.setdefault(part.table, []).append(part)
        if item.needs_both_sides:
            missing_ids.setdefault((item.numerator, item.denominator), f"m{len(missing_ids)}")
    return _Plan(part_ids, by_table, missing_ids)


_KEYWORDS = frozenset({"and", "or", "not", "in", "is", "null", "true", "false", "case", "when", "then", "else",
                       "end", "like", "between", "cast", "as", "distinct"})
_TOKENS = re.compile(r"'(?:[^']|'')*'|\"[^\"]*\"|[A-Za-z_][A-Za-z0-9_]*|\s+|.")


def _conjuncts(where: str) -> list[str] | None:
    """The top-level AND terms of a filter, or None when it is not a plain conjunction."""
    terms, current, depth = [], [], 0
    for token in _TOKENS.findall(where):
        word = token.lower()
        if word == "between" or (word == "or" and depth == 0):
            return None  # a top-level OR, or BETWEEN's own AND: not worth telling apart, keep the filter whole
        depth += (token == "(" or word == "case") - (token == ")" or word == "end")
        if depth == 0 and word == "and":
            terms.append("".join(current).strip())
            current = []
        else:
            current.append(token)
    terms.append("".join(current).strip())
    return terms if all(terms) else None


def _names(sql: str) -> set[str]:
    """The column (and function) names a piece of SQL mentions, quoted or not."""
    tokens = _TOKENS.findall(sql)
    return ({t.lower() for t in tokens if t[0].isalpha() or t[0] == "_"} - _KEYWORDS) | \
        {t[1:-1].lower() for t in tokens if t[0] == '"'}


@dataclass(frozen=True)
class _Split:
    """A part of a school table as a per-school sum of the table alone, then a filter on the school.

    Σ over a school's rows of (school condition AND row condition) × expr is, the school's
    condition being the same on all its rows, CASE WHEN school condition THEN Σ(row condition) × expr:
    the big tables (classes, students) are summed per school before the join, not joined row by row.
    """

    school_where: str
    row_where: str
    expr: str


def _split(part: Part) -> _Split | None:
    """None when a term of the filter, or the expr, needs the school's columns and the table's at once."""
    own = {c.lower() for c in tables()[part.table].column_names} - {"school_code"}
    school_only = {c.lower() for c in tables()["schools"].column_names} - own - {"school_code"}
    terms = _conjuncts(part.where)
    if terms is None or _names(part.expr) & school_only:
        return None
    school, row = [], []
    for term in terms:
        names = _names(term)
        if names & school_only and names & own:
            return None
        (school if names & school_only else row).append(term)
    return _Split(" AND ".join(school) or "TRUE", " AND ".join(row) or "TRUE", part.expr)


def _one_row_per_school(name: str) -> bool:
    """A table keyed by the school (and its part's stage) has one row per school and year outside the
    split schools (the import refuses a repeated key, and a second row of a school that is not split),
    so its 'sum per school' is the row itself: no GROUP BY to hash 25,000 rows."""
    return set(tables()[name].key) <= {"school_code", "stage"}


def _school_parts_sql(years_sql: str, ids: bool = False) -> str:
    """The schools of the years, one row per part: a split school (九年一贯制, 完全中学, …) once per stage
    it spans, that stage as its `level`, `split` true and `first_part` on its first; any other school
    as it is, `first_part` true. Filtered by `level`, a split school's parts count in their own stages."""
    parts = ", ".join(f"('{level}', '{stage}', {n})"
                      for level, stages in split_levels().items() for n, stage in enumerate(stages))
    width = max((len(stages) for stages in split_levels().values()), default=1)
    # ids: a number per school part and per school, which the per-part sums join and group on
    numbers = f", s.rowid * {width} + COALESCE(m.n, 0) AS part_id, s.rowid AS school_id" if ids else ""
    return ("SELECT s.* EXCLUDE (level), COALESCE(m.stage, s.level) AS level, m.stage IS NOT NULL AS split, "
            f"COALESCE(m.n = 0, TRUE) AS first_part{numbers} FROM schools s LEFT JOIN (VALUES {parts}) "
            f"AS m(school_level, stage, n) ON m.school_level = s.level WHERE s.year IN ({years_sql})")


def _row_stage_sql(name: str) -> str:
    """The stage a row of a school table belongs to, read from the row: its `stage` column, else its
    grade (data/schema.toml stage_grades), else none (the school's first part)."""
    columns = tables()[name].column_names
    if "stage" in columns:
        return "stage"
    if "grade" in columns:
        whens = " ".join(f"WHEN grade BETWEEN {first} AND {last} THEN '{stage}'"
                         for stage, (first, last) in stage_grades().items())
        return f"CASE {whens} END"
    return "NULL::VARCHAR"


def _part_match(row_stage: str) -> str:
    """A row joined to the school part it counts under (schools joined as `p`): any school that is not
    split has one part; a split school's row goes to its stage's part, a row naming none to the first."""
    return f"(NOT p.split OR {row_stage} = p.level OR ({row_stage} IS NULL AND p.first_part))"


def _sum_sql(where: str, expr: str, aggregate: bool) -> str:
    """expr where the filter holds (NULL elsewhere), summed over the group when aggregating."""
    value = f"({expr})" if where == "TRUE" else f"CASE WHEN ({where}) THEN ({expr}) END"
    return f"SUM({value})::DOUBLE" if aggregate else f"{value}::DOUBLE"


def _school_table_sql(name: str, parts: list[Part], plan: _Plan, years_sql: str,
                      split_schools: bool = False) -> tuple[str, dict[Part, str]]:
    """One scan of a school table, summed per school: the CTE, and each part's column over it.

    When every part splits (_Split), the table is summed alone (each distinct row-side sum once) and
    the school's side is a CASE on the joined row; otherwise it is joined to the schools first.
    With split schools in the years, the sums are per school part instead (_school_parts_table_sql).
    """
    splits = {p: _split(p) for p in parts}
    if split_schools:
        return _school_parts_table_sql(name, parts, splits, plan, years_sql)
    aggregate = not _one_row_per_school(name)
    group_by = " GROUP BY year, school_code" if aggregate else ""
    if any(s is None for s in splits.values()):
        sums = ", ".join(f"{_sum_sql(p.where, p.expr, aggregate)} AS {plan.part_ids[p]}" for p in parts)
        cte = (f"SELECT year, school_code, {sums} FROM {name} JOIN schools USING (year, school_code) "
               f"WHERE year IN ({years_sql}){group_by}")
        return cte, {p: plan.part_ids[p] for p in parts}
    row_sums = _row_sums(name, splits)
    sums = ", ".join(f"{_sum_sql(where, expr, aggregate)} AS {column}" for (where, expr), column in row_sums.items())
    cte = f"SELECT year, school_code, {sums} FROM {name} WHERE year IN ({years_sql}){group_by}"
    return cte, _school_side(splits, row_sums)


def _row_sums(name: str, splits: dict[Part, _Split]) -> dict[tuple[str, str], str]:
    """Each distinct (row filter, expr) of the table's parts → its column of per-school sums."""
    row_sums: dict[tuple[str, str], str] = {}
    for s in splits.values():
        row_sums.setdefault((s.row_where, s.expr), f"{name}_r{len(row_sums)}")
    return row_sums


def _school_side(splits: dict[Part, _Split], row_sums: dict[tuple[str, str], str]) -> dict[Part, str]:
    """Each part's column over the joined school row: its row-side sum where the school's side holds. Applied
    after the sums (the school side is the same on all of a school part's rows), so the sums stay few."""
    columns = {}
    for part, s in splits.items():
        column = row_sums[(s.row_where, s.expr)]
        columns[part] = column if s.school_where == "TRUE" else f"CASE WHEN ({s.school_where}) THEN {column} END"
    return columns


def _school_parts_table_sql(name: str, parts: list[Part], splits: dict[Part, _Split | None], plan: _Plan,
                            years_sql: str) -> tuple[str, dict[Part, str]]:
    """A school table summed per school part (year, school_code, level): each row joined to the part
    its stage belongs to, the part's `level` filtering it. The big tables are still summed alone first,
    per school and row stage, so the join is of those sums, not of every class."""
    def join(years: str, row_stage: str) -> str:
        return f"JOIN school_parts p USING (year, school_code) WHERE {years}{_part_match(row_stage)}"

    if any(s is None for s in splits.values()):
        sums = ", ".join(f"{_sum_sql(p.where, p.expr, True)} AS {plan.part_ids[p]}" for p in parts)
        cte = (f"SELECT p.part_id, {sums} FROM {name} "
               + join(f"year IN ({years_sql}) AND ", _row_stage_sql(name)) + " GROUP BY p.part_id")
        return cte, {p: plan.part_ids[p] for p in parts}
    row_sums = _row_sums(name, splits)
    aggregate = not _one_row_per_school(name)
    sums = ", ".join(f"{_sum_sql(where, expr, aggregate)} AS {column}" for (where, expr), column in row_sums.items())
    group_by = " GROUP BY year, school_code, row_stage" if aggregate else ""
    per_stage = (f"SELECT year, school_code, {_row_stage_sql(name)} AS row_stage, {sums} FROM {name} "
                 f"WHERE year IN ({years_sql}){group_by}")
    # the row sums added up per school part (several row stages may count under one part); a table of one
    # row per school part (the import refuses a second) joins its part as it is
    added = ", ".join(f"SUM({c}) AS {c}" if aggregate else c for c in row_sums.values())
    cte = (f"SELECT p.part_id, {added} FROM ({per_stage}) "
           + join("", "row_stage") + (" GROUP BY p.part_id" if aggregate else ""))
    return cte, _school_side(splits, row_sums)


def _parts_sql(plan: _Plan, city_code: str, years_sql: str, split_schools: bool = False) -> str:
    """All parts in one wide row per (year, level, org unit).

    Each school table is summed per school (one GROUP BY each, none for a table of one row per
    school: see _school_table_sql) and joined onto the schools of the year: the school rows.
    Districts and the city sum those 25,000-odd rows, not the 700,000 classes again. District tables (population) are summed per district and joined
    onto the district and city rows.
    """
    school_tables = [n for n in plan.by_table if tables()[n].unit == "school" and n != "schools"]
    district_tables = [n for n in plan.by_table if tables()[n].unit == "district"]
    ctes, select = [], ["s.year", "s.district_code", "s.school_code"]
    # the schools table's own parts: one row per school (per school part), so its sum is the row's value
    select += [f"{_sum_sql(p.where, p.expr, aggregate=False)} AS {plan.part_ids[p]}"
               for p in plan.by_table.get("schools", [])]
    for name in school_tables:
        cte, columns = _school_table_sql(name, plan.by_table[name], plan, years_sql, split_schools)
        ctes.append(f"t_{name} AS ({cte})")
        select += [f"{column} AS {plan.part_ids[p]}" for p, column in columns.items()]
    using = "part_id" if split_schools else "year, school_code"
    joins = " ".join(f"LEFT JOIN t_{n} USING ({using})" for n in school_tables)
    if split_schools:
        ctes.insert(0, f"school_parts AS MATERIALIZED ({_school_parts_sql(years_sql, ids=True)})")
        # a part with one side of a ratio and not the other flags its school: added up, the other part's
        # side would hide it (a 初中部 without its teachers row under the 小学部's)
        ctes.append(f"school_part_sums AS (SELECT *{_missing_flags(plan)} "
                    f"FROM (SELECT {', '.join(select)}, s.split, s.first_part, s.school_id FROM school_parts s {joins}))")
        # a split school's parts added up (a stage's sums come from its own part, the filters saw to that);
        # any other school has one part, its row as it is: grouping every school cost more than the rest.
        # Joined, not a UNION ALL: the rows keep one order, and so do the sums over them, to the last digit
        summed = [plan.part_ids[p] for n in plan.by_table if tables()[n].unit == "school" for p in plan.by_table[n]]
        missing = list(plan.missing_ids.values())
        added = [f"SUM({c}) AS {c}" for c in summed] + [f"MAX({c}) AS {c}" for c in missing]
        ctes.append(f"split_sums AS (SELECT school_id, {', '.join(added)} FROM school_part_sums WHERE split "
                    "GROUP BY school_id)")
        ctes.append(f"school_sums AS (SELECT r.year, r.district_code, r.school_code, "
                    f"{', '.join(f'CASE WHEN r.split THEN g.{c} ELSE r.{c} END AS {c}' for c in summed + missing)} "
                    "FROM school_part_sums r LEFT JOIN split_sums g USING (school_id) "
                    "WHERE r.first_part)")
        ctes.append("per_school AS (SELECT * FROM school_sums)")
    else:
        ctes.append(f"school_sums AS (SELECT {', '.join(select)} FROM (SELECT *, TRUE AS first_part FROM schools) s "
                    f"{joins} WHERE s.year IN ({years_sql}))")
        ctes.append(f"per_school AS (SELECT *{_missing_flags(plan)} FROM school_sums)")
    school_columns = [plan.part_ids[p] for n in plan.by_table if tables()[n].unit == "school" for p in plan.by_table[n]]
    school_columns += list(plan.missing_ids.values())
    district_columns = [plan.part_ids[p] for n in district_tables for p in plan.by_table[n]]
    for name in district_tables:
        sums = ", ".join(f"{_sum_sql(p.where, p.expr, aggregate=True)} AS {plan.part_ids[p]}"
                         for p in plan.by_table[name])
        ctes.append(f"t_{name} AS (SELECT year, district_code, {sums} FROM {name} WHERE year IN ({years_sql}) "
                    "GROUP BY year, district_code)")
    school_rows = (f"SELECT year, 'school' AS level, school_code AS unit_code, district_code, "
                   f"{', '.join(school_columns + [f'NULL::DOUBLE AS {c}' for c in district_columns])} FROM per_school")
    return f"WITH {', '.join(ctes)} {school_rows} UNION ALL " + \
        _rollup_sql(school_columns, district_columns, district_tables, city_code)


def _missing_flags(plan: _Plan) -> str:
    """Per ratio needing both sides: 1 where a school (or a school's part) has one side and not the other
    (pupils, no teachers row), summed up the levels into `missing`."""
    return "".join(f", CASE WHEN ({plan.part_ids[num]} IS NULL) <> ({plan.part_ids[den]} IS NULL) THEN 1 ELSE 0 END "
                   f"AS {column}" for (num, den), column in plan.missing_ids.items())


# one aggregate gives both levels: GROUPING(district_code) is 0 on a district's row, 1 on the city's
_ROLLUP = "GROUP BY GROUPING SETS ((year, district_code), (year))"
_ROLLUP_LEVEL = "CASE WHEN GROUPING(district_code) = 0 THEN 'district' ELSE 'city' END AS level"


def _rollup_sql(school_columns: list[str], district_columns: list[str], district_tables: list[str],
                city_code: str) -> str:
    """The district and city rows of the parts table; summing sums is exact, so both add up the
    school rows, in one aggregate. District tables join those rows on level and code (FULL: a
    district with population and no school still gets its row)."""
    unit = f"CASE WHEN GROUPING(district_code) = 0 THEN district_code ELSE '{city_code}' END AS unit_code"
    school_sums = (f"SELECT year, {_ROLLUP_LEVEL}, {unit}, {', '.join(f'SUM({c}) AS {c}' for c in school_columns)} "
                   f"FROM per_school {_ROLLUP}")
    district = "CASE WHEN level = 'district' THEN unit_code END AS district_code"
    if not district_tables:
        return f"SELECT year, level, unit_code, {district}, {', '.join(school_columns)} FROM ({school_sums})"
    joined = " ".join(f"FULL OUTER JOIN t_{n} USING (year, district_code)" for n in district_tables[1:])
    district_sums = (f"SELECT year, {_ROLLUP_LEVEL}, {unit}, {', '.join(f'SUM({c}) AS {c}' for c in district_columns)} "
                     f"FROM t_{district_tables[0]} {joined} {_ROLLUP}")
    return (f"SELECT year, level, unit_code, {district}, {', '.join(school_columns + district_columns)} "
            f"FROM ({school_sums}) FULL OUTER JOIN ({district_sums}) USING (year, level, unit_code)")


def _values_sql(items: list[Indicator], plan: _Plan, city_code: str) -> str:
    """Every ratio and count of every org unit in one pass over the parts table.

    Each parts row's sums become one list, crossed with a small table of the indicators (which
    list items are their numerator and denominator): one pipeline appending full chunks, where a
    SELECT per indicator appended 45 streams of small ones (a third more time at province scale).
    A count is Σnumerator; a district or city with none of the counted rows has 0, not "no data", and a
    school with none has no row (a kindergarten has no count of senior students to list).
    A ratio is factor × Σnumerator / Σdenominator where the denominator has rows; no numerator rows
    under a denominator means 0 (no oversized class), not "no data". A ratio needing both sides is
    no data (value NULL, `missing` the count of schools) where a school has only one; a ratio marked
    empty_numerator_is_no_data is no data where its numerator is 0. A ratio over a district table
    (population) takes the city's from the districts that have its rows, both sides alike.
    """
    position = _positions(plan)

    def row(item: Indicator) -> str:
        den = position[plan.part_ids[item.denominator]] if item.kind == "ratio" else "NULL"
        missing = position[plan.missing_ids[(item.numerator, item.denominator)]] if item.needs_both_sides else "NULL"
        return (f"('{item.id.replace(chr(39), chr(39) * 2)}', {position[plan.part_ids[item.numerator]]}, {den}, "
                f"{missing}, {item.factor!r}::DOUBLE, {item.kind == 'count'}, {item.empty_numerator_is_no_data}, "
                f"{_over_districts(item)})")

    rows = ", ".join(row(item) for item in items)
    value = ("CASE WHEN is_count THEN COALESCE(v[num], 0) WHEN COALESCE(v[mis], 0) > 0 THEN NULL "
             "WHEN empty_num AND COALESCE(v[num], 0) = 0 THEN NULL "
             "ELSE factor * COALESCE(v[num], 0) / NULLIF(v[den], 0) END")
    columns = "indicator_id, num, den, mis, factor, is_count, empty_num, over_districts"
    own = ("SELECT year, level, unit_code, indicator_id, COALESCE(v[num], 0) AS numerator, "
           f"CASE WHEN is_count THEN NULL ELSE v[den] END AS denominator, {value} AS value, "
           "CASE WHEN mis IS NOT NULL THEN COALESCE(v[mis], 0) END AS missing "
           "FROM parts "
           f"CROSS JOIN (VALUES {rows}) AS indicators({columns}) "
           "WHERE CASE WHEN is_count THEN level <> 'school' OR v[num] IS NOT NULL "
           "WHEN over_districts AND level = 'city' THEN FALSE ELSE v[den] IS NOT NULL OR COALESCE(v[mis], 0) > 0 END")
    if not any(_over_districts(item) for item in items):
        return own
    # the city's ratio over population: the districts with population rows, numerator and denominator alike
    city = (f"SELECT year, 'city' AS level, '{city_code}' AS unit_code, indicator_id, "
            "COALESCE(SUM(v[num]) FILTER (WHERE v[den] IS NOT NULL), 0) AS numerator, SUM(v[den]) AS denominator, "
            "ANY_VALUE(factor) * COALESCE(SUM(v[num]) FILTER (WHERE v[den] IS NOT NULL), 0) / NULLIF(SUM(v[den]), 0) "
            "AS value, NULL AS missing "
            "FROM (SELECT year, level, v FROM parts WHERE level = 'district') "
            f"CROSS JOIN (VALUES {', '.join(row(i) for i in items if _over_districts(i))}) AS indicators({columns}) "
            "GROUP BY year, indicator_id HAVING SUM(v[den]) IS NOT NULL")
    return f"{own} UNION ALL {city}"


def _positions(plan: _Plan) -> dict[str, int]:
    """Each parts column's place in the parts row's list `v` (from 1)."""
    return {column: n for n, column in enumerate([*plan.part_ids.values(), *plan.missing_ids.values()], start=1)}


def _over_districts(item: Indicator) -> bool:
    return item.kind == "ratio" and tables()[item.denominator.table].unit == "district"


def _cvs_sql(items: list[Indicator], plan: _Plan, city_code: str) -> str:
    """Every cv in one query, in two passes (means first, then weighted squared deviations):
    exact where schools are alike, and one plan instead of one per cv.

    The school rows' xᵢ and Pᵢ of every cv come out of one pass (their sums as a list, crossed with
    the cvs, as in _values_sql); the district and the city passes each read them once.
    """
    xp = [(plan.part_ids[indicator(i.of).numerator], plan.part_ids[indicator(i.of).denominator]) for i in items]
    position = _positions(plan)
    rows = ", ".join(f"('{item.id}', {position[x]}, {position[p]})" for item, (x, p) in zip(items, xp, strict=True))
    # every school with either side; one with a side missing (no teachers row) makes its units' cv no data
    schools = (f"SELECT indicator_id, year, district_code, v[xi] AS x, v[pi] AS p, "
               "(v[xi] IS NULL) <> (v[pi] IS NULL) AS bad, v[pi] > 0 AND v[xi] IS NOT NULL AS ok "
               "FROM (SELECT year, district_code, v FROM parts WHERE level = 'school') "
               f"CROSS JOIN (VALUES {rows}) AS cvs(indicator_id, xi, pi) WHERE v[pi] IS NOT NULL OR v[xi] IS NOT NULL")
    return (f"SELECT * FROM (WITH s AS ({schools}) "
            + _cv_level_sql("district", "s.district_code", ["indicator_id", "year", "district_code"]) + " UNION ALL "
            + _cv_level_sql("city", f"'{city_code}'", ["indicator_id", "year"]) + ")")


def _cv_level_sql(level: str, unit: str, keys: list[str]) -> str:
    """A cv's value per org unit of a level: the schools' squared deviations from their own unit's
    mean. A school whose district_code is NULL has no district row (the join drops it) but counts
    for the city."""
    on = ", ".join(keys)
    spread = "SQRT(SUM(s.p / m.total * POW(s.x / s.p - m.mean, 2)) FILTER (WHERE s.ok)) / NULLIF(m.mean, 0)"
    return (f"SELECT s.year, '{level}' AS level, {unit} AS unit_code, s.indicator_id, NULL::DOUBLE AS numerator, "
            f"m.n::DOUBLE AS denominator, CASE WHEN m.bad = 0 THEN {spread} END AS value, m.bad AS missing "
            f"FROM s JOIN (SELECT {on}, SUM(x) FILTER (WHERE ok) / SUM(p) FILTER (WHERE ok) AS mean, "
            "SUM(p) FILTER (WHERE ok) AS total, COUNT(*) FILTER (WHERE ok) AS n, COUNT(*) FILTER (WHERE bad) AS bad "
            f"FROM s GROUP BY {on}) m USING ({on}) WHERE m.n > 0 OR m.bad > 0 "
            f"GROUP BY {', '.join(f's.{k}' for k in keys)}, m.mean, m.total, m.n, m.bad")


def compute(con: duckdb.DuckDBPyConnection, years: list[int] | None = None,
            indicator_ids: list[str] | None = None, timings: dict[str, float] | None = None) -> int:
    """Compute every (or the named) indicator for every org unit and the given (or all) years.

    Replaces those years' rows in indicator_values, in one transaction; returns how many values
    those years now have. `timings`, when given, gets the seconds of each step (benchmarks/indicators.py
    --profile prints them).
    """
    con.execute("BEGIN TRANSACTION")
    try:
        count = write_values(con, years, indicator_ids, timings)
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    return count


class _Steps:
    """Seconds per step into a dict, when one is given."""

    def __init__(self, timings: dict[str, float] | None) -> None:
        self.timings, self.start = timings, time.perf_counter()

    def done(self, step: str) -> None:
        if self.timings is not None:
            now = time.perf_counter()
            self.timings[step] = self.timings.get(step, 0.0) + now - self.start
            self.start = now


def insert_sql(chosen: list[Indicator], city_code: str, years_sql: str, split_schools: bool = False) -> str:
    """The one statement that computes and writes the values (benchmarks/indicators.py profiles it).
    split_schools: the years hold schools spanning stages (their parts are summed apart)."""
    return _insert_sql(tuple(item.id for item in chosen), city_code, years_sql, split_schools)


def has_split_schools(con: duckdb.DuckDBPyConnection, years_sql: str) -> bool:
    """Whether the years hold a school spanning stages: only then is the per-part SQL worth its joins."""
    levels = ", ".join(f"'{level}'" for level in split_levels())
    return con.execute(f"SELECT EXISTS (SELECT 1 FROM schools WHERE year IN ({years_sql}) "
                       f"AND level IN ({levels}))").fetchone()[0]


@cache
def _insert_sql(ids: tuple[str, ...], city_code: str, years_sql: str, split_schools: bool) -> str:
    """Cached: the text is a function of the indicators, the city and the years (the catalog is read
    once a process), and splitting the filters costs a few milliseconds of every compute."""
    chosen = [indicator(i) for i in ids]
    plan = _plan(chosen + [indicator(i.of) for i in chosen if i.kind == "cv"])
    ratios_and_counts = [i for i in chosen if i.kind in ("ratio", "count")]
    cvs = [i for i in chosen if i.kind == "cv"]
    selects = ([_values_sql(ratios_and_counts, plan, city_code)] if ratios_and_counts else []) + \
        ([_cvs_sql(cvs, plan, city_code)] if cvs else [])
    # the parts table lives only as this CTE (no temp table written, planned and dropped)
    # each parts row's sums as one list, made once for the values, the city's ratios and the 差异系数
    sums = ", ".join(_positions(plan))
    return (f"INSERT INTO {VALUES_TABLE} ({_COLUMNS}) WITH parts AS MATERIALIZED "
            f"(SELECT year, level, unit_code, district_code, [{sums}] AS v "
            f"FROM ({_parts_sql(plan, city_code, years_sql, split_schools)})) " + " UNION ALL ".join(selects))


_COLUMNS = "year, level, unit_code, indicator_id, numerator, denominator, value, missing"


def _worst_sql(items: list[Indicator], years_sql: str) -> str:
    """The worsts' rows from their cvs' rows, every worst in one statement: per district the largest, the
    city its worst district's; no data where any of them is (an unknown 差异系数 may be the worst)."""
    members = ", ".join(f"('{m}', '{item.id}')" for item in items for m in item.of_all)
    largest = "CASE WHEN COUNT(*) = COUNT(value) THEN MAX(value) END"
    districts = (f"SELECT m.worst_id, year, 'district' AS level, unit_code, COUNT(*) - COUNT(value) AS missing, "
                 f"{largest} AS value FROM {VALUES_TABLE} JOIN (VALUES {members}) AS m(indicator_id, worst_id) "
                 f"USING (indicator_id) WHERE level = 'district' AND year IN ({years_sql}) "
                 "GROUP BY m.worst_id, year, unit_code")
    return (f"INSERT INTO {VALUES_TABLE} ({_COLUMNS}) WITH d AS ({districts}) "
            "SELECT year, level, unit_code, worst_id, NULL, NULL, value, missing FROM d UNION ALL "
            f"SELECT year, 'city', ?, worst_id, NULL, COUNT(*), {largest}, COUNT(*) - COUNT(value) FROM d "
            "GROUP BY worst_id, year")


def write_values(con: duckdb.DuckDBPyConnection, years: list[int] | None = None,
                 indicator_ids: list[str] | None = None, timings: dict[str, float] | None = None) -> int:
    """compute() inside the caller's transaction (an import replaces data and values together)."""
    steps = _Steps(timings)
    loaded = years_loaded(con)
    years = loaded if years is None else years
    missing = sorted(set(years) - set(loaded))
    if missing or not years:
        have = ", ".join(map(str, loaded)) or "none"
        raise IndicatorError(f"no statistics for {', '.join(map(str, missing)) or 'any year'} (years loaded: {have})")
    chosen = [indicator(i) for i in indicator_ids] if indicator_ids else list(catalog().values())
    worst = [i for i in chosen if i.kind == "worst"]
    chosen += [indicator(m) for w in worst for m in w.of_all if indicator(m) not in chosen]
    code = city(con)[0]
    city_code = code.replace("'", "''")  # spliced into SQL as a literal
    years_sql = ", ".join(str(int(y)) for y in years)
    insert = insert_sql([i for i in chosen if i.kind != "worst"], city_code, years_sql,
                        has_split_schools(con, years_sql))
    steps.done("years, city and SQL text")
    _values_table(con)
    if indicator_ids:
        ids_sql = ", ".join(f"'{i.id}'" for i in chosen)
        con.execute(f"DELETE FROM {VALUES_TABLE} WHERE year IN ({years_sql}) AND indicator_id IN ({ids_sql})")
    else:  # every indicator: all the years' rows replaced, with no row's indicator tested against the catalog
        con.execute(f"DELETE FROM {VALUES_TABLE} WHERE year IN ({years_sql})")
    steps.done("old values deleted")
    con.execute(insert)
    steps.done("parts (per-school sums, districts, city), values and 差异系数 computed and inserted")
    if worst:
        con.execute(_worst_sql(worst, years_sql), [code])
    steps.done("worst 差异系数 per district and city")
    count = con.execute(f"SELECT COUNT(*) FROM {VALUES_TABLE} WHERE year IN ({years_sql})").fetchone()[0]
    steps.done("count")
    return count


def _values_table(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(f"CREATE TABLE IF NOT EXISTS {VALUES_TABLE} (year INTEGER, level VARCHAR, unit_code VARCHAR, "
                "indicator_id VARCHAR, numerator DOUBLE, denominator DOUBLE, value DOUBLE, missing INTEGER)")
    have = {column[0] for column in con.execute(f"SELECT * FROM {VALUES_TABLE} LIMIT 0").description}
    if "missing" not in have:  # a database computed before schools with one side missing were counted
        con.execute(f"ALTER TABLE {VALUES_TABLE} ADD COLUMN missing INTEGER")


def values(con: duckdb.DuckDBPyConnection, year: int | None = None, levels: tuple[str, ...] = LEVELS,
           indicator_id: str | None = None, unit_code: str | None = None) -> list[dict]:
    """Computed values as dicts, ordered by indicator (catalog order), level, unit and year."""
    conditions, params = [f"level IN ({', '.join('?' * len(levels))})"], list(levels)
    for column, wanted in (("year", year), ("indicator_id", indicator_id), ("unit_code", unit_code)):
        if wanted is not None:
            conditions.append(f"{column} = ?")
            params.append(wanted)
    where = " AND ".join(conditions)
    rows = _fetch(con, "missing", where, params)
    order = {key: n for n, key in enumerate(catalog())}
    rank = {level: n for n, level in enumerate(LEVELS)}
    rows.sort(key=lambda r: (order.get(r[3], 999), rank[r[1]], r[2], r[0]))
    keys = ("year", "level", "unit_code", "indicator_id", "numerator", "denominator", "value", "missing")
    return [dict(zip(keys, row, strict=True)) for row in rows]


def _fetch(con, missing: str, where: str, params: list) -> list[tuple]:
    try:
        return con.execute(f"SELECT year, level, unit_code, indicator_id, numerator, denominator, value, {missing} "
                           f"FROM {VALUES_TABLE} WHERE {where}", params).fetchall()
    except duckdb.CatalogException:
        return []  # never computed
    except duckdb.BinderException:
        if missing == "NULL":
            raise
        return _fetch(con, "NULL", where, params)  # computed before `missing` was recorded (read-only: not altered)


def _unit_filter(con: duckdb.DuckDBPyConnection, unit_code: str, year: int, unit: str) -> tuple[str, list]:
    level = org_unit_level(con, unit_code, year)
    if level == "city":
        return "TRUE", []
    if level == "district":
        return "district_code = ?", [unit_code]
    if unit == "district":
        raise IndicatorError(f"{unit_code} is a school: district-level figures have no school rows")
    return "school_code = ?", [unit_code]


def _part_rows(con, part: Part, role: str, unit_code: str, year: int) -> list[dict]:
    table = tables()[part.table]
    where, params = _unit_filter(con, unit_code, year, table.unit)
    parts = _school_parts_sql(str(int(year)))
    if table.unit == "district":
        source, extra = part.table, ""
    elif part.table == "schools":  # one row per school part, each counted in its own stage
        source, extra = f"({parts}) AS schools", ""
    else:
        source = f"{part.table} JOIN ({parts}) p USING (year, school_code)"
        extra, where = ", name, district_code, level", f"{_part_match(_row_stage_sql(part.table))} AND {where}"
    cursor = con.execute(
        f"SELECT '{role}' AS role, {part.table}.*{extra}, ({part.expr})::DOUBLE AS contribution "
        f"FROM {source} WHERE year = ? AND ({part.where}) AND {where} ORDER BY ALL", [year, *params])
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def trace(con: duckdb.DuckDBPyConnection, indicator_id: str, unit_code: str, year: int) -> list[dict]:
    """The rows a value came from.

    For a ratio or count: each contributing row of the statistics tables, with its role
    ("numerator" or "denominator") and its contribution (the expr's value on that row).
    For a cv: one row per school that entered it, with xᵢ, Pᵢ and Xᵢ = xᵢ/Pᵢ.
    """
    item = indicator(indicator_id)
    if item.kind == "worst":
        return _worst_rows(con, item, unit_code, year)
    if item.kind != "cv":
        rows = _part_rows(con, item.numerator, "numerator", unit_code, year)
        if item.denominator is not None:
            rows += _part_rows(con, item.denominator, "denominator", unit_code, year)
        return rows
    ratio = indicator(item.of)
    x = _per_school(_part_rows(con, ratio.numerator, "numerator", unit_code, year))
    p = _per_school(_part_rows(con, ratio.denominator, "denominator", unit_code, year))
    return [{"role": "school", "school_code": code, "x": x[code], "students": p[code],
             "ratio": ratio.factor * x[code] / p[code]}
            for code in sorted(p) if p[code] > 0 and code in x]


def _worst_rows(con, item: Indicator, unit_code: str, year: int) -> list[dict]:
    """A worst's members: each 差异系数 of the district, or each district's worst for the city."""
    level = org_unit_level(con, unit_code, year)
    if level == "school":
        raise IndicatorError(f"{unit_code} is a school: a 差异系数 has no school value")
    if level == "city":
        rows = values(con, year, ("district",), item.id)
        return [{"role": "district", "unit_code": r["unit_code"], "indicator_id": item.id, "value": r["value"]}
                for r in rows]
    return [{"role": "cv", "unit_code": unit_code, "indicator_id": member, "name": indicator(member).name,
             "value": next((r["value"] for r in values(con, year, ("district",), member, unit_code)), None)}
            for member in item.of_all]


def _per_school(rows: list[dict]) -> dict[str, float]:
    sums: dict[str, float] = {}
    for row in rows:
        if row["contribution"] is not None:
            sums[row["school_code"]] = sums.get(row["school_code"], 0.0) + row["contribution"]
    return sums

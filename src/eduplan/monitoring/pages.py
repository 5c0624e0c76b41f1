"""What the indicator pages read from the statistics database: small SQL queries, paged in the database.

indicators.overview.indicator_overview() hands back every school of a year at once; at province
scale (25,000 schools) a page must not, so schools are sorted and paged here with LIMIT/OFFSET and
limited to what the user may see (access.Scope) inside the query.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import duckdb
from django.utils.translation import gettext_lazy as _

from eduplan.indicators.catalog import Indicator, catalog
from eduplan.indicators.engine import trace
from eduplan.indicators.errors import IndicatorError
from eduplan.indicators.missing import reason
from eduplan.indicators.overview import meets_standard
from eduplan.indicators.schema import org_unit_level, tables

from .access import Scope

PER_PAGE = 50
TRACE_PER_PAGE = 100
# ?sort= column → SQL; "-value" sorts descending
SORTS = {"code": "v.unit_code", "name": "s.name", "district": "s.district_code", "value": "v.value",
         "numerator": "v.numerator", "denominator": "v.denominator"}


class Hidden(Exception):
    """The user may not see these rows (another district's or school's)."""


@dataclass
class Paged:
    rows: list[dict]
    total: int
    page: int
    per_page: int
    columns: list[tuple[str, str]] = field(default_factory=list)  # (key, label) for generic tables
    sort: str = ""

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def first(self) -> int:
        return (self.page - 1) * self.per_page + 1 if self.total else 0

    @property
    def last(self) -> int:
        return min(self.total, self.page * self.per_page)


def _fetch(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> list[dict]:
    """Rows as dicts; none when values were never computed (no indicator_values table yet)."""
    try:
        cursor = con.execute(sql, params or [])
    except duckdb.CatalogException:
        return []
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def computed_years(con) -> list[int]:
    return [r["year"] for r in _fetch(con, "SELECT DISTINCT year FROM indicator_values ORDER BY year")]


def choose_year(con, wanted: str | None) -> tuple[int | None, list[int]]:
    """The year asked for if it was computed, else the latest; with every computed year."""
    years = computed_years(con)
    if wanted and wanted.isdigit() and int(wanted) in years:
        return int(wanted), years
    return (years[-1] if years else None), years


def _standard(item: Indicator, value, level: str = "city") -> dict:
    return {"value": value, "meets": meets_standard(item, value, level)}


def _judged(item: Indicator, row: dict, level: str) -> dict:
    """The row with its verdict where the standard applies to its level, and why a missing value is missing
    (v.* is read: a database computed before `missing` was recorded has no such column)."""
    row["meets"] = meets_standard(item, row["value"], level)
    row["reason"] = reason(item.id, row, level)
    return row


def catalog_rows(con, year: int) -> list[dict]:
    """Every catalog indicator: city value of the year, the standard, and the range over districts."""
    found = {r["indicator_id"]: r for r in _fetch(con, """
        SELECT indicator_id,
               max(value) FILTER (WHERE level = 'city') AS city,
               min(value) FILTER (WHERE level = 'district') AS low,
               max(value) FILTER (WHERE level = 'district') AS high,
               count(value) FILTER (WHERE level = 'district') AS districts
        FROM indicator_values WHERE year = ? AND level IN ('city', 'district') GROUP BY indicator_id""", [year])}
    rows = []
    for item in catalog().values():
        r = found.get(item.id, {})
        rows.append({"item": item, "city": _standard(item, r.get("city")), "low": r.get("low"),
                     "high": r.get("high"), "districts": r.get("districts", 0)})
    return rows


def city_and_districts(con, item: Indicator, year: int) -> tuple[dict | None, list[dict]]:
    rows = _fetch(con, """
        SELECT v.*, v.unit_code AS code, o.name
        FROM indicator_values v LEFT JOIN org_units o ON o.code = v.unit_code
        WHERE v.year = ? AND v.indicator_id = ? AND v.level IN ('city', 'district')
        ORDER BY v.level, v.unit_code""", [year, item.id])
    for row in rows:
        _judged(item, row, row["level"])
    city = next((r for r in rows if r["level"] == "city"), None)
    return city, [r for r in rows if r["level"] == "district"]


def default_sort(item: Indicator) -> str:
    """Worst first: the schools that need attention open the list."""
    return "value" if item.direction == "higher" else "-value"


def school_page(con, item: Indicator, year: int, scope: Scope, sort: str = "", page: int = 1,
                district: str = "") -> Paged:
    """One page of the year's school values the scope may see, sorted by a known column."""
    sort = sort if sort.lstrip("-") in SORTS else default_sort(item)
    order = f"{SORTS[sort.lstrip('-')]} {'DESC' if sort.startswith('-') else 'ASC'} NULLS LAST, v.unit_code"
    seen, params = scope.school_sql("v.unit_code", "s.district_code")
    where = f"v.year = ? AND v.indicator_id = ? AND v.level = 'school' AND {seen}"
    params = [year, item.id, *params]
    if district:
        where += " AND s.district_code = ?"
        params.append(district)
    source = ("FROM indicator_values v JOIN schools s ON s.year = v.year AND s.school_code = v.unit_code "
              "LEFT JOIN org_units o ON o.code = s.district_code WHERE " + where)
    total = (_fetch(con, f"SELECT count(*) AS n {source}", params) or [{"n": 0}])[0]["n"]
    page = min(max(1, page), max(1, math.ceil(total / PER_PAGE)))
    rows = _fetch(con, f"""SELECT v.unit_code AS code, s.name, s.district_code, o.name AS district_name,
                                  v.*
                           {source} ORDER BY {order} LIMIT {PER_PAGE} OFFSET {(page - 1) * PER_PAGE}""", params)
    for row in rows:
        _judged(item, row, "school")
    return Paged(rows, total, page, PER_PAGE, sort=sort)


def trend(con, item: Indicator) -> tuple[list[int], list[dict]]:
    """Years, and for the city then each district its value in every year (None where absent)."""
    rows = _fetch(con, """
        SELECT v.year, v.level, v.unit_code, o.name, v.value FROM indicator_values v
        LEFT JOIN org_units o ON o.code = v.unit_code
        WHERE v.indicator_id = ? AND v.level IN ('city', 'district') ORDER BY v.level, v.unit_code, v.year""",
                  [item.id])
    years = sorted({r["year"] for r in rows})
    units: dict[str, dict] = {}
    for r in rows:
        unit = units.setdefault(r["unit_code"], {"code": r["unit_code"], "name": r["name"], "level": r["level"],
                                                 "by_year": {}})
        unit["by_year"][r["year"]] = r["value"]
    result = sorted(units.values(), key=lambda u: (u["level"] != "city", u["code"]))
    for unit in result:
        unit["values"] = [unit["by_year"].get(y) for y in years]
    return years, result


# ---------------------------------------------------------------- trace

ROLES = {"numerator": _("分子"), "denominator": _("分母"), "school": _("学校")}
STAGES = {"kindergarten": _("幼儿园"), "primary": _("小学"), "junior": _("初中"), "senior": _("高中")}
EXTRA_LABELS = {"role": _("构成"), "contribution": _("计入值"), "name": _("学校"), "level": _("学段"),
                "x": _("分子 xᵢ"), "students": _("学生数 Pᵢ"), "ratio": "Xᵢ = xᵢ/Pᵢ"}
HIDDEN_COLUMNS = {"year", "district_code"}


def _labels() -> dict[str, str]:
    labels = {c.name: c.label for table in tables().values() for c in table.columns}
    return labels | EXTRA_LABELS


def trace_page(con, item: Indicator, unit_code: str, year: int, scope: Scope, page: int = 1) -> tuple[str, Paged]:
    """(level, rows) behind one value. The city's ratio or count is traced to its districts (all of the
    city's rows would be hundreds of thousands); districts and schools to the statistics rows."""
    level = org_unit_level(con, unit_code, year)
    if level == "city" and item.kind != "cv":
        districts = city_and_districts(con, item, year)[1]
        columns = [("code", _("区县代码")), ("name", _("区县")), ("numerator", _("分子")),
                   ("denominator", _("分母")), ("value", _("数值"))]
        return level, Paged(districts, len(districts), 1, max(1, len(districts)), columns)
    _check_visible(con, level, unit_code, year, scope)
    rows = trace(con, item.id, unit_code, year)
    total = len(rows)
    page = min(max(1, page), max(1, math.ceil(total / TRACE_PER_PAGE)))
    shown = [_readable(r) for r in rows[(page - 1) * TRACE_PER_PAGE: page * TRACE_PER_PAGE]]
    labels = _labels()
    # numerator and denominator rows may come from different tables: every column any of them has
    keys = [k for k in dict.fromkeys(k for row in shown for k in row) if k not in HIDDEN_COLUMNS]
    return level, Paged(shown, total, page, TRACE_PER_PAGE, [(k, labels.get(k, k)) for k in keys])


def _readable(row: dict) -> dict:
    """Codes people do not read (numerator, junior) as words."""
    words = {key: table[row[key]] for key, table in (("role", ROLES), ("level", STAGES)) if row.get(key) in table}
    return row | words


def _check_visible(con, level: str, unit_code: str, year: int, scope: Scope) -> None:
    if level == "district" and not scope.sees_district_schools(unit_code):
        raise Hidden(unit_code)
    if level == "city" and not scope.all_schools:
        raise Hidden(unit_code)
    if level == "school":
        row = _fetch(con, "SELECT district_code FROM schools WHERE year = ? AND school_code = ?", [year, unit_code])
        if not row or not scope.sees_school(unit_code, row[0]["district_code"]):
            raise Hidden(unit_code)


__all__ = ["Hidden", "IndicatorError", "Paged", "catalog_rows", "choose_year", "city_and_districts",
           "computed_years", "school_page", "trace_page", "trend"]

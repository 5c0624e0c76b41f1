"""What an indicator page shows, in one call: city value, districts side by side, schools, trend.

The web pages call indicator_overview(); it reads computed values (run compute() first) and
adds org-unit names and whether each value meets the official standard.
"""

from __future__ import annotations

import duckdb

from .catalog import Indicator, indicator
from .engine import values
from .missing import reason
from .schema import city


def meets_standard(item: Indicator, value: float | None, level: str = "district") -> bool | None:
    """None where there is no value, no standard, or the standard is not set for this level (a private
    kindergarten is not judged against the county's 公办园占比)."""
    if value is None or not item.judged_at(level):
        return None
    if item.threshold.op == ">=":
        return value >= item.threshold.value
    return value <= item.threshold.value


def _names(con: duckdb.DuckDBPyConnection, year: int) -> dict[str, tuple[str, str | None]]:
    """code → (name, district code) for the city, its districts and the year's schools."""
    names = {code: (name, None) for code, name in con.execute("SELECT code, name FROM org_units").fetchall()}
    names |= {code: (name, district) for code, name, district in con.execute(
        "SELECT school_code, name, district_code FROM schools WHERE year = ?", [year]).fetchall()}
    return names


def indicator_overview(con: duckdb.DuckDBPyConnection, indicator_id: str, year: int) -> dict:
    """{indicator, year, city, districts, schools, trend} for one indicator and year.

    districts and schools are lists of {code, name, value, numerator, denominator, meets_standard}
    (schools also carry their district); schools come sorted by value, worst first (by the
    indicator's direction), so a page can show the schools that need attention at the top.
    trend is {unit code: {year: value}} for the city and every district, over all computed years.
    """
    item = indicator(indicator_id)
    names = _names(con, year)

    def row(v: dict) -> dict:
        name, district = names.get(v["unit_code"], (v["unit_code"], None))
        entry = {"code": v["unit_code"], "name": name, "value": v["value"], "numerator": v["numerator"],
                 "denominator": v["denominator"], "meets_standard": meets_standard(item, v["value"], v["level"]),
                 "missing": v.get("missing"), "reason": reason(item.id, v, v["level"])}
        return entry | ({"district": district} if v["level"] == "school" else {})

    rows = values(con, year, indicator_id=indicator_id)
    by_level = {level: [row(v) for v in rows if v["level"] == level] for level in ("city", "district", "school")}
    worst_first = item.direction == "lower"
    schools = sorted((s for s in by_level["school"] if s["value"] is not None),
                     key=lambda s: s["value"], reverse=worst_first)
    schools += [s for s in by_level["school"] if s["value"] is None]  # no data, with its reason, last
    trend: dict[str, dict[int, float]] = {}
    for v in values(con, indicator_id=indicator_id, levels=("city", "district")):
        trend.setdefault(v["unit_code"], {})[v["year"]] = v["value"]
    return {
        "indicator": item.to_dict(),
        "year": year,
        "city": by_level["city"][0] if by_level["city"] else
        {"code": city(con)[0], "value": None, "reason": reason(item.id, None, "city")},
        "districts": by_level["district"],
        "schools": schools,
        "trend": trend,
    }

"""Districts compared on the key indicators (data/key_indicators.toml): city value against each district's.

Only city- and district-level computed values are read (never school rows), for the latest year
the city has a value of any key indicator, and the result is kept per statistics version: at
province scale (165 districts, ~50,000 schools) a page costs a dictionary look-up, not a scan.
"""

from __future__ import annotations

import hashlib
import threading
import tomllib
from functools import cache
from importlib.resources import files

import duckdb

from eduplan.indicators.catalog import catalog
from eduplan.indicators.overview import meets_standard
from eduplan.monitoring import statistics

SIGNS = {">=": "≥", "<=": "≤"}
_lock = threading.Lock()
_cached: dict = {"version": None, "value": None}


@cache
def key_indicators() -> tuple[tuple[str, str], ...]:
    """(catalog id, short label) of the compared indicators; a wrong id fails loudly at first use."""
    raw = tomllib.loads(files("eduplan.dashboard").joinpath("data/key_indicators.toml").read_text("utf-8"))
    known = catalog()
    unknown = [spec["id"] for spec in raw["indicator"] if spec["id"] not in known]
    if unknown:
        raise ValueError(f"key_indicators.toml names indicators not in the catalog: {', '.join(unknown)}")
    return tuple((spec["id"], spec["short"]) for spec in raw["indicator"])


def comparison() -> dict | None:
    """{year, city: {code, name}, indicators: [...]} or None when there are no computed statistics.

    Each indicator: {id, name, short, unit, direction, threshold, city, districts, below} with
    districts a list of {code, name, value, meets} in district-code order and `below` the number
    of districts not meeting the official standard (None without a standard).
    """
    stamp = statistics.version()
    version = None if stamp is None else (str(statistics.stats_path()), stamp)
    with _lock:
        if version is not None and _cached["version"] == version:
            return _cached["value"]
    with statistics.reading() as con:
        value = _read(con) if con is not None else None
    if value is not None:  # names the version in the page's fragment cache (165 districts' table, rendered once)
        value["key"] = hashlib.sha1(repr(version).encode()).hexdigest()[:16]
    with _lock:
        _cached.update(version=version, value=value)
    return value


def reset_cache() -> None:
    with _lock:
        _cached.update(version=None, value=None)


def _read(con: duckdb.DuckDBPyConnection) -> dict | None:
    ids = [key for key, _short in key_indicators()]
    marks = ", ".join("?" * len(ids))
    try:
        year = con.execute(f"SELECT MAX(year) FROM indicator_values WHERE level = 'city' AND indicator_id IN ({marks})",
                           ids).fetchone()[0]
    except duckdb.CatalogException:  # statistics imported but never computed
        return None
    if year is None:
        return None
    rows = con.execute(f"SELECT level, unit_code, indicator_id, value FROM indicator_values WHERE year = ? "
                       f"AND level IN ('city', 'district') AND indicator_id IN ({marks})", [year, *ids]).fetchall()
    units = con.execute("SELECT code, name, level FROM org_units").fetchall()
    names = {code: name for code, name, _level in units}
    city_code = next((code for code, _name, level in units if level == "city"), None)
    return {"year": year, "city": {"code": city_code, "name": names.get(city_code, city_code)},
            "indicators": [_indicator(key, short, rows, names) for key, short in key_indicators()]}


def _indicator(key: str, short: str, rows: list[tuple], names: dict[str, str]) -> dict:
    item = catalog()[key]
    city_value = next((value for level, _code, ind, value in rows if ind == key and level == "city"), None)
    districts = sorted(({"code": code, "name": names.get(code, code), "value": value,
                         "meets": meets_standard(item, value)}
                        for level, code, ind, value in rows if ind == key and level == "district"),
                       key=lambda d: d["code"])
    below = None if item.threshold is None else sum(1 for d in districts if d["meets"] is False)
    threshold = None if item.threshold is None else {
        "op": item.threshold.op, "value": item.threshold.value,
        "text": f"{SIGNS.get(item.threshold.op, item.threshold.op)} {item.threshold.value:g}{item.unit}"}
    return {"id": key, "name": item.name, "short": short, "unit": item.unit, "direction": item.direction,
            "threshold": threshold, "city": city_value, "city_meets": meets_standard(item, city_value),
            "districts": districts, "below": below}

"""指标监测: school statistics in, official indicators for city, districts and schools out.

Public functions (the web pages call these):
    connect(path)                       open (and create) a statistics database
    compute(con, years)                 every indicator for every org unit and year → indicator_values
    values(con, year, ...)              read computed values back
    trace(con, indicator_id, unit, year) the rows a value came from
    indicator_overview(con, id, year)   city, districts side by side, schools sorted, trend (for the pages)
    importer.write_template / importer.import_statistics   templates out; all-or-nothing import in
    targets.link_target / targets.judge / targets.judge_plan  plan targets linked and judged
"""

from __future__ import annotations

import importlib

# Names load on first use (PEP 562), so `eduplan --help` does not pay for importing DuckDB.
_EXPORTS = {
    # not catalog(): importing the submodule eduplan.indicators.catalog rebinds that name to the module
    "Indicator": "catalog", "indicator": "catalog",
    "compute": "engine", "trace": "engine", "values": "engine",
    "IndicatorError": "errors",
    "indicator_overview": "overview",
    "connect": "schema", "years_loaded": "schema",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    if name not in _EXPORTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{_EXPORTS[name]}", __name__), name)
    globals()[name] = value
    return value

"""指标监测: school statistics in, official indicators for city, districts and schools out.

Public functions (the web pages call these):
    connect(path)                       open (and create) a statistics database
    compute(con, years)                 every indicator for every org unit and year → indicator_values
    values(con, year, ...)              read computed values back
    trace(con, indicator_id, unit, year) the rows a value came from
    import_statistics(con, path, year)  all-or-nothing import of an xlsx or a folder of csv files
    link_target(target) / judge(...)    link a plan target to catalog indicators and judge it
"""

from __future__ import annotations

from .catalog import Indicator, catalog, indicator
from .engine import compute, trace, values
from .errors import IndicatorError
from .schema import connect, years_loaded

__all__ = [
    "Indicator",
    "IndicatorError",
    "catalog",
    "compute",
    "connect",
    "indicator",
    "trace",
    "values",
    "years_loaded",
]

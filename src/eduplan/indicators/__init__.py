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

from .catalog import Indicator, catalog, indicator
from .engine import compute, trace, values
from .errors import IndicatorError
from .overview import indicator_overview
from .schema import connect, years_loaded

__all__ = [
    "Indicator",
    "IndicatorError",
    "catalog",
    "compute",
    "connect",
    "indicator",
    "indicator_overview",
    "trace",
    "values",
    "years_loaded",
]

"""指标监测 on the web: plan targets linked to catalog indicators and judged, for the ledger and dashboard.

statistics.reading() / statistics.writing()  the DuckDB statistics database as the web sees it
judging.judge_targets(targets)                 ledger targets → their link and judgement
views (urls under /indicators/)                the catalog, one page per indicator, a value's trace,
                                               the statistics import, the office's link confirmation
access.scope_of(user)                          which schools' rows a user may see
templatetags.monitoring.judged_targets          the judged-targets block of the ledger item page
"""

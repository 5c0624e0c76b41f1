"""指标监测 on the web: plan targets linked to catalog indicators and judged, for the ledger and dashboard.

statistics.reading() / statistics.writing()  the DuckDB statistics database as the web sees it
judging.judge_targets(targets)                 ledger targets → their link and judgement
"""

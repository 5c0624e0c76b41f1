"""Documents drafted from a plan: the year-end 工作总结 and the monthly progress report (月报)."""

from .monthly import MonthlyEntry, MonthlyReport, build_monthly_from_plan, write_monthly
from .summary import (
    SectionSummary,
    SummaryInput,
    TargetResult,
    TaskSummary,
    build_summary_from_plan,
    write_summary,
)

__all__ = [
    "MonthlyEntry", "MonthlyReport", "SectionSummary", "SummaryInput", "TargetResult", "TaskSummary",
    "build_monthly_from_plan", "build_summary_from_plan", "write_monthly", "write_summary",
]

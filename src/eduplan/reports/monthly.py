"""The monthly progress report (月报) as .docx, in the same official layout as the summary:
an overview (counts by status and a task table), then per task its lead unit, progress,
problems, next steps and status.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, Literal

from ..reader.model import Document
from .layout import add_body, add_heading, add_table, add_title, labels, official_document, save
from .numbering import section_label, task_label
from .summary import plan_sections

Status = Literal["done", "on_schedule", "behind", "not_started", "no_report", "suspended"]
STATUSES: tuple[Status, ...] = ("done", "on_schedule", "behind", "not_started", "no_report", "suspended")


@dataclass
class MonthlyEntry:
    task: str
    lead_unit: str = ""
    progress: str = ""
    problems: str = ""
    next_steps: str = ""
    status: Status = "no_report"
    due_date: str = ""  # ISO date, when the ledger knows it
    overdue: bool = False
    missing_units: list[str] = field(default_factory=list)  # lead units that did not report this month
    number: str = ""  # 序号 as the plan numbers the item (一、（一）1.), when the ledger knows it


@dataclass
class MonthlyReport:
    title: str
    period: str  # e.g. 2024年3月
    entries: list[MonthlyEntry] = field(default_factory=list)


def build_monthly_from_plan(plan_document: Document, period: str,
                            updates: Mapping[str, Mapping[str, str]] | None = None) -> MonthlyReport:
    """One entry per task of the plan; updates are keyed like the summary's progress
    (a task's title or its position "2.6") and hold lead_unit, progress, problems, next_steps, status.
    A task nobody reported on stays in the report as 未报送: missing reports must show.
    """
    updates = updates or {}
    entries = []
    for position, (section, tasks) in enumerate(plan_sections(plan_document), start=1):
        for index, task in enumerate(tasks, start=1):
            key = f"{position}.{index}" if section else str(position)
            update = updates.get(key) or updates.get(task.title) or {}
            status = update.get("status", "no_report" if not update else "on_schedule")
            entries.append(MonthlyEntry(
                task=task.title, lead_unit=update.get("lead_unit", ""), progress=update.get("progress", ""),
                problems=update.get("problems", ""), next_steps=update.get("next_steps", ""),
                status=status if status in STATUSES else "on_schedule",
            ))
    return MonthlyReport(title=monthly_title(plan_document.title, period), period=period, entries=entries)


def monthly_title(plan_title: str | None, period: str) -> str:
    """某市教育局2024年工作要点, 2024年3月 → 某市教育局2024年3月工作进展月报."""
    base = re.sub(r"(\d{4}年)?(工作要点|工作计划)$", "", (plan_title or "").strip())
    return f"{base}{period}{labels()['monthly']['title_suffix']}"


def write_monthly(report: MonthlyReport, out: Path | str | BinaryIO) -> Path | BinaryIO:
    words, statuses = labels()["monthly"], labels()["statuses"]
    document = official_document()
    document.core_properties.title = report.title
    document.core_properties.language = "zh-CN"
    add_title(document, report.title)
    add_heading(document, f"{section_label(1)}{words['overview_heading']}", level=1)
    add_body(document, _counts_sentence(report, words, statuses))
    rows = [[entry.number or str(number), entry.task, entry.lead_unit or "—", statuses[entry.status]]
            for number, entry in enumerate(report.entries, start=1)]
    add_table(document, list(words["overview_table_header"]), rows, widths_mm=[22, 72, 32, 30])
    add_heading(document, f"{section_label(2)}{words['tasks_heading']}", level=1)
    for number, entry in enumerate(report.entries, start=1):
        add_heading(document, f"{task_label(number)}{entry.task}", level=2)
        for key, value in (("lead_unit", entry.lead_unit), ("progress", entry.progress),
                           ("problems", entry.problems), ("next_steps", entry.next_steps)):
            add_body(document, f"{words[key]}：{value or words['none']}")
        _write_flags(document, entry, words)
        add_body(document, f"{words['status']}：{statuses[entry.status]}")
    return save(document, out)


def _write_flags(document, entry: MonthlyEntry, words: Mapping) -> None:
    """The due date (marked when passed) and the lead units that did not report: what the office chases."""
    if entry.due_date:
        add_body(document, f"{words['due_date']}：{entry.due_date}{words['overdue'] if entry.overdue else ''}")
    if entry.missing_units:
        add_body(document, f"{words['missing_units']}：{'、'.join(entry.missing_units)}")


def _counts_sentence(report: MonthlyReport, words: Mapping, statuses: Mapping) -> str:
    counts = Counter(entry.status for entry in report.entries)
    parts = "，".join(f"{statuses[status]}{counts[status]}项" for status in STATUSES if counts[status])
    sentence = words["counts"].format(total=len(report.entries), parts=parts or words["none"])
    overdue = sum(entry.overdue for entry in report.entries)
    missing = sum(bool(entry.missing_units) for entry in report.entries)
    return sentence + (words["flags"].format(overdue=overdue, missing=missing) if overdue or missing else "")

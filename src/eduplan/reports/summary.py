"""The year-end 工作总结 as a .docx draft: the plan's sections, what each task did, each target
against its achieved value, and a 存在问题 list drawn from missed and at-risk targets.

The input is plain data (the dataclasses below) so that the ledger, the CLI and tests can all
fill it; `build_summary_from_plan` fills it from a reader Document plus optional progress texts
and achieved values.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, Literal

from ..reader.model import Document, Item, Target
from .layout import add_body, add_heading, add_table, add_title, labels, official_document, save
from .numbering import section_label, task_label

Judgement = Literal["met", "on_track", "at_risk", "missed", "no_data"]
JUDGEMENTS: tuple[Judgement, ...] = ("met", "on_track", "at_risk", "missed", "no_data")


@dataclass
class TargetResult:
    """One target and what was achieved against it."""

    indicator: str
    comparator: str
    value: float
    unit: str
    achieved: float | None = None
    judgement: Judgement = "no_data"
    value_max: float | None = None
    quote: str = ""


@dataclass
class TaskSummary:
    title: str
    done: list[str] = field(default_factory=list)  # texts from progress reports, in order
    targets: list[TargetResult] = field(default_factory=list)


@dataclass
class SectionSummary:
    title: str
    tasks: list[TaskSummary] = field(default_factory=list)


@dataclass
class SummaryInput:
    title: str
    year: int | None = None
    intro: str = ""
    sections: list[SectionSummary] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # stated problems; target ones are added
    next_steps: list[str] = field(default_factory=list)  # 下一步工作打算, from the units' reports
    issuer: str = ""  # 落款: the issuing body and the date, when known
    issued: str = ""

    def targets(self) -> Iterable[TargetResult]:
        for section in self.sections:
            for task in section.tasks:
                yield from task.targets


# --- judging --------------------------------------------------------------------------------

def judge(comparator: str, value: float, achieved: float | None, value_max: float | None = None,
          elapsed: float = 1.0) -> Judgement:
    """Met, or else missed at year end (elapsed = 1) / on track or at risk by the share of the year gone.

    Counts (=) and increases (+) are floors: 新建24所 is met by 25. 约 (~) allows 5 % short.
    """
    if achieved is None:
        return "no_data"
    if _meets(comparator, value, achieved, value_max):
        return "met"
    if elapsed >= 1.0:
        return "missed"
    if comparator == "<=":  # a ceiling is judged on the level itself, not on progress
        return "at_risk"
    return "on_track" if achieved >= value * elapsed else "at_risk"


def _meets(comparator: str, value: float, achieved: float, value_max: float | None) -> bool:
    if comparator == "<=":
        return achieved <= value
    if comparator == "~":
        return achieved >= value * 0.95
    if comparator == "between" and value_max is not None:
        return achieved >= value  # the upper figure of 3-5个 is ambition, not a cap
    return achieved >= value


def gap(result: TargetResult) -> float | None:
    """Achieved minus target, sign turned so that negative always means short of the target."""
    if result.achieved is None:
        return None
    difference = result.achieved - result.value
    return -difference if result.comparator == "<=" else difference


# --- from a reader Document ------------------------------------------------------------------

def build_summary_from_plan(plan_document: Document, progress: Mapping[str, str | list[str]] | None = None,
                            values: Mapping[str, float | Mapping] | None = None,
                            elapsed: float = 1.0) -> SummaryInput:
    """Map a plan onto the summary's structure.

    progress: texts of what was done, keyed by a task's title or its position "2.6" (section 2,
    sixth task of the plan in document order) or "2" for a plan without sections.
    values: achieved values keyed by indicator name (as the reader or the indicator engine names
    it) or by the target's quote; a value may be a number or {"value": x, "judgement": "..."}.
    """
    progress = progress or {}
    values = values or {}
    sections = []
    for position, (section_item, tasks) in enumerate(plan_sections(plan_document), start=1):
        summaries = [_task_summary(task, f"{position}.{index}" if section_item else str(position),
                                   progress, values, elapsed)
                     for index, task in enumerate(tasks, start=1)]
        sections.append(SectionSummary(title=section_item.title if section_item else "", tasks=summaries))
    year = plan_document.year
    return SummaryInput(title=summary_title(plan_document.title, year), year=year, intro=summary_intro(year),
                        sections=merge_flat(sections), problems=list(plan_document.problems))


def plan_sections(document: Document) -> list[tuple[Item | None, list[Item]]]:
    """Top-level items with children are sections; a flat plan is one untitled section per task."""
    if any(item.children for item in document.items):
        return [(item, item.children or [item]) for item in document.items]
    return [(None, [item]) for item in document.items]


def merge_flat(sections: list[SectionSummary]) -> list[SectionSummary]:
    """A plan where some sections have no heading reads as one list of tasks."""
    if all(section.title for section in sections):
        return sections
    return [SectionSummary(title="", tasks=[task for section in sections for task in section.tasks])]


def summary_intro(year: int | None) -> str:
    return labels()["summary"]["intro"].format(year=year) if year else ""


def summary_title(plan_title: str | None, year: int | None) -> str:
    """某市教育局2024年工作要点 → 某市教育局2024年工作总结."""
    suffix = labels()["summary"]["title_suffix"]
    base = (plan_title or "").strip()
    for plan_word in ("工作要点", "工作计划", "工作总结"):
        if base.endswith(plan_word):
            base = base[: -len(plan_word)]
            break
    return f"{base}{suffix}" if base else f"{year or ''}年{suffix}"


def _task_summary(item: Item, position: str, progress: Mapping, values: Mapping,
                  elapsed: float) -> TaskSummary:
    texts = progress.get(position) or progress.get(item.title) or []
    done = [texts] if isinstance(texts, str) else list(texts)
    targets = [_target_result(target, values, elapsed) for child in item.walk() for target in child.targets]
    return TaskSummary(title=item.title, done=done, targets=targets)


def _target_result(target: Target, values: Mapping, elapsed: float) -> TargetResult:
    given = values.get(target.indicator, values.get(target.quote))
    judgement = None
    if isinstance(given, Mapping):
        judgement = given.get("judgement")
        given = given.get("value")
    achieved = float(given) if given is not None else None
    if judgement not in JUDGEMENTS:
        judgement = judge(target.comparator, target.value, achieved, target.value_max, elapsed)
    return TargetResult(indicator=target.indicator, comparator=target.comparator, value=target.value,
                        unit=target.unit, achieved=achieved, judgement=judgement,
                        value_max=target.value_max, quote=target.quote)


# --- writing the .docx ---------------------------------------------------------------------

def write_summary(summary: SummaryInput, out: Path | str | BinaryIO) -> Path | BinaryIO:
    """Write the 工作总结 draft to `out` (.docx) and return its path."""
    document = official_document()
    document.core_properties.title = summary.title
    document.core_properties.language = "zh-CN"
    words = labels()["summary"]
    add_title(document, summary.title)
    if summary.intro:
        add_body(document, summary.intro)
    heading_number = 0
    for section in summary.sections:
        if section.title:
            heading_number += 1
            add_heading(document, f"{section_label(heading_number)}{section.title}", level=1)
        for task_number, task in enumerate(section.tasks, start=1):
            _write_task(document, task, task_number, words)
    add_heading(document, f"{section_label(heading_number + 1)}{words['problems_heading']}", level=1)
    for number, problem in enumerate(problems_of(summary), start=1):
        add_body(document, f"{number}．{problem}")
    add_heading(document, f"{section_label(heading_number + 2)}{words['next_steps_heading']}", level=1)
    for number, step in enumerate(summary.next_steps or [words["next_steps_none"]], start=1):
        add_body(document, f"{number}．{step}")
    _write_signature(document, summary)
    return save(document, out)


def _write_signature(document, summary: SummaryInput) -> None:
    """落款: the issuer and the date at the right, after a blank line (GB/T 9704 7.3.5)."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    lines = [text for text in (summary.issuer, summary.issued) if text]
    for text in ([""] + lines) if lines else []:
        document.add_paragraph(text).alignment = WD_ALIGN_PARAGRAPH.RIGHT


def _write_task(document, task: TaskSummary, number: int, words: Mapping) -> None:
    add_heading(document, f"{task_label(number)}{task.title}", level=2)
    for text in task.done or [words["no_progress"]]:
        add_body(document, text)
    if task.targets:
        rows = [[target_phrase(t), figure(t.achieved, t.unit), gap_phrase(t), labels()["judgements"][t.judgement]]
                for t in task.targets]
        add_table(document, list(words["targets_header"]), rows, widths_mm=[76, 28, 28, 24])


def problems_of(summary: SummaryInput) -> list[str]:
    """Stated problems first, then one line per missed or at-risk target, then one line naming
    the targets without data (one each would bury the real problems under a list of gaps)."""
    words = labels()["summary"]
    lines = list(summary.problems)
    unmeasured = []
    for result in summary.targets():
        if result.judgement == "no_data":
            unmeasured.append(result.indicator)
            continue
        template = {"missed": "problem_missed", "at_risk": "problem_at_risk"}.get(result.judgement)
        if template:
            lines.append(words[template].format(indicator=result.indicator, target=target_phrase(result),
                                                achieved=figure(result.achieved, result.unit),
                                                gap=gap_phrase(result)))
    if unmeasured:
        lines.append(words["problem_no_data"].format(count=len(unmeasured), indicators="、".join(unmeasured)))
    return lines


def target_phrase(result: TargetResult) -> str:
    word = labels()["comparators"].get(result.comparator, "")
    if result.comparator == "between" and result.value_max is not None:
        amount = f"{number_text(result.value)}—{number_text(result.value_max)}{display_unit(result.unit)}"
    else:
        amount = figure(result.value, result.unit)
    return f"{result.indicator}{word}{amount}"


def gap_phrase(result: TargetResult) -> str:
    difference = gap(result)
    if difference is None:
        return "—"
    sign = "+" if difference > 0 else ""
    # a difference of two percentages is in percentage points (51.76% against 52%: -0.24个百分点)
    unit = "个百分点" if result.unit == "%" else display_unit(result.unit)
    return f"{sign}{number_text(difference)}{unit}"


def figure(value: float | None, unit: str) -> str:
    return "—" if value is None else f"{number_text(value)}{display_unit(unit)}"


def display_unit(unit: str) -> str:
    return "" if unit == "1:N" else unit


def number_text(value: float) -> str:
    """Figures as people write them: 12000 and 51.1 stay plain, no trailing .0; from 100000 up
    in 万 and from 1e8 in 亿 (3.5亿元, 50.2万人次), as bureau documents write large figures."""
    for threshold, size, word in ((1e8, 1e8, "亿"), (1e5, 1e4, "万")):
        if abs(value) >= threshold:
            return f"{_plain(value / size)}{word}"
    return _plain(value)


def _plain(value: float) -> str:
    rounded = round(value, 2)
    return str(int(rounded)) if rounded == int(rounded) else f"{rounded:g}"

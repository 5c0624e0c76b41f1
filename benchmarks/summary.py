"""Year-end summary build time: an 84-task plan with a year of (generated) monthly reports.

Goal: under 2 s from plan + reports to the written .docx. The baseline is python-docx writing
the same text (every heading, progress line, target row and problem) as plain paragraphs with
no styling, tables or page setup: the cost of python-docx itself, which the summary cannot beat.
Run: .venv/bin/python benchmarks/summary.py
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from docx import Document as new_document

from eduplan.reader.model import Document, Item, Target
from eduplan.reports.summary import (
    build_summary_from_plan,
    figure,
    gap_phrase,
    problems_of,
    target_phrase,
    write_summary,
)

SECTIONS, TASKS_PER_SECTION, TARGETS_PER_TASK, MONTHS = 12, 7, 2, 12
GOAL_SECONDS = 2.0


def generated_plan() -> Document:
    """12 sections × 7 tasks = 84 tasks, two targets each, titles and text of realistic length."""
    sections = []
    number = 0
    for s in range(1, SECTIONS + 1):
        tasks = []
        for _ in range(TASKS_PER_SECTION):
            number += 1
            targets = [Target(quote=f"指标{number}-{k}达到{50 + k}%", indicator=f"第{number}项任务指标{k}",
                              comparator=">=", value=50 + k, unit="%") for k in range(1, TARGETS_PER_TASK + 1)]
            text = f"推进第{number}项重点任务。" + "完善工作机制，加强统筹协调，确保任务按期完成。" * 3
            tasks.append(Item(marker=f"{number}.", number=number, title=f"推进第{number}项重点任务",
                              text=text, targets=targets))
        sections.append(Item(marker=f"{s}、", number=s, title=f"第{s}方面工作", text="", children=tasks))
    return Document(title="某市教育局2024年工作要点", year=2024, kind="plan", items=sections)


def generated_year(plan: Document) -> tuple[dict[str, list[str]], dict[str, float]]:
    """Twelve monthly progress texts per task, and an achieved value for every target (a third short)."""
    progress, values = {}, {}
    for s, section in enumerate(plan.items, start=1):
        for t, task in enumerate(section.children, start=1):
            progress[f"{s}.{t}"] = [f"{month}月：{task.title}按计划推进，召开专题会议，完成阶段性工作，"
                                    f"督促各区县落实责任。" for month in range(1, MONTHS + 1)]
            for index, target in enumerate(task.targets):
                values[target.indicator] = target.value - (5 if (task.number + index) % 3 == 0 else -1)
    return progress, values


def build(plan, progress, values, out: Path):
    summary = build_summary_from_plan(plan, progress, values)
    write_summary(summary, out)
    return summary


def plain_baseline(summary, out: Path) -> None:
    """The same text as unstyled paragraphs: python-docx's own floor."""
    document = new_document()
    document.add_paragraph(summary.title)
    for section in summary.sections:
        document.add_paragraph(section.title)
        for task in section.tasks:
            document.add_paragraph(task.title)
            for line in task.done:
                document.add_paragraph(line)
            for result in task.targets:
                document.add_paragraph(" ".join((target_phrase(result), figure(result.achieved, result.unit),
                                                 gap_phrase(result), result.judgement)))
    for line in problems_of(summary):
        document.add_paragraph(line)
    document.save(out)


def best_of(runs: int, job) -> float:
    """Seconds of the fastest run: the least disturbed by other work on the machine."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        job()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="timed runs, the fastest counts (default 5)")
    args = parser.parse_args()
    plan = generated_plan()
    progress, values = generated_year(plan)
    with tempfile.TemporaryDirectory() as folder:
        summary_path, baseline_path = Path(folder) / "summary.docx", Path(folder) / "plain.docx"
        summary = build(plan, progress, values, summary_path)  # warm-up: imports, template, data files
        seconds = best_of(args.runs, lambda: build(plan, progress, values, summary_path))
        baseline = best_of(args.runs, lambda: plain_baseline(summary, baseline_path))
        size = summary_path.stat().st_size
    tasks = sum(len(section.tasks) for section in summary.sections)
    targets = sum(1 for _ in summary.targets())
    paragraphs = sum(len(task.done) for section in summary.sections for task in section.tasks)
    print(f"plan: {tasks} tasks, {targets} targets, {paragraphs} progress paragraphs, "
          f"{len(problems_of(summary))} problems; docx {size / 1024:.0f} KiB")
    print(f"summary build (map + write .docx): {seconds:.3f} s   goal < {GOAL_SECONDS:.1f} s")
    print(f"baseline (plain paragraphs):       {baseline:.3f} s   ratio {seconds / baseline:.2f}×")
    return 0 if seconds < GOAL_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())

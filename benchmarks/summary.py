"""Year-end summary build time from the ledger: an 84-task plan with a year of monthly reports.

A temporary SQLite ledger holds 12 sections × 7 tasks, two targets each, and for every task
twelve monthly progress reports, each stating both targets' values (1,008 reports, 2,016 values).
Timed: reading it all from the database, judging every target (monitoring.judging, then the
reported values), and writing the .docx: what a leader's download costs. Goal: under 2 s.

Baseline, measured in the same run: writing the .docx from the already-assembled SummaryInput
(no database, no judging), so the ratio is what drawing the summary from the ledger adds.
Run: .venv/bin/python benchmarks/summary.py   (the machine's load moves both figures alike)
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
import time
from pathlib import Path

SECTIONS, TASKS_PER_SECTION, TARGETS_PER_TASK, MONTHS = 12, 7, 2, 12
YEAR = 2024
GOAL_SECONDS = 2.0


def set_up_django(folder: Path) -> None:
    """A fresh SQLite ledger in `folder`, and no statistics: every target falls back to reports."""
    os.environ.pop("DATABASE_URL", None)
    os.environ["EDUPLAN_DATA_DIR"] = str(folder)
    os.environ["EDUPLAN_STATS_DB"] = str(folder / "no-statistics.duckdb")
    os.environ["DJANGO_SETTINGS_MODULE"] = "eduplan.web.settings"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def populate():
    """The plan, its tasks and targets, and a year of reports, written in bulk."""
    from eduplan.ledger.models import Assignment, Org, Plan, ProgressReport, Target, TargetValue, Task

    bureau = Org.objects.create(kind="bureau", code="B", name="某市教育局")
    units = Org.objects.bulk_create([Org(kind="department", code=f"u{n}", name=f"第{n}处", parent=bureau)
                                     for n in range(1, SECTIONS + 1)])
    plan = Plan.objects.create(title=f"某市教育局{YEAR}年工作要点", year=YEAR, status="published")
    tasks = Task.objects.bulk_create([
        Task(plan=plan, position=n, section=f"第{(n - 1) // TASKS_PER_SECTION + 1}方面工作", title=f"推进第{n}项重点任务",
             content="完善工作机制，加强统筹协调，确保任务按期完成。" * 3, status="active",
             due_date=dt.date(YEAR, 12, 31))
        for n in range(1, SECTIONS * TASKS_PER_SECTION + 1)])
    Assignment.objects.bulk_create([Assignment(task=task, org=units[(task.position - 1) // TASKS_PER_SECTION],
                                               role="lead", status="signed") for task in tasks])
    targets = Target.objects.bulk_create([
        Target(task=task, indicator=f"第{task.position}项任务指标{k}", comparator=">=", value=50 + k, unit="%",
               quote=f"指标{task.position}-{k}达到{50 + k}%") for task in tasks for k in range(1, TARGETS_PER_TASK + 1)])
    reports = ProgressReport.objects.bulk_create([
        ProgressReport(task=task, org=units[(task.position - 1) // TASKS_PER_SECTION], period=dt.date(YEAR, month, 1),
                       progress=f"{month}月：{task.title}按计划推进，召开专题会议，完成阶段性工作，督促各区县落实责任。",
                       problems="部分区县进度不平衡。" if task.position % 5 == 0 else "")
        for task in tasks for month in range(1, MONTHS + 1)])
    by_task = {task.id: [t for t in targets if t.task_id == task.id] for task in tasks}
    TargetValue.objects.bulk_create([
        TargetValue(report=report, target=target,
                    value=target.value * report.period.month / MONTHS - (5 if target.id % 3 == 0 else -1))
        for report in reports for target in by_task[report.task_id]])
    return plan, len(tasks), len(targets), len(reports)


def timed(job) -> float:
    start = time.perf_counter()
    job()
    return time.perf_counter() - start


def best_of(runs: int, *jobs) -> list[float]:
    """Each job's fastest run, the jobs taking turns so that a burst of load elsewhere on the
    machine falls on both sides of the ratio rather than on one."""
    times = [[] for _ in jobs]
    for _ in range(runs):
        for job, spent in zip(jobs, times, strict=True):
            spent.append(timed(job))
    return [min(spent) for spent in times]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="timed runs, the fastest counts (default 5)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        set_up_django(Path(folder))
        from eduplan.reports.from_ledger import monthly_from_ledger, summary_from_ledger
        from eduplan.reports.monthly import write_monthly
        from eduplan.reports.summary import problems_of, write_summary

        plan, tasks, targets, reports = populate()
        as_of = dt.date(YEAR + 1, 1, 1)
        out, monthly_out = Path(folder) / "summary.docx", Path(folder) / "monthly.docx"

        def from_ledger():
            return write_summary(summary_from_ledger(plan, as_of=as_of), out)

        cold = timed(from_ledger)  # first build: imports, linking every target against the catalog
        summary = summary_from_ledger(plan, as_of=as_of)
        seconds, baseline, monthly = best_of(
            args.runs, from_ledger, lambda: write_summary(summary, out),
            lambda: write_monthly(monthly_from_ledger(plan, YEAR, 11, as_of), monthly_out))
        size = out.stat().st_size
    judged = {key: sum(1 for t in summary.targets() if t.judgement == key) for key in ("met", "missed", "no_data")}
    print(f"ledger: {tasks} tasks, {targets} targets, {reports} monthly reports; summary: "
          f"{len(problems_of(summary))} problems, targets {judged}; docx {size / 1024:.0f} KiB")
    print(f"summary from the ledger (query + judge + write .docx): {seconds:.3f} s   goal < {GOAL_SECONDS:.1f} s"
          f"   (first build {cold:.3f} s)")
    print(f"baseline (.docx from the assembled SummaryInput):      {baseline:.3f} s   ratio {seconds / baseline:.2f}×")
    print(f"monthly report from the ledger (November):            {monthly:.3f} s")
    return 0 if seconds < GOAL_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())

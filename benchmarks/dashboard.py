"""Dashboard server time at province scale. A benchmark, not a timed test.

    .venv/bin/python benchmarks/dashboard.py [--requests 50] [--scale 15] [--keep DIR]

Builds, in a temporary folder (its own SQLite ledger and DuckDB statistics file; DATABASE_URL is
ignored so no real database is touched):
- the province-scale statistics: demo.statistics.generate(scale=15: 165 districts, ~53,000 schools,
  six years) and engine.compute;
- a ledger with one published 84-task plan (12 sections × 7 tasks, two targets each worded like
  plan targets so the linker and judge do real work), every task led by a department with one or
  two districts co-operating, twelve months of progress reports (a quarter of the tasks stopped
  reporting in the summer), a spread of due dates and a few closed and suspended tasks.

Then a leader's Django test Client requests /dashboard/: the first request (cold: district values
read from DuckDB and targets linked) is shown on its own, then --requests warm requests give p50
and p95 of the server time (the whole request through middleware, view and template, in-process,
no network). Named baselines measured in the same run: the ledger list page (/) for the same user,
and a bare `SELECT 1` round trip to the ledger database. Goal: dashboard p95 under 200 ms.
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import sys
import tempfile
import time
from pathlib import Path

GOAL_MS = 200.0
SECTIONS, TASKS_PER_SECTION, MONTHS = 12, 7, 12
# target wording from real plans, so linking and judging cost what they cost on a real plan
TARGETS = [("公办园在园幼儿占比", ">=", 50, "%"), ("普惠性幼儿园在园幼儿占比", ">=", 85, "%"),
           ("九年义务教育巩固率", ">=", 97, "%"), ("义务教育大班额比例", "<=", 1, "%"),
           ("随迁子女在公办学校就读比例", ">=", 90, "%"), ("学前三年毛入园率", ">=", 92, "%"),
           ("普通高中毛入学率", ">=", 95, "%"), ("培训教师", ">=", 5000, "人次")]


def configure(folder: Path) -> None:
    """The summary benchmark's throw-away SQLite ledger in `folder`, with this benchmark's statistics file."""
    from summary import set_up_django  # benchmarks/summary.py: the same fresh Django set-up

    set_up_django(folder)
    from django.conf import settings

    settings.EDUPLAN_STATS_DB = folder / "statistics.duckdb"


def build_statistics(path: Path, scale: float) -> dict:
    from eduplan.demo.statistics import DemoSpec, generate
    from eduplan.indicators.engine import compute
    from eduplan.indicators.schema import connect

    con = connect(path)
    started = time.perf_counter()
    generate(con, DemoSpec(scale=scale))
    generated = time.perf_counter()
    values = compute(con)
    computed = time.perf_counter()
    counts = con.execute("SELECT (SELECT COUNT(*) FROM org_units WHERE level = 'district'), "
                         "(SELECT COUNT(*) FROM schools WHERE year = (SELECT MAX(year) FROM schools))").fetchone()
    con.close()
    return {"districts": counts[0], "schools": counts[1], "values": values,
            "generate_s": generated - started, "compute_s": computed - generated}


def build_ledger(today: dt.date):
    """One published 84-task plan with a year of monthly reports; returns the leader."""
    from eduplan.demo.city import CITY_CODE
    from eduplan.demo.ledger_demo import create_city
    from eduplan.ledger.models import Assignment, Plan, ProgressReport, Target, Task, User

    orgs = create_city()
    departments = [org for key, org in orgs.items() if key not in ("bureau",) and not key.isdigit()]
    districts = [org for key, org in orgs.items() if key.isdigit()]
    leader = User.objects.create_user("leader", role=User.Role.LEADER, org=orgs["bureau"])
    plan = Plan.objects.create(title=f"{CITY_CODE} {today.year}年工作要点", year=today.year,
                               status=Plan.Status.PUBLISHED)
    statuses = [Task.Status.ACTIVE] * 8 + [Task.Status.REVIEWING, Task.Status.CLOSED]
    tasks = Task.objects.bulk_create([
        Task(plan=plan, position=n, section=f"第{n // TASKS_PER_SECTION + 1}方面工作", title=f"推进第{n + 1}项重点任务",
             content="完善工作机制，加强统筹协调，确保任务按期完成。",
             status=Task.Status.SUSPENDED if n == 83 else statuses[n % len(statuses)],
             due_date=today + dt.timedelta(days=(-20, 4, 15, 28, 60, 120, 200)[n % 7]))
        for n in range(SECTIONS * TASKS_PER_SECTION)])
    assignments, targets, reports = [], [], []
    first = today.replace(day=1)
    months = [first]
    for _ in range(MONTHS - 1):
        months.append((months[-1] - dt.timedelta(days=1)).replace(day=1))
    for n, task in enumerate(tasks):
        lead = departments[n % len(departments)]
        assignments.append(Assignment(task=task, org=lead, role=Assignment.Role.LEAD, status="signed"))
        for k in range(1 + n % 2):
            assignments.append(Assignment(task=task, org=districts[(n + 3 * k) % len(districts)],
                                          role=Assignment.Role.COOPERATE, status="signed"))
        for k in range(2):
            indicator, comparator, value, unit = TARGETS[(2 * n + k) % len(TARGETS)]
            targets.append(Target(task=task, indicator=indicator, comparator=comparator, value=value, unit=unit,
                                  quote=f"{indicator}达到{value}{unit}"))
        stopped = 5 if n % 4 == 1 else 0  # a quarter of the tasks stopped reporting months ago
        for period in months[stopped:]:
            reports.append(ProgressReport(task=task, org=lead, period=period,
                                          progress=f"{period.month}月：按计划推进，完成阶段工作。"))
    Assignment.objects.bulk_create(assignments)
    Target.objects.bulk_create(targets)
    ProgressReport.objects.bulk_create(reports)
    return leader, {"tasks": len(tasks), "targets": len(targets), "reports": len(reports),
                    "assignments": len(assignments)}


def timed(call, n: int) -> list[float]:
    times = []
    for _ in range(n):
        started = time.perf_counter()
        call()
        times.append((time.perf_counter() - started) * 1000)
    return times


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def get(client, url: str):
    def call():
        response = client.get(url)
        if response.status_code != 200:
            sys.exit(f"{url} answered {response.status_code}")
    return call


def comparison_miss() -> float:
    """The districts' values read again, as after a statistics import (the per-version cache emptied)."""
    from eduplan.dashboard import districts

    districts.reset_cache()
    started = time.perf_counter()
    districts.comparison()
    return (time.perf_counter() - started) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--scale", type=float, default=15)
    parser.add_argument("--keep", type=Path, help="build in this folder and keep it (default: a temporary one)")
    args = parser.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="eduplan-dashboard-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    configure(folder)

    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    built = build_statistics(folder / "statistics.duckdb", args.scale)
    print(f"statistics: scale {args.scale:g}, {built['districts']} districts, {built['schools']:,} schools a year, "
          f"{built['values']:,} computed values (generate {built['generate_s']:.1f} s, compute {built['compute_s']:.1f} s)")
    leader, ledger = build_ledger(timezone.localdate())
    print(f"ledger: {ledger['tasks']} tasks, {ledger['targets']} targets, {ledger['assignments']} assignments, "
          f"{ledger['reports']} progress reports (SQLite in {folder})")

    client = Client()
    client.force_login(leader)
    cold = timed(get(client, "/dashboard/"), 1)[0]
    timed(get(client, "/dashboard/"), 3)  # warm-up
    dashboard = timed(get(client, "/dashboard/"), args.requests)
    timed(get(client, "/"), 3)
    ledger_list = timed(get(client, "/"), args.requests)

    def select_one():
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    bare = timed(select_one, args.requests)

    print(f"\n{args.requests} warm requests each, server time in ms (in-process Django test Client):")
    print(f"{'':28}{'p50':>9}{'p95':>9}")
    for name, values in (("dashboard /dashboard/", dashboard), ("baseline: ledger list /", ledger_list),
                         ("baseline: SELECT 1", bare)):
        print(f"{name:28}{percentile(values, .5):9.2f}{percentile(values, .95):9.2f}")
    print(f"dashboard cold (first request, caches empty): {cold:.1f} ms; of which the district comparison "
          f"read from the statistics after a change: {comparison_miss():.1f} ms")
    p50, p95 = percentile(dashboard, .5), percentile(dashboard, .95)
    print(f"ratio dashboard / ledger list (p50): {p50 / percentile(ledger_list, .5):.2f}×; "
          f"dashboard / SELECT 1 (p50): {p50 / max(percentile(bare, .5), 1e-6):.0f}×")
    print(f"goal p95 < {GOAL_MS:.0f} ms: {'met' if p95 < GOAL_MS else 'NOT met'} ({p95:.1f} ms)")
    if args.keep is None:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()

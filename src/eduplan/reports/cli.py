"""`eduplan report summary|monthly PLAN_FILE`: the .docx drafts for people who script."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any, NoReturn

import click

EXIT_BAD_INPUT = 2


def fail(message: str) -> NoReturn:
    click.echo(f"eduplan: {message}", err=True)
    sys.exit(EXIT_BAD_INPUT)


def load_document(path: Path, number: int | None, prefer: str | None = "plan"):
    """Document `number` (1-based) of the file, or else its first document of kind `prefer`
    (its first document of all when prefer is None)."""
    from ..reader import read

    documents = read(path).documents
    if not documents:
        fail(f"{path}: no document found in this file")
    if number is not None:
        if not 1 <= number <= len(documents):
            fail(f"{path} holds {len(documents)} document(s): --doc must be 1 to {len(documents)}")
        return documents[number - 1]
    return next((d for d in documents if d.kind == prefer), documents[0])


def load_json_object(path: Path | None, what: str) -> dict[str, Any]:
    if path is None:
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        fail(f"{path}: no such file ({what})")
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        fail(f"{path}: not a UTF-8 JSON file ({what}): {error}")
    if not isinstance(data, dict):
        fail(f"{path}: {what} must be a JSON object")
    return data


@click.group()
def report_group():
    """Drafts as .docx in the official layout (GB/T 9704): 工作总结 and 月报."""


PLAN_ID_HELP = "Draft from the ledger database instead of a file: the plan's id (see /plans/ on the web)."


@report_group.command("summary")
@click.argument("plan_file", type=click.Path(path_type=Path), required=False)
@click.option("--plan-id", type=int, help=PLAN_ID_HELP)
@click.option("--out", type=click.Path(path_type=Path), default=Path("summary.docx"), show_default=True)
@click.option("--progress", "progress_file", type=click.Path(path_type=Path),
              help='With PLAN_FILE. JSON: {"progress": {"2.6" or task title: text or [texts]}, '
                   '"values": {indicator: number}, "problems": [text]}')
@click.option("--doc", "number", type=int, help="Which document of the file (1-based); default its first plan.")
@click.option("--elapsed", type=click.FloatRange(0, 1), default=1.0, show_default=True,
              help="With PLAN_FILE. Share of the year gone: below 1, unmet targets are on track or at risk.")
@click.option("--as-of", "as_of", help="With --plan-id. Judge as of this day (YYYY-MM-DD); default today, "
                                       "or 1 January after the plan's year once it is over.")
def summary_command(plan_file: Path | None, plan_id: int | None, out: Path, progress_file: Path | None,
                    number: int | None, elapsed: float, as_of: str | None):
    """Draft the year-end 工作总结 of PLAN_FILE, or of the ledger's plan --plan-id, as .docx."""
    from .summary import write_summary

    _one_source(plan_file, plan_id, ledger_only={"--as-of": as_of},
                file_only={"--progress": progress_file, "--doc": number})
    _check_writable(out)
    if plan_id is not None:
        day = _day(as_of) if as_of else None
        plan = ledger_plan(plan_id)  # sets Django up: from_ledger imports the ledger's models
        from .from_ledger import summary_from_ledger

        summary = summary_from_ledger(plan, as_of=day)
    else:
        summary = _summary_from_file(plan_file, progress_file, number, elapsed)
    write_summary(summary, out)
    click.echo(f"{out}: {sum(len(s.tasks) for s in summary.sections)} tasks, "
               f"{sum(1 for _ in summary.targets())} targets", err=True)


def _summary_from_file(plan_file: Path, progress_file: Path | None, number: int | None, elapsed: float):
    from .summary import build_summary_from_plan

    document = load_document(plan_file, number)
    given = load_json_object(progress_file, "progress")
    progress, values, problems = given.get("progress", {}), given.get("values", {}), given.get("problems", [])
    if not isinstance(progress, dict) or not isinstance(values, dict) or not isinstance(problems, list):
        fail(f"{progress_file}: progress and values must be objects, problems a list")
    summary = build_summary_from_plan(document, progress, values, elapsed=elapsed)
    summary.problems += [str(problem) for problem in problems]
    return summary


@report_group.command("monthly")
@click.argument("plan_file", type=click.Path(path_type=Path), required=False)
@click.option("--plan-id", type=int, help=PLAN_ID_HELP)
@click.option("--month", required=True, help="Reporting month as YYYY-MM.")
@click.option("--out", type=click.Path(path_type=Path), default=Path("monthly.docx"), show_default=True)
@click.option("--updates", "updates_file", type=click.Path(path_type=Path),
              help='With PLAN_FILE. JSON: {"2.6" or task title: {"lead_unit", "progress", "problems", '
                   '"next_steps", "status": done|on_schedule|behind|not_started|no_report}}')
@click.option("--doc", "number", type=int, help="Which document of the file (1-based); default its first plan.")
def monthly_command(plan_file: Path | None, plan_id: int | None, month: str, out: Path, updates_file: Path | None,
                    number: int | None):
    """Draft the monthly progress report (月报) of PLAN_FILE, or of the ledger's plan --plan-id, as .docx."""
    from .monthly import build_monthly_from_plan, write_monthly

    match = re.fullmatch(r"(\d{4})-(\d{1,2})", month.strip())
    if not match or not 1 <= int(match.group(2)) <= 12:
        fail(f"--month {month!r}: give the month as YYYY-MM, e.g. 2024-03")
    year, month_number = int(match.group(1)), int(match.group(2))
    _one_source(plan_file, plan_id, ledger_only={}, file_only={"--updates": updates_file, "--doc": number})
    _check_writable(out)
    if plan_id is not None:
        plan = ledger_plan(plan_id)  # sets Django up: from_ledger imports the ledger's models
        from .from_ledger import month_problem, monthly_from_ledger

        problem = month_problem(plan, year, month_number)
        if problem:
            fail(problem)
        report = monthly_from_ledger(plan, year, month_number)
    else:
        document = load_document(plan_file, number)
        updates = load_json_object(updates_file, "updates")
        if not all(isinstance(value, dict) for value in updates.values()):
            fail(f"{updates_file}: each task's update must be a JSON object")
        report = build_monthly_from_plan(document, f"{year}年{month_number}月", updates)
    write_monthly(report, out)
    click.echo(f"{out}: {len(report.entries)} tasks", err=True)


def _one_source(plan_file: Path | None, plan_id: int | None, ledger_only: dict, file_only: dict) -> None:
    """Exactly one of PLAN_FILE and --plan-id, and no option that belongs to the other."""
    if (plan_file is None) == (plan_id is None):
        fail("give either PLAN_FILE or --plan-id N (a plan in the ledger), not both and not neither")
    wrong = [name for name, value in (file_only if plan_id is not None else ledger_only).items() if value is not None]
    if wrong:
        fail(f"{wrong[0]} goes with {'PLAN_FILE' if plan_id is not None else '--plan-id'}")


def _day(text: str):
    import datetime as dt

    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        fail(f"--as-of {text!r}: give a day as YYYY-MM-DD, e.g. 2024-12-31")


def ledger_plan(plan_id: int):
    """The plan from the ledger database (Django settings: DATABASE_URL, or the SQLite file under ./var)."""
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "eduplan.web.settings")
    django.setup()
    from django.db import DatabaseError

    from eduplan.ledger.models import Plan

    try:
        plan = Plan.objects.filter(pk=plan_id).first()
    except DatabaseError as error:
        fail(f"the ledger database cannot be read ({str(error).splitlines()[0]}): "
             "set DATABASE_URL, or run `eduplan serve` once to create it")
    if plan is None:
        known = ", ".join(f"{p.pk} {p.title}" for p in Plan.objects.order_by("pk")[:10])
        fail(f"--plan-id {plan_id}: no such plan in the ledger" + (f" (plans: {known})" if known else " (it is empty)"))
    return plan


def _check_writable(out: Path) -> None:
    if out.suffix.lower() != ".docx":
        fail(f"--out {out}: the draft is a Word file: name it *.docx")
    if not out.parent.is_dir():
        fail(f"--out {out}: folder {out.parent} does not exist")

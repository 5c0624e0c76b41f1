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


@report_group.command("summary")
@click.argument("plan_file", type=click.Path(path_type=Path))
@click.option("--out", type=click.Path(path_type=Path), default=Path("summary.docx"), show_default=True)
@click.option("--progress", "progress_file", type=click.Path(path_type=Path),
              help='JSON: {"progress": {"2.6" or task title: text or [texts]}, '
                   '"values": {indicator: number}, "problems": [text]}')
@click.option("--doc", "number", type=int, help="Which document of the file (1-based); default its first plan.")
@click.option("--elapsed", type=click.FloatRange(0, 1), default=1.0, show_default=True,
              help="Share of the year gone: below 1, unmet targets are on track or at risk, not missed.")
def summary_command(plan_file: Path, out: Path, progress_file: Path | None, number: int | None, elapsed: float):
    """Draft the year-end 工作总结 of PLAN_FILE as .docx."""
    from .summary import build_summary_from_plan, write_summary

    document = load_document(plan_file, number)
    given = load_json_object(progress_file, "progress")
    progress, values, problems = given.get("progress", {}), given.get("values", {}), given.get("problems", [])
    if not isinstance(progress, dict) or not isinstance(values, dict) or not isinstance(problems, list):
        fail(f"{progress_file}: progress and values must be objects, problems a list")
    summary = build_summary_from_plan(document, progress, values, elapsed=elapsed)
    summary.problems += [str(problem) for problem in problems]
    _check_writable(out)
    write_summary(summary, out)
    click.echo(f"{out}: {sum(len(s.tasks) for s in summary.sections)} tasks, "
               f"{sum(1 for _ in summary.targets())} targets", err=True)


@report_group.command("monthly")
@click.argument("plan_file", type=click.Path(path_type=Path))
@click.option("--month", required=True, help="Reporting month as YYYY-MM.")
@click.option("--out", type=click.Path(path_type=Path), default=Path("monthly.docx"), show_default=True)
@click.option("--updates", "updates_file", type=click.Path(path_type=Path),
              help='JSON: {"2.6" or task title: {"lead_unit", "progress", "problems", "next_steps", '
                   '"status": done|on_schedule|behind|not_started|no_report}}')
@click.option("--doc", "number", type=int, help="Which document of the file (1-based); default its first plan.")
def monthly_command(plan_file: Path, month: str, out: Path, updates_file: Path | None, number: int | None):
    """Draft the monthly progress report (月报) of PLAN_FILE as .docx."""
    from .monthly import build_monthly_from_plan, write_monthly

    match = re.fullmatch(r"(\d{4})-(\d{1,2})", month.strip())
    if not match or not 1 <= int(match.group(2)) <= 12:
        fail(f"--month {month!r}: give the month as YYYY-MM, e.g. 2024-03")
    document = load_document(plan_file, number)
    updates = load_json_object(updates_file, "updates")
    if not all(isinstance(value, dict) for value in updates.values()):
        fail(f"{updates_file}: each task's update must be a JSON object")
    report = build_monthly_from_plan(document, f"{match.group(1)}年{int(match.group(2))}月", updates)
    _check_writable(out)
    write_monthly(report, out)
    click.echo(f"{out}: {len(report.entries)} tasks", err=True)


def _check_writable(out: Path) -> None:
    if out.suffix.lower() != ".docx":
        fail(f"--out {out}: the draft is a Word file: name it *.docx")
    if not out.parent.is_dir():
        fail(f"--out {out}: folder {out.parent} does not exist")

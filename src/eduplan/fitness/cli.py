"""`eduplan fitness …`: score an upload file; import results into the statistics database; export them."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from . import sheets, upload
from .errors import FitnessError
from .results import score

EXIT_BAD_INPUT = 2


def _refuse(error: FitnessError):
    click.echo(error.report(), err=True)
    sys.exit(EXIT_BAD_INPUT)


@click.group(name="fitness")
def fitness_group():
    """学生体质健康: score by 《国家学生体质健康标准（2014年修订）》, upload files."""


@fitness_group.command(name="score")
@click.argument("path", type=click.Path(path_type=Path))
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    help="Write the score sheets (.xlsx): all pupils, then a sheet per class.",
)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object per pupil and nothing else.")
def score_command(path: Path, out: Path | None, as_json: bool):
    """Score an upload file (.xlsx or .csv in the national template's layout)."""
    try:
        results = upload.read(path)
        scored = score(results, require_complete=True)
    except FitnessError as error:
        _refuse(error)
    if out is not None:
        sheets.write(scored, out)
    if as_json:
        click.echo(json.dumps([s.to_json() for s in scored], ensure_ascii=False, indent=1))
        return
    bands: dict[str, int] = {}
    for s in scored:
        bands[s.band] = bands.get(s.band, 0) + 1
    summary = "，".join(f"{band} {n} 人" for band, n in sorted(bands.items()))
    click.echo(f"{len(scored)} 名学生已评分：{summary}" + (f"；成绩表已写入 {out}" if out else ""))

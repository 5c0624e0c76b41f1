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
@click.option(
    "--report",
    type=click.Path(path_type=Path),
    help="Write the school's report (.docx): bands and BMI by grade.",
)
@click.option("--school", "school_name", default="", help="The school's name, for the report's title.")
@click.option(
    "--year", type=int, default=None, help="School year, for the report's title (default: this year)."
)
def score_command(
    path: Path, out: Path | None, as_json: bool, report: Path | None, school_name: str, year: int | None
):
    """Score an upload file (.xlsx or .csv in the national template's layout)."""
    try:
        results = upload.read(path)
        scored = score(results, require_complete=True)
    except FitnessError as error:
        _refuse(error)
    if out is not None:
        sheets.write(scored, out)
    if report is not None:
        import datetime as dt

        from . import report as school_report

        school_report.write(scored, school_name or path.stem, year or dt.date.today().year, report)
    if as_json:
        click.echo(json.dumps([s.to_json() for s in scored], ensure_ascii=False, indent=1))
        return
    bands: dict[str, int] = {}
    for s in scored:
        bands[s.band] = bands.get(s.band, 0) + 1
    summary = "，".join(f"{band} {n} 人" for band, n in sorted(bands.items()))
    written = [f"成绩表已写入 {out}"] if out else []
    written += [f"报告已写入 {report}"] if report else []
    click.echo(f"{len(scored)} 名学生已评分：{summary}" + "".join(f"；{w}" for w in written))


def _statistics(db: Path | None):
    """The statistics database the indicator pages read (the same default as `eduplan indicators`)."""
    from eduplan.indicators.cli import default_db
    from eduplan.indicators.schema import connect

    path = db or default_db()
    if not path.exists():
        click.echo(f"eduplan: {path} 不存在：请先导入事业统计数据（eduplan indicators import）", err=True)
        sys.exit(EXIT_BAD_INPUT)
    return connect(path)


_db = click.option(
    "--db",
    type=click.Path(path_type=Path),
    default=None,
    help="Statistics database (default: the web platform's, as for `eduplan indicators`).",
)
_school = click.option(
    "--school", "school_code", required=True, help="学校标识码 of the school the file belongs to."
)
_year = click.option("--year", type=int, required=True, help="School year (its autumn: 2024 = 2024/25).")


@fitness_group.command(name="import")
@click.argument("path", type=click.Path(path_type=Path))
@_school
@_year
@_db
def import_command(path: Path, school_code: str, year: int, db: Path | None):
    """Import a school's upload file: replaces its year and recomputes the fitness indicators."""
    from .store import replace_school_year

    try:
        scored = score(upload.read(path, school_code), require_complete=True)
        con = _statistics(db)
        try:
            stored = replace_school_year(con, year, school_code, scored)
        finally:
            con.close()
    except FitnessError as error:
        _refuse(error)
    click.echo(f"{stored} 名学生的体质健康测试成绩已导入（{school_code}，{year} 学年）")


@fitness_group.command(name="export")
@_school
@_year
@click.option(
    "--out", type=click.Path(path_type=Path), required=True, help="The upload file to write (.xlsx)."
)
@_db
def export_command(school_code: str, year: int, out: Path, db: Path | None):
    """Write a school's stored results as the national upload file (one sheet per grade)."""
    from .store import pupils

    con = _statistics(db)
    try:
        results = pupils(con, year, school_code)
    finally:
        con.close()
    if not results:
        click.echo(f"eduplan: {school_code} 在 {year} 学年没有体质健康测试成绩", err=True)
        sys.exit(EXIT_BAD_INPUT)
    upload.write(results, out)
    click.echo(f"{len(results)} 名学生的成绩已写入 {out}")

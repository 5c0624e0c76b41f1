"""`eduplan indicators …`: compute, trace, seed the demo city, hand out templates, import."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import click

from .errors import IndicatorError  # the catalog, engine and DuckDB load inside the commands

EXIT_BAD_INPUT = 2
DB_ENV = "EDUPLAN_STATS_DB"


def default_db() -> Path:
    """The web platform's statistics (web/settings.py: EDUPLAN_STATS_DB, else EDUPLAN_DATA_DIR or ./var), so
    what the CLI imports and computes is what the indicator pages show."""
    data_dir = Path(os.environ.get("EDUPLAN_DATA_DIR") or Path.cwd() / "var")
    return Path(os.environ.get(DB_ENV) or data_dir / "statistics.duckdb")


class _Group(click.Group):
    """An IndicatorError is a one-line message and exit 2, never a traceback."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except IndicatorError as error:
            click.echo(f"eduplan: {error}", err=True)
            sys.exit(EXIT_BAD_INPUT)


def _open(db: Path | None, seed_if_new: bool = True):
    """The statistics database; a first run seeds it with the demo city so commands work at once."""
    from .schema import connect

    path = db or default_db()
    if seed_if_new and not path.exists():
        from eduplan.demo.statistics import seed_file

        click.echo(f"eduplan: {path} is new: seeding it with the demo city's statistics", err=True)
        seed_file(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    return connect(path)


db_option = click.option("--db", type=click.Path(path_type=Path), default=None,
                         help=f"Statistics database (default ${DB_ENV}, else the web platform's ./var/statistics.duckdb).")


@click.group(cls=_Group)
def indicators_group():
    """指标监测: official indicators for the city, its districts and schools."""


@indicators_group.command()
@click.option("--year", type=int, required=True, help="School year (its autumn: 2024 = 2024/25).")
@click.option("--json", "as_json", is_flag=True, help="Every value for every org unit as JSON.")
@click.option("--level", type=click.Choice(["city", "district", "school"]), multiple=True,
              help="Only these org-unit levels (repeatable; default all in JSON, city and districts in the table).")
@db_option
def compute(year: int, as_json: bool, level: tuple[str, ...], db: Path | None):
    """Compute every catalog indicator for every org unit of YEAR."""
    from .engine import compute as run
    from .engine import values

    con = _open(db)
    run(con, [year])
    levels = level or (("city", "district", "school") if as_json else ("city", "district"))
    rows = values(con, year, levels=levels)
    if as_json:
        click.echo(json.dumps({"year": year, "values": rows}, ensure_ascii=False, indent=1))
    else:
        click.echo(_table(rows, con))


def _table(rows: list[dict], con) -> str:
    """One line per indicator: city value, threshold, and the districts' range."""
    from .catalog import indicator

    by_indicator: dict[str, list[dict]] = {}
    for row in rows:
        by_indicator.setdefault(row["indicator_id"], []).append(row)
    lines = [f"{'indicator':<40} {'city':>12} {'standard':>10} {'district min':>13} {'district max':>13}  name"]
    for indicator_id, group in by_indicator.items():
        item = indicator(indicator_id)
        city_value = next((r["value"] for r in group if r["level"] == "city"), None)
        district_values = [r["value"] for r in group if r["level"] == "district" and r["value"] is not None]
        standard = f"{item.threshold.op}{item.threshold.value:g}" if item.threshold else ""
        lines.append(f"{indicator_id:<40} {_fmt(city_value):>12} {standard:>10} "
                     f"{_fmt(min(district_values, default=None)):>13} {_fmt(max(district_values, default=None)):>13}"
                     f"  {item.name}" + (f"（{item.unit}）" if item.unit else ""))
    return "\n".join(lines)


def _fmt(value: float | None) -> str:
    return "—" if value is None else f"{value:,.3f}"


@indicators_group.command()
@click.argument("indicator_id")
@click.argument("unit_code")
@click.option("--year", type=int, required=True)
@db_option
def trace(indicator_id: str, unit_code: str, year: int, db: Path | None):
    """Print, as JSON, the statistics rows one value came from."""
    from .engine import trace as rows_of

    con = _open(db)
    click.echo(json.dumps(rows_of(con, indicator_id, unit_code, year), ensure_ascii=False, indent=1, default=str))


@indicators_group.command(name="catalog")
@click.option("--json", "as_json", is_flag=True)
def show_catalog(as_json: bool):
    """List the indicator catalog."""
    from .catalog import catalog

    items = [i.to_dict() for i in catalog().values()]
    if as_json:
        click.echo(json.dumps(items, ensure_ascii=False, indent=1))
        return
    for item in items:
        standard = f"{item['threshold']['op']} {item['threshold']['value']:g}" if item["threshold"] else ""
        click.echo(f"{item['id']:<40} {item['name']}  {standard} {item['unit']}  {item['source'] or ''}")


@indicators_group.command()
@click.option("--scale", type=float, default=1.0, show_default=True, help="×1 the demo city, up to ×15 a province.")
@click.option("--seed", type=int, default=None, help="Random seed (default: the demo city's own).")
@click.option("--years", default="2019-2024", show_default=True, help="First-last school year.")
@click.option("--export", "export", type=click.Path(path_type=Path), default=None,
              help="Also write the last year as an import template (.xlsx, or a folder of .csv).")
@db_option
def demo(scale: float, seed: int | None, years: str, export: Path | None, db: Path | None):
    """Write the demo city's seeded statistics into the database."""
    from eduplan.demo.statistics import DEFAULT_SEED, DemoSpec, generate

    first, _, last = years.partition("-")
    try:
        span = tuple(range(int(first), int(last or first) + 1))
    except ValueError:
        raise IndicatorError(f"--years wants FIRST-LAST like 2019-2024, not {years!r}") from None
    con = _open(db, seed_if_new=False)
    generate(con, DemoSpec(years=span, seed=DEFAULT_SEED if seed is None else seed, scale=scale))
    if export is not None:
        from .importer import write_template

        write_template(export, con, span[-1])
    count = con.execute("SELECT count(*) FROM schools").fetchone()[0]
    click.echo(f"demo statistics written: {count} school-years, years {span[0]}-{span[-1]}", err=True)


@indicators_group.command()
@click.argument("out", type=click.Path(path_type=Path))
def template(out: Path):
    """Write the import template (.xlsx: a sheet per table, field notes in Chinese; or a folder of .csv)."""
    from .importer import write_template

    write_template(out)
    click.echo(f"template written to {out}", err=True)


@indicators_group.command(name="import")
@click.argument("source", type=click.Path(path_type=Path))
@click.option("--year", type=int, required=True)
@click.option("--json", "as_json", is_flag=True, help="The validation report as JSON.")
@db_option
def import_command(source: Path, year: int, as_json: bool, db: Path | None):
    """Import a year's statistics from an .xlsx or a folder of .csv files: all or nothing."""
    from .importer import ImportRejected, import_statistics

    con = _open(db)
    try:
        report = import_statistics(con, source, year)
    except ImportRejected as rejected:
        _print_report(rejected.report, as_json)
        click.echo(f"eduplan: {rejected}", err=True)
        sys.exit(EXIT_BAD_INPUT)
    _print_report(report, as_json)


def _print_report(report, as_json: bool) -> None:
    if as_json:
        click.echo(json.dumps(report.to_dict(), ensure_ascii=False, indent=1))
    else:
        for problem in report.problems:
            click.echo(problem.line())
        click.echo(report.summary(), err=True)


@indicators_group.command()
@click.argument("plan_path", type=click.Path(path_type=Path))
@click.option("--as-of", "as_of", default=None, help="Judge as of this date (YYYY-MM-DD; default today).")
@click.option("--json", "as_json", is_flag=True)
@db_option
def judge(plan_path: Path, as_of: str | None, as_json: bool, db: Path | None):
    """Link a plan's targets to catalog indicators and judge them against the city's values."""
    from datetime import date

    from eduplan.reader import ReaderError, read

    from .engine import compute as run
    from .targets import judge_plan

    try:
        when = date.fromisoformat(as_of) if as_of else date.today()
    except ValueError:
        raise IndicatorError(f"--as-of wants a date like 2024-06-30, not {as_of!r}") from None
    try:
        plan = read(plan_path)
    except ReaderError as error:
        raise IndicatorError(str(error)) from None
    con = _open(db)
    run(con)
    results = judge_plan(con, plan, when)
    if as_json:
        click.echo(json.dumps(results, ensure_ascii=False, indent=1))
        return
    for r in results:
        value = "—" if r["value"] is None else f"{r['value']:.4g}"
        why = f"  ({r['reason']})" if r["reason"] else ""
        click.echo(f"{r['status']:<9} {r['indicator_id'] or '-':<36} value {value:>10}  target {r['target']:g}  "
                   f"{r['indicator']}{why}")

"""The one entry point: `eduplan parse | demo | …`."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from .limits import TooLarge
from .reader import Plan, ReaderError, read
from .reader.render import render_outline

EXIT_BAD_INPUT = 2


class _Group(click.Group):
    """Turns any uncaught error into one line on stderr and exit 2: a user never sees a traceback."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except (ReaderError, TooLarge) as error:
            _fail(str(error))
        except (click.exceptions.Exit, click.ClickException, click.Abort, SystemExit):
            raise
        except KeyboardInterrupt:
            _fail("interrupted")
        except Exception as error:  # the last line of defence; the message still names the cause
            _fail(f"internal error: {type(error).__name__}: {error}")


def _fail(message: str):
    click.echo(f"eduplan: {message}", err=True)
    sys.exit(EXIT_BAD_INPUT)


@click.group(cls=_Group)
@click.version_option(package_name="eduplan")
def main():
    """eduplan: a city education bureau's work plan (工作要点) as software."""


@main.command()
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the eduplan.parse/1 JSON object and nothing else.")
@click.option("--out", "out_dir", type=click.Path(path_type=Path),
              help="With a folder PATH: write one <name>.json per file into this folder.")
def parse(path: Path, as_json: bool, out_dir: Path | None):
    """Read a plan file (txt, html, docx, pdf; GBK, Big5 or UTF-8) into its numbered tree.

    PATH may be a folder, with --out, to read every file in it.
    """
    if path.is_dir():
        if out_dir is None:
            _fail(f"{path} is a folder: name where the results go with --out OUTDIR")
        _parse_folder(path, out_dir)
        return
    plan = read(path)
    _warn(plan)
    if out_dir is not None:
        out_dir.mkdir(parents=True, exist_ok=True)
        _write_json(plan, out_dir / f"{path.stem}.json")
    elif as_json:
        click.echo(json.dumps(plan.to_dict(), ensure_ascii=False, indent=1))
    else:
        click.echo(render_outline(plan))


def _parse_folder(folder: Path, out_dir: Path) -> None:
    from rich.progress import Progress

    files = sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith("."))
    if not files:
        _fail(f"{folder}: no files to read")
    out_dir.mkdir(parents=True, exist_ok=True)
    failures = 0
    with Progress(console=_stderr_console(), transient=False) as progress:
        task = progress.add_task("reading", total=len(files))
        for path in files:
            try:
                plan = read(path)
                _write_json(plan, out_dir / f"{path.stem}.json")
                _warn(plan)
            except ReaderError as error:
                failures += 1
                click.echo(f"eduplan: {error}", err=True)
            progress.advance(task)
    click.echo(f"{len(files) - failures} of {len(files)} files read into {out_dir}", err=True)
    if failures:
        sys.exit(EXIT_BAD_INPUT)


def _stderr_console():
    from rich.console import Console

    return Console(stderr=True)


def _write_json(plan: Plan, target: Path) -> None:
    target.write_text(json.dumps(plan.to_dict(), ensure_ascii=False, indent=1), encoding="utf-8")


def _warn(plan: Plan) -> None:
    for warning in plan.warnings:
        click.echo(f"eduplan: warning: {warning}", err=True)


@main.command()
def demo():
    """Read the demo city's own sample plan and print its outline."""
    from .samples import sample_path

    plan = read(sample_path("plan"))
    _warn(plan)
    click.echo(render_outline(plan))


from .indicators.cli import indicators_group  # noqa: E402  (registered last: the reader's commands come first)

main.add_command(indicators_group, name="indicators")

from .insight.cli import compare_command  # noqa: E402
from .reports.cli import report_group  # noqa: E402

main.add_command(report_group, name="report")
main.add_command(compare_command, name="compare")

from .fitness.cli import fitness_group  # noqa: E402

main.add_command(fitness_group, name="fitness")

from .web.serve import serve  # noqa: E402  (the ledger's web server)

main.add_command(serve, name="serve")

from .followup.cli import remind  # noqa: E402  (the daily reminder pass, for cron)

main.add_command(remind, name="remind")

from .web.backup import backup, restore  # noqa: E402

main.add_command(backup, name="backup")
main.add_command(restore, name="restore")


if __name__ == "__main__":
    main()

"""`eduplan compare A B`: two plans side by side, as a table or as JSON."""

from __future__ import annotations

import json
from pathlib import Path

import click

from ..reports.cli import load_document

CHANGE_WORDS = {"tightened": "收紧 tightened", "loosened": "放宽 loosened", "unchanged": "不变 unchanged",
                "new": "新增 new", "dropped": "删去 dropped"}


@click.command("compare")
@click.argument("a", type=click.Path(path_type=Path))
@click.argument("b", type=click.Path(path_type=Path))
@click.option("--doc-a", type=int, help="Which document of A (1-based); default its first.")
@click.option("--doc-b", type=int, help="Which document of B (1-based); default its first, or its second "
                                        "when A and B are one file holding two (a 总结 and the next 要点).")
@click.option("--json", "as_json", is_flag=True, help="Print the comparison as JSON and nothing else.")
def compare_command(a: Path, b: Path, doc_a: int | None, doc_b: int | None, as_json: bool):
    """Compare plan A (earlier, or one city) with plan B: tasks matched, targets tightened or loosened."""
    from .compare import compare

    if doc_b is None and a.resolve() == b.resolve():
        doc_a, doc_b = doc_a or 1, 2
    left = load_document(a, doc_a, prefer=None)
    right = load_document(b, doc_b, prefer=None)
    comparison = compare(left, right)
    if as_json:
        click.echo(json.dumps(comparison.to_dict(), ensure_ascii=False, indent=1))
        return
    _print_tables(comparison)


def _print_tables(comparison) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console(width=max(100, Console().width))
    tasks = Table(title=f"任务对照 Tasks: {comparison.a_title} ↔ {comparison.b_title}", show_lines=False)
    tasks.add_column("A")
    tasks.add_column("B")
    tasks.add_column("相似度", justify="right")
    for pair in comparison.pairs:
        tasks.add_row(pair.a, pair.b, f"{pair.score:.2f}")
    for title in comparison.only_a:
        tasks.add_row(title, "—", "")
    for title in comparison.only_b:
        tasks.add_row("—", title, "")
    console.print(tasks)
    targets = Table(title="目标对照 Targets")
    for column in ("变化 change", "A", "B"):
        targets.add_column(column)
    order = ("tightened", "loosened", "new", "dropped", "unchanged")
    for change in sorted(comparison.targets, key=lambda c: order.index(c.change)):
        targets.add_row(CHANGE_WORDS[change.change], figure_text(change.a), figure_text(change.b))
    console.print(targets)
    counts = {kind: len(comparison.changes(kind)) for kind in order}
    console.print(f"{len(comparison.pairs)} tasks matched, {len(comparison.only_a)} only in A, "
                  f"{len(comparison.only_b)} only in B; targets " + ", ".join(f"{k} {v}" for k, v in counts.items()))


SIGNS = {">=": "≥", "<=": "≤", "~": "约", "+": "提高", "=": "", "actual": "", "between": ""}


def figure_text(figure) -> str:
    if figure is None:
        return "—"
    from ..reports.summary import number_text

    if figure.unit == "1:N":
        amount = f"1:{number_text(figure.value)}"
    elif figure.comparator == "between" and figure.value_max is not None:
        amount = f"{number_text(figure.value)}—{number_text(figure.value_max)}{figure.unit}"
    else:
        amount = f"{number_text(figure.value)}{figure.unit}"
    return f"{figure.indicator} {SIGNS.get(figure.comparator, figure.comparator)}{amount}"

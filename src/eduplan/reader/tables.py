"""A task table (任务分解表) read as the numbered lines a plan would write.

Bureaus often circulate the plan, or its breakdown, as a table: 序号 | 重点任务 | 具体内容 | 牵头单位 |
完成时限. Read cell by cell it is a run of fragments with no numbered structure; read row by row, each
row is the task "N. 重点任务。具体内容。牵头单位：…。完成时限：…" that the outline, target and deadline
readers already understand. A table without a number column and a task or content column is left alone.
"""

from __future__ import annotations

import re
from functools import cache

from .numerals import chinese_to_int
from .textspans import table

_SPACES = re.compile(r"\s+")
_DIGITS = re.compile(r"^(\d{1,3})[.、．]?$")
_SECTION = re.compile(r"^([一二三四五六七八九十]{1,3})[、.．]?$")
_END_PUNCTUATION = "。；;！!？?"


@cache
def _roles() -> dict[str, str]:
    return {header: role for role, rows in table("tables.tsv").items() for (header,) in rows}


def _clean(cell: str) -> str:
    return _SPACES.sub("", cell)


def _header(rows: list[list[str]]) -> tuple[int, list[str]] | None:
    """The header row's index and its cells' roles ("" for any other column), if a task table's."""
    for index, row in enumerate(rows[:3]):  # a title row may stand above the header
        roles = [_roles().get(_clean(cell), "") for cell in row]
        if "number" in roles and ({"task", "content"} & set(roles)):
            return index, roles
    return None


def task_table_lines(rows: list[list[str]]) -> list[str] | None:
    """The table's tasks as numbered lines, sections as their headings; None when it is no task table."""
    found = _header(rows)
    if found is None:
        return None
    index, roles = found
    headers = [_clean(cell) for cell in rows[index]]
    lines = ["".join(_clean(cell) for cell in row) for row in rows[:index]]  # a title row above the header
    lines += [_row_line([_clean(cell) for cell in row], roles, headers) for row in rows[index + 1:]]
    return [line for line in lines if line]


def _row_line(cells: list[str], roles: list[str], headers: list[str]) -> str:
    """"N.任务。内容。牵头单位：…。" for a numbered row; a section's heading; else the row's text."""
    columns = list(zip(cells, roles, headers, strict=False))  # a short row (merged cells) has fewer
    filled = {cell for cell in cells if cell}
    if len(filled) == 1:  # a section spanning the row (merged cells, or one text in each)
        return filled.pop()
    number = next((cell for cell, role, _ in columns if role == "number"), "")
    named = [cell for cell, role, _ in columns if role in ("task", "content") and cell]
    section, digits = _SECTION.match(number), _DIGITS.match(number)
    if section and chinese_to_int(section.group(1)):
        return f"{section.group(1)}、{''.join(named)}"
    if not digits:
        return "".join(cells)
    said = "".join(_sentence(cell) for cell in named) + "".join(_sentence(f"{header}：{cell}") for cell, role, header in columns if not role and cell and header)
    return f"{digits.group(1)}.{said}"


def _sentence(text: str) -> str:
    return text if text[-1] in _END_PUNCTUATION else text + "。"


def text_task_tables(text: str) -> str:
    """A task table pasted into plain text (cells separated by tabs, one row a line, as Word
    and spreadsheets copy them) read as numbered lines too; other lines pass unchanged."""
    if "\t" not in text:
        return text
    out: list[str] = []
    run: list[str] = []
    for line in [*text.split("\n"), None]:
        if line is not None and "\t" in line:
            run.append(line)
            continue
        tasks = task_table_lines([row.split("\t") for row in run]) if len(run) >= 2 else None
        out.extend(tasks if tasks is not None else run)
        run = []
        if line is not None:
            out.append(line)
    return "\n".join(out)

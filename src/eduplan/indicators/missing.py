"""Why a value is "no data", in the user's words, and which schools left the hole.

The engine writes a value as NULL (never a number) when something it needs is missing; `missing`
on the row counts the schools that reported one side of a ratio only (pupils but no teachers row,
a grade 9 without its cohort). reason() turns a row, or its absence, into one Chinese sentence;
one_sided_schools() names the schools.
"""

from __future__ import annotations

import re

from .catalog import Indicator, indicator
from .schema import tables

_WORDS = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def _labels(table: str, expr: str) -> str:
    """The Chinese labels of the columns an expression reads (本届入小学一年级时人数), else the table's."""
    columns = {c.name: c.label for c in tables()[table].columns}
    named = [columns[w] for w in dict.fromkeys(_WORDS.findall(expr)) if w in columns]
    return "、".join(named) or tables()[table].label


def _sides(item: Indicator) -> str:
    num, den = item.numerator, item.denominator
    if num.table != den.table:
        return f"{tables()[num.table].label}与{tables()[den.table].label}不全（有一张表无本校记录）"
    return f"{_labels(num.table, num.expr)}或{_labels(den.table, den.expr)}未填"


def reason(indicator_id: str, row: dict | None, level: str = "district") -> str:
    """ "" for a value; otherwise why there is none."""
    item = indicator(indicator_id)
    if row is not None and row.get("value") is not None:
        return ""
    if row is None:
        if item.kind == "ratio" and tables()[item.denominator.table].unit == "district":
            return "学校不计算此指标" if level == "school" else "本区县无适龄人口数据，不计算"
        return "本单位无此指标的统计数据"
    missing = row.get("missing") or 0
    if item.kind == "worst":
        return (
            f"{missing}项差异系数无数据，不能判定最大值"
            if level == "district"
            else f"{missing}个区县的差异系数无数据，不能判定"
        )
    if missing:
        where = "本校" if level == "school" else f"{missing}所学校"
        return f"{where}{_sides(item if item.kind == 'ratio' else indicator(item.of))}，本值不计算"
    if item.kind == "cv":
        return "差异系数的平均值为0，不计算"
    if item.empty_numerator_is_no_data and not row.get("numerator"):
        return f"无{_labels(item.numerator.table, item.numerator.expr)}，不计算"
    return f"分母为0（无{_labels(item.denominator.table, item.denominator.expr)}），不计算"


def one_sided_schools(con, indicator_id: str, unit_code: str, year: int) -> list[tuple[str, str]]:
    """(code, name) of the schools of the unit that reported one side of the ratio (or of a cv's ratio) only."""
    from .engine import trace  # the rows each side came from

    item = indicator(indicator_id)
    ratio = indicator(item.of) if item.kind == "cv" else item
    if ratio.kind != "ratio" or not ratio.needs_both_sides:
        return []
    sides: dict[str, set[str]] = {"numerator": set(), "denominator": set()}
    for row in trace(con, ratio.id, unit_code, year):
        if row.get("contribution") is not None:
            sides[row["role"]].add(row["school_code"])
    codes = sorted(sides["numerator"] ^ sides["denominator"])
    names = dict(con.execute("SELECT school_code, name FROM schools WHERE year = ?", [year]).fetchall())
    return [(code, names.get(code, code)) for code in codes]

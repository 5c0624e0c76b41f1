"""《国家学生体质健康标准（2014年修订）》 as data: the package's CSVs, read once.

Values are kept as integers in hundredths of the table's unit (10.2 s → 1020, 3'55" → 23500), so a
result and a threshold compare exactly, in Python and in SQL alike.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from importlib import resources

SCALE = 100  # every stored value is value × SCALE, an integer
SEX_CODES = {"1": "M", "2": "F"}  # 性别 in the upload template
SEX_ZH = {"M": "男", "F": "女"}
BMI_ITEM = "bmi"


def _rows(name: str) -> list[dict[str, str]]:
    text = resources.files(__package__).joinpath("data", name).read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines()))


def hundredths(text: str) -> int:
    return int(Decimal(text) * SCALE)


@dataclass(frozen=True)
class Item:
    key: str
    zh: str
    headers: tuple[str, ...]  # upload headers it is read from, the template's own spelling first
    entry: str  # integer | decimal | min_sec
    unit: str
    step: int  # the entry's precision, hundredths
    low: int  # plausibility bounds, hundredths
    high: int


@dataclass(frozen=True)
class Grade:
    code: int
    zh: str
    stage: str
    table_grade: str
    weights_group: str


@cache
def items() -> dict[str, Item]:
    """Measured items in template order, height and weight first."""
    return {
        row["item"]: Item(
            row["item"],
            row["item_zh"],
            tuple(row["upload_headers"].split(";")),
            row["entry"],
            row["unit"],
            hundredths(row["precision"]),
            hundredths(row["plausible_min"]),
            hundredths(row["plausible_max"]),
        )
        for row in _rows("items.csv")
    }


def scored_items() -> list[str]:
    """The items with a scoring table, BMI excluded."""
    return [key for key in items() if key not in ("height", "weight")]


@cache
def grades() -> dict[int, Grade]:
    return {
        int(r["grade_code"]): Grade(
            int(r["grade_code"]), r["grade_zh"], r["stage"], r["table_grade"], r["weights_group"]
        )
        for r in _rows("grades.csv")
    }


@cache
def weights() -> dict[tuple[str, str], dict[str, int]]:
    """(weights group, sex) → {item: weight %}, BMI included."""
    table: dict[tuple[str, str], dict[str, int]] = {}
    for r in _rows("weights.csv"):
        table.setdefault((r["group"], r["sex"]), {})[r["item"]] = int(r["weight_percent"])
    return table


def items_for(grade_code: int, sex: str) -> list[str]:
    """The items a pupil of this grade and sex is tested on (BMI included), in weights order."""
    return list(weights()[(grades()[grade_code].weights_group, sex)])


@cache
def total_bands() -> list[tuple[str, int]]:
    """(等级, lowest 学年总分 × 10), best first."""
    rows = [r for r in _rows("grade-bands.csv") if r["scope"] == "year_total"]
    return sorted(((r["level_zh"], int(Decimal(r["min"]) * 10)) for r in rows), key=lambda b: -b[1])


def upload_layout(grade_code: int) -> list[str]:
    """The template's column headers for a grade code, in order."""
    layouts = {r["layout"] for r in _rows("upload-columns.csv")}
    name = next(x for x in layouts if x.startswith("grades_") and _layout_covers(x, grade_code))
    return [r["column_zh"] for r in _rows("upload-columns.csv") if r["layout"] in ("base(all layouts)", name)]


def _layout_covers(layout: str, grade_code: int) -> bool:
    low, high = layout.removeprefix("grades_").split("_")
    return int(low) <= grade_code <= int(high)

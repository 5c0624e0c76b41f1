"""A plain scorer written from the standard's text (the reference README's "Scoring rules"), not from
eduplan's SQL: one pupil at a time, a binary search over each table. The tests compare it with the
engine; benchmarks/fitness.py times it as the baseline.

Values are integers in hundredths of the table's unit (the long runs in seconds), as the engine takes them.
"""

from __future__ import annotations

import csv
from bisect import bisect_left, bisect_right
from decimal import Decimal
from fractions import Fraction
from math import floor
from pathlib import Path

DATA = Path(__file__).resolve().parents[2] / "src" / "eduplan" / "fitness" / "data"


def _read(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _cents(text: str) -> int:
    return int(Decimal(text) * 100)


class Table:
    """One item's levels for one grade and sex: the highest level whose threshold the value reaches."""

    def __init__(self, lower_better: bool):
        self.lower_better = lower_better
        self.rows: list[tuple[int, int]] = []  # (threshold, score or bonus points)

    def finish(self):
        self.rows.sort()
        self.thresholds = [t for t, _ in self.rows]
        self.points = [p for _, p in self.rows]

    def lookup(self, value: int) -> int:
        if self.lower_better:  # a time: the smallest threshold at or above it carries the best reached level
            i = bisect_left(self.thresholds, value)
            return self.points[i] if i < len(self.points) else 0
        i = bisect_right(self.thresholds, value) - 1  # a count or length: the largest threshold at or below
        return self.points[i] if i >= 0 else 0


class ReferenceScorer:
    def __init__(self):
        self.grade = {
            int(r["grade_code"]): (r["table_grade"], r["weights_group"]) for r in _read("grades.csv")
        }
        self.weights: dict[tuple[str, str], dict[str, int]] = {}
        for r in _read("weights.csv"):
            self.weights.setdefault((r["group"], r["sex"]), {})[r["item"]] = int(r["weight_percent"])
        self.tables = self._tables("scores.csv", "score", "threshold")
        self.bonus = self._tables("bonus.csv", "bonus_points", "threshold_abs")
        self.bmi: dict[tuple[str, str], list[tuple[Fraction, Fraction, int]]] = {}
        for r in _read("bmi.csv"):
            low = Fraction(r["bmi_min"]) if r["bmi_min"] else Fraction(-1)
            high = Fraction(r["bmi_max"]) if r["bmi_max"] else Fraction(1000)
            self.bmi.setdefault((r["grade"], r["sex"]), []).append((low, high, int(r["score"])))
        bands = [r for r in _read("grade-bands.csv") if r["scope"] == "year_total"]
        self.bands = sorted(((Decimal(r["min"]), r["level_zh"]) for r in bands), reverse=True)

    @staticmethod
    def _tables(name: str, points: str, threshold: str) -> dict[tuple[str, str, str], Table]:
        tables: dict[tuple[str, str, str], Table] = {}
        for r in _read(name):
            if not r[threshold]:
                continue  # a level the official table leaves blank cannot be awarded
            key = (r["item"], r["grade"], r["sex"])
            table = tables.setdefault(key, Table(r["direction"] == "lower_better"))
            table.rows.append((_cents(r[threshold]), int(r[points])))
        for table in tables.values():
            table.finish()
        return tables

    def bmi_score(self, tgrade: str, sex: str, height: int, weight: int) -> tuple[int, int]:
        bmi = Fraction(weight, 100) / (Fraction(height, 10000) ** 2)  # kg / m²
        bmi = Fraction(floor(bmi * 10 + Fraction(1, 2)), 10)  # half-up to 0.1
        for low, high, score in self.bmi[(tgrade, sex)]:
            if low <= bmi <= high:
                return score, int(bmi * 10)
        raise AssertionError(f"no BMI band for {bmi}")

    def score(self, grade_code: int, sex: str, values: dict[str, int], exempt: bool = False) -> dict | None:
        """The pupil's scores, or None for an exempt pupil. `values` holds height and weight too."""
        if exempt:
            return None
        tgrade, group = self.grade[grade_code]
        items: dict[str, int] = {}
        bonus = 0
        for item in self.weights[(group, sex)]:
            if item == "bmi":
                if values.get("height") is not None and values.get("weight") is not None:
                    items["bmi"] = self.bmi_score(tgrade, sex, values["height"], values["weight"])[0]
                continue
            value = values.get(item)
            if value is None:
                continue
            items[item] = self.tables[(item, tgrade, sex)].lookup(value)
            extra = self.bonus.get((item, tgrade, sex))
            if extra is not None:
                bonus += extra.lookup(value)
        weighted = sum(
            Decimal(score * self.weights[(group, sex)][item]) / 100 for item, score in items.items()
        )
        standard = weighted.quantize(Decimal("0.1"), rounding="ROUND_HALF_UP")
        bonus = min(bonus, 20)
        total = standard + bonus
        band = next(name for low, name in self.bands if total >= low)
        return {"items": items, "standard": standard, "bonus": bonus, "total": total, "band": band}


def graduation(final_total: Decimal, other_totals: list[Decimal]) -> Decimal:
    """毕业成绩 = 毕业当年学年总分 × 50% + 其他学年学年总分的平均得分 × 50%."""
    if not other_totals:
        return final_total
    value = final_total / 2 + sum(other_totals) / len(other_totals) / 2
    return value.quantize(Decimal("0.1"), rounding="ROUND_HALF_UP")

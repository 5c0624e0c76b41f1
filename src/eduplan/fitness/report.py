"""A school's 学生体质健康测试 report (.docx, GB/T 9704 layout of reports/layout.py): bands and BMI by grade."""

from __future__ import annotations

from collections import Counter, defaultdict
from pathlib import Path

from eduplan.reports import layout

from . import standard
from .engine import EXEMPT_BAND
from .results import Scored

BANDS = ("优秀", "良好", "及格", "不及格")
BMI_CATEGORIES = ("正常", "低体重", "超重", "肥胖")
GRADE_WIDTHS_MM = [30, 16, 12, 14, 14, 14, 14, 16, 16]
BMI_WIDTHS_MM = [30, 20, 20, 20, 20, 20, 20]


def _rate(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "—"


def _grade_row(name: str, group: list[Scored]) -> list[str]:
    bands = Counter(s.band for s in group)
    tested = sum(n for band, n in bands.items() if band != EXEMPT_BAND)
    good = bands["优秀"] + bands["良好"]
    return [
        name,
        str(tested),
        str(bands[EXEMPT_BAND]),
        *(str(bands[b]) for b in BANDS),
        _rate(good, tested),
        _rate(good + bands["及格"], tested),
    ]


def _bmi_row(name: str, group: list[Scored]) -> list[str]:
    categories = Counter(s.bmi_category for s in group if s.bmi_category)
    measured = sum(categories.values())
    return [
        name,
        str(measured),
        *(str(categories[c]) for c in BMI_CATEGORIES),
        _rate(categories["肥胖"], measured),
    ]


def write(scored: list[Scored], school: str, year: int, out: Path) -> Path:
    """The report: one paragraph of totals, then bands and BMI per grade (rates over tested pupils)."""
    by_grade: dict[int, list[Scored]] = defaultdict(list)
    for s in scored:
        by_grade[s.result.grade_code].append(s)
    names = {code: standard.grades()[code].zh for code in by_grade}
    total = _grade_row("全校", scored)
    document = layout.official_document()
    layout.add_title(document, f"{school}{year}学年学生体质健康测试报告")
    layout.add_body(
        document,
        f"依据《国家学生体质健康标准（2014年修订）》，本学年全校参加测试学生{total[1]}人，"
        f"免测{total[2]}人；优秀{total[3]}人、良好{total[4]}人、及格{total[5]}人、"
        f"不及格{total[6]}人，优良率{total[7]}，合格率{total[8]}。",
    )
    layout.add_heading(document, "一、各年级测试等级", 1)
    header = ["年级", "测试人数", "免测", *BANDS, "优良率", "合格率"]
    rows = [_grade_row(names[code], by_grade[code]) for code in sorted(by_grade)] + [total]
    layout.add_table(document, header, rows, GRADE_WIDTHS_MM)
    layout.add_heading(document, "二、各年级体重指数（BMI）", 1)
    rows = [_bmi_row(names[code], by_grade[code]) for code in sorted(by_grade)] + [_bmi_row("全校", scored)]
    layout.add_table(document, ["年级", "测量人数", *BMI_CATEGORIES, "肥胖率"], rows, BMI_WIDTHS_MM)
    return layout.save(document, out)

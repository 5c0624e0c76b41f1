"""Score sheets a PE teacher prints: the whole school on one sheet, then one sheet per class."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import openpyxl
from openpyxl.styles import Alignment, Font

from . import standard
from .results import Scored
from .upload import EXEMPT_MARK

MAX_SHEET_TITLE = 31  # Excel's limit


def _shown_value(item: standard.Item, value: int | None) -> str:
    if value is None:
        return ""
    if item.entry == "min_sec":
        seconds = value // standard.SCALE
        return f"{seconds // 60}'{seconds % 60:02d}\""
    number = Decimal(value) / standard.SCALE
    return str(number.normalize()) if number != number.to_integral_value() else str(int(number))


def _columns() -> list[tuple[str, str]]:
    """(key, header) for every column after the pupil's own."""
    columns = [("height", "身高"), ("weight", "体重"), ("bmi_value", "BMI"), ("bmi", "BMI得分")]
    for key in standard.scored_items():
        zh = standard.items()[key].zh
        columns += [(f"v:{key}", zh), (key, f"{zh}得分")]
    return columns + [("standard", "标准分"), ("bonus", "附加分"), ("total", "学年总分"), ("band", "等级")]


def _row(s: Scored) -> list:
    r = s.result
    items = standard.items()
    cells = [r.grade_code, r.class_name or r.class_code, r.student_id, r.name, standard.SEX_ZH[r.sex]]
    for key, _ in _columns():
        if key in ("height", "weight"):
            cells.append(
                EXEMPT_MARK if r.exempt and key == "height" else _shown_value(items[key], r.values.get(key))
            )
        elif key == "bmi_value":
            cells.append("" if s.bmi10 is None else f"{Decimal(s.bmi10) / 10}")
        elif key.startswith("v:"):
            cells.append(_shown_value(items[key[2:]], r.values.get(key[2:])))
        elif key == "standard":
            cells.append("" if s.standard10 is None else f"{Decimal(s.standard10) / 10:.1f}")
        elif key == "bonus":
            cells.append("" if s.bonus is None else s.bonus)
        elif key == "total":
            cells.append("" if s.total10 is None else f"{Decimal(s.total10) / 10:.1f}")
        elif key == "band":
            cells.append(s.band)
        else:
            cells.append("" if s.items.get(key) is None else s.items[key])
    return cells


def _sheet(book, title: str, scored: list[Scored]) -> None:
    sheet = book.create_sheet(title[:MAX_SHEET_TITLE])
    headers = ["年级编号", "班级", "学籍号", "姓名", "性别", *(h for _, h in _columns())]
    # only the columns some pupil of this sheet has, so a class's sheet fits the page
    rows = [_row(s) for s in scored]
    keep = [i for i in range(len(headers)) if i < 5 or any(row[i] not in ("", None) for row in rows)]
    sheet.append([headers[i] for i in keep])
    for row in rows:
        sheet.append([row[i] for i in keep])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, horizontal="center")
    sheet.print_title_rows = "1:1"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.freeze_panes = "F2"


def write(scored: list[Scored], out: Path) -> None:
    book = openpyxl.Workbook()
    book.remove(book.active)
    ordered = sorted(scored, key=lambda s: (s.result.grade_code, s.result.class_code, s.result.student_id))
    _sheet(book, "全部学生", ordered)
    classes: dict[str, list[Scored]] = defaultdict(list)
    for s in ordered:
        classes[s.result.class_name or s.result.class_code or str(s.result.grade_code)].append(s)
    for name, members in classes.items():
        if name not in book.sheetnames:
            _sheet(book, name.replace("/", "_"), members)
    book.save(out)

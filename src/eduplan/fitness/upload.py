"""The national upload template (国家学生体质健康标准测试数据上报): read as schools fill it, write it back.

Reading accepts .xlsx (every sheet with a header row) and .csv (UTF-8 or GBK). Each sheet's first row
holds the template's headers in any order; an unknown header is refused. A row is typed cell by cell
(problems collected, never the first one only), then the engine refuses implausible values in one SQL
pass; any problem refuses the whole file, so nothing is stored from a file that is partly wrong.

Times of the long runs (800米, 1000米, 50米×8) are written 分.秒 as the template says: 3.25 = 3'25",
3.5 = 3'50" (a number keeps no trailing zero). 3'25", 3′25″, 3:25 and 3分25秒 are read as the same time.
50米跑 is seconds with a decimal. 性别 is 1 (男) or 2 (女). 身高 = 免测 / 免体 / 免考 / 免予执行 marks an
exempt pupil, whose other results must be empty.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from pathlib import Path

import openpyxl

from . import engine, standard
from .errors import PROBLEM_LIMIT, FitnessError, Problem
from .results import RESULTS_TABLE, Result, load, standard_cursor

EXEMPT_WORDS = ("免测", "免体", "免考", "免予执行")
EXEMPT_MARK = "免测"
MAX_ROWS = 200_000  # one school's year is a few thousand; a bigger sheet is not a template
BASE = {
    "年级编号": "grade_code",
    "班级编号": "class_code",
    "班级名称": "class_name",
    "学籍号": "student_id",
    "民族代码": "ethnicity",
    "姓名": "name",
    "性别": "sex",
    "出生日期": "birth_date",
    "家庭住址": "address",
}
OPTIONAL = ("左眼裸眼视力", "右眼裸眼视力", "学校标识码")  # read past, not scored
_TIME = re.compile(r"^(\d{1,2})\s*(?:[:：'′’]|分)\s*(\d{1,2}(?:\.\d+)?)\s*(?:[\"″”]|'')?\s*秒?$")
_MIN_SEC = re.compile(r"^(\d{1,2})(?:\.(\d{1,2}))?$")


class _Row:
    """One spreadsheet row being typed; problems go to the shared list."""

    def __init__(self, sheet: str, number: int, problems: list[Problem], prefix: str):
        self.sheet, self.number, self.problems, self.prefix = sheet, number, problems, prefix

    def refuse(self, column: str, message: str) -> None:
        if len(self.problems) < PROBLEM_LIMIT:
            self.problems.append(Problem(self.number, self.prefix + column, message))


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime | dt.date):
        return f"{value.year}/{value.month}/{value.day}"
    return str(value).strip()


def _decimal(text: str) -> Decimal | None:
    try:
        number = Decimal(text)
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def _hundredths(row: _Row, item: standard.Item, header: str, raw) -> int | None:
    """A cell as hundredths of the item's unit, or None (empty or refused)."""
    text = _text(raw)
    if text == "":
        return None
    if item.entry == "min_sec":
        return _time(row, header, raw, text)
    if isinstance(raw, float):
        text = repr(raw)  # 8.5 stays 8.5, not its binary expansion
    number = _decimal(text)
    if number is None:
        hint = (
            "以秒为单位填写小数（如 8.5），不含分秒符号"
            if item.key == "run50m"
            else f"应为数字（{item.unit}）"
        )
        row.refuse(header, f"「{text}」无法识别：{hint}")
        return None
    if item.entry == "integer" and number != number.to_integral_value():
        row.refuse(header, f"「{text}」应为整数")
        return None
    if number.as_tuple().exponent < -2:
        row.refuse(header, f"「{text}」小数位过多（最多两位）")
        return None
    return int(number * standard.SCALE)


def _time(row: _Row, header: str, raw, text: str) -> int | None:
    """分.秒 (3.25 = 3'25") or 3'25" / 3:25 / 3分25秒 → seconds × 100."""
    if isinstance(raw, float):
        text = f"{raw:.2f}".rstrip("0").rstrip(".") if round(raw, 2) == raw else repr(raw)
    plain = _MIN_SEC.match(text)
    marked = _TIME.match(text)
    if plain:
        minutes, seconds = int(plain.group(1)), int((plain.group(2) or "0").ljust(2, "0"))
    elif marked and Decimal(marked.group(2)) == int(Decimal(marked.group(2))):
        minutes, seconds = int(marked.group(1)), int(Decimal(marked.group(2)))
    else:
        row.refuse(header, f"「{text}」不是分.秒格式的时间（如 3.25 表示 3分25秒）")
        return None
    if seconds >= 60:
        row.refuse(header, f"「{text}」的秒数 {seconds} 应小于 60（分.秒格式：3.25 表示 3分25秒）")
        return None
    return (minutes * 60 + seconds) * standard.SCALE


def _columns(headers: list, row: _Row) -> dict[int, str] | None:
    """Header position → field (a BASE field or an item key); None when the header row is refused."""
    by_header = {h: item.key for item in standard.items().values() for h in item.headers}
    fields: dict[int, str] = {}
    ok = True
    for position, raw in enumerate(headers):
        header = _text(raw)
        if header == "":
            continue
        field = BASE.get(header) or by_header.get(header)
        if field is None and header not in OPTIONAL:
            row.refuse("", f"未知列「{header}」：请使用国家学生体质健康标准数据上报模板的列名")
            ok = False
        elif field in fields.values():
            row.refuse("", f"列「{header}」重复")
            ok = False
        elif field is not None:
            fields[position] = field
    missing = [h for h, f in BASE.items() if f not in fields.values()]
    if missing:
        row.refuse("", "缺少模板必需列：" + "、".join(missing))
        ok = False
    return fields if ok else None


def _result(row: _Row, cells: dict[str, tuple[str, object]], row_no: int, school_code: str) -> Result | None:
    before = len(row.problems)
    code_text = _text(cells["grade_code"][1])
    code = int(code_text) if code_text.isdigit() else None
    if code not in standard.grades():
        row.refuse("年级编号", f"年级编号「{code_text}」不存在（应为 11–16、21–23、31–33、41–44）")
    sex = standard.SEX_CODES.get(_text(cells["sex"][1]))
    if sex is None:
        row.refuse("性别", f"性别「{_text(cells['sex'][1])}」无法识别：应为 1（男）或 2（女）")
    student_id = _text(cells["student_id"][1])
    if not student_id:
        row.refuse("学籍号", "学籍号不能为空")
    exempt = _text(cells.get("height", ("", None))[1]) in EXEMPT_WORDS
    values = {}
    for key, item in standard.items().items():
        if key not in cells:
            continue
        header, raw = cells[key]
        if exempt:
            if key != "height" and _text(raw):
                row.refuse(header, "免测学生的各项成绩应为空")
            continue
        value = _hundredths(row, item, header, raw)
        if value is not None:
            values[key] = value
    if len(row.problems) > before:
        return None
    meta = {
        f: _text(cells[f][1])
        for f in ("class_code", "class_name", "ethnicity", "name", "birth_date", "address")
    }
    return Result(row_no, student_id, code, sex, exempt, values, school_code=school_code, **meta)


def _sheets(path: Path) -> dict[str, list[list]]:
    suffix = path.suffix.lower()
    if suffix == ".csv":
        raw = path.read_bytes()
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                text = raw.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        return {path.stem: list(csv.reader(text.splitlines()))}
    if suffix in (".xlsx", ".xlsm"):
        try:
            book = openpyxl.load_workbook(path, read_only=True, data_only=True)
        except Exception as error:  # a damaged or mislabelled file: say so, never a traceback
            raise FitnessError(
                [Problem(None, "", f"无法读取 Excel 文件（{type(error).__name__}）")]
            ) from None
        try:
            return {
                sheet.title: [list(r) for r in sheet.iter_rows(values_only=True)] for sheet in book.worksheets
            }
        finally:
            book.close()
    raise FitnessError([Problem(None, "", f"不支持的文件类型「{path.suffix}」：请上传 .xlsx 或 .csv 文件")])


def read(path: Path, school_code: str = "") -> list[Result]:
    """Every pupil of an upload file, or FitnessError listing every problem (row, column, reason)."""
    path = Path(path)
    if not path.is_file():
        raise FitnessError([Problem(None, "", f"找不到文件 {path.name}")])
    sheets = {name: rows for name, rows in _sheets(path).items() if any(_text(c) for r in rows for c in r)}
    if not sheets:
        raise FitnessError([Problem(None, "", "文件中没有数据")])
    problems: list[Problem] = []
    results: list[Result] = []
    where: dict[int, tuple[str, int]] = {}
    for name, rows in sheets.items():
        prefix = f"{name}!" if len(sheets) > 1 else ""
        if len(rows) > MAX_ROWS:
            raise FitnessError(
                [Problem(None, "", f"工作表「{name}」超过 {MAX_ROWS} 行，不是一所学校的上报表")]
            )
        fields = _columns(rows[0], _Row(name, 1, problems, prefix))
        if fields is None:
            continue
        for number, cells in enumerate(rows[1:], start=2):
            if not any(_text(c) for c in cells):
                continue
            row = _Row(name, number, problems, prefix)
            by_field = {
                f: (_header_of(rows[0], p), cells[p] if p < len(cells) else None) for p, f in fields.items()
            }
            result = _result(row, by_field, len(where) + 1, school_code)
            where[len(where) + 1] = (prefix, number)
            if result is not None:
                results.append(result)
    problems += _duplicates(results, where)
    if not problems:
        problems += _engine_problems(results, where)
    if problems:
        raise FitnessError(
            sorted(problems, key=lambda p: (p.column.split("!")[0] if "!" in p.column else "", p.row or 0))
        )
    return results


def _header_of(headers: list, position: int) -> str:
    return _text(headers[position])


def _duplicates(results: list[Result], where: dict[int, tuple[str, int]]) -> list[Problem]:
    first: dict[str, int] = {}
    problems = []
    for r in results:
        if r.student_id in first:
            prefix, number = where[r.row_no]
            problems.append(
                Problem(
                    number,
                    prefix + "学籍号",
                    f"学籍号 {r.student_id} 重复（第 {where[first[r.student_id]][1]} 行已有）",
                )
            )
        else:
            first[r.student_id] = r.row_no
    return problems


def _engine_problems(results: list[Result], where: dict[int, tuple[str, int]]) -> list[Problem]:
    """Implausible values, items the pupil's grade does not test, missing items: one SQL pass."""
    con = standard_cursor()
    try:
        load(con, results, RESULTS_TABLE, temp=True)
        found = engine.problems(con, RESULTS_TABLE, require_complete=True)
    finally:
        con.close()
    return [
        Problem(where[row_no][1], where[row_no][0] + column, message) for row_no, column, message in found
    ]


# ---------------------------------------------------------------- writing


def _cell(result: Result, header: str):
    """A result's value in the template's own notation."""
    field = BASE.get(header)
    if field == "sex":
        return {"M": 1, "F": 2}[result.sex]
    if field == "grade_code":
        return result.grade_code
    if field is not None:
        return getattr(result, field)
    item = next(i for i in standard.items().values() if header in i.headers)
    if result.exempt:
        return EXEMPT_MARK if item.key == "height" else None
    value = result.values.get(item.key)
    if value is None:
        return None
    if item.entry == "min_sec":
        seconds = value // standard.SCALE
        return float(f"{seconds // 60}.{seconds % 60:02d}")
    number = Decimal(value) / standard.SCALE
    return int(number) if item.entry == "integer" else float(number)


def write(results: list[Result], out: Path) -> None:
    """The national upload file: one sheet per grade code, each in that grade's template layout."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for code in sorted({r.grade_code for r in results}):
        sheet = book.create_sheet(str(code))
        headers = standard.upload_layout(code)
        sheet.append(headers)
        for r in sorted(
            (r for r in results if r.grade_code == code), key=lambda r: (r.class_code, r.student_id)
        ):
            row = [_cell(r, h) for h in headers]
            sheet.append(row)
            if any(isinstance(v, float) for v in row):
                _format_times(sheet, headers)
    if not book.worksheets:
        book.create_sheet("11").append(standard.upload_layout(11))
    book.save(out)


def _format_times(sheet, headers: list[str]) -> None:
    """分.秒 cells keep two decimals on screen (3.50, not 3.5), as teachers type them."""
    row = sheet.max_row
    for position, header in enumerate(headers, start=1):
        item = next((i for i in standard.items().values() if header in i.headers), None)
        if item is not None and item.entry == "min_sec":
            sheet.cell(row=row, column=position).number_format = "0.00"

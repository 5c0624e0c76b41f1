"""Templates out, statistics in: .xlsx (a sheet per table) or a folder of .csv (a file per table).

An import is all or nothing. The rows are parsed and typed, loaded into staging tables, checked
by the rules of data/rules.toml, and only when no rule of high importance fails are the year's
tables and indicator values replaced, in one transaction. A rejected or failed import leaves
the year exactly as it was.
"""

from __future__ import annotations

import csv
import re
import tempfile
import tomllib
from dataclasses import asdict, dataclass, field
from functools import cache
from importlib.resources import files
from pathlib import Path

import duckdb

from eduplan.limits import XLSX_SECONDS, Deadline, TooLarge, bounded_rows, check_xlsx

from .engine import write_values
from .errors import IndicatorError
from .schema import Column, Table, table_ddl
from .schema import imported_tables as tables  # a derived table (fitness) is not in the template

OPERATORS = {"==": "=", "!=": "<>", "<": "<", "<=": "<=", ">": ">", ">=": ">="}
TRUE_WORDS = {"1", "true", "t", "yes", "y", "是", "√"}
FALSE_WORDS = {"0", "false", "f", "no", "n", "否", "×"}
NOTES_SHEET = "说明"


@dataclass(frozen=True)
class Rule:
    id: str
    table: str
    left: str
    operator: str
    right: str
    importance: str
    message: str


@cache
def rules() -> tuple[Rule, ...]:
    raw = tomllib.loads(files("eduplan.indicators").joinpath("data/rules.toml").read_text("utf-8"))
    result = tuple(Rule(**spec) for written in raw["rule"] for spec in _for_each_table(written))
    for rule in result:
        if rule.operator not in OPERATORS or rule.table not in tables() or \
                rule.importance not in ("high", "medium", "low"):
            raise IndicatorError(f"rules.toml: rule {rule.id} has a bad operator, table or importance")
    return result


def _for_each_table(spec: dict) -> list[dict]:
    """A rule written once for several tables (`tables`): one rule per table, {table} in its id and left
    side standing for the table's name."""
    if "tables" not in spec:
        return [spec]
    rule = {key: value for key, value in spec.items() if key != "tables"}
    return [{**rule, "table": name, "id": rule["id"].replace("{table}", name),
             "left": rule["left"].replace("{table}", "{" + name + "}")} for name in spec["tables"]]


@dataclass(frozen=True)
class Problem:
    table: str
    row: int | None  # the row number in the sheet or csv file (the header is row 1)
    school_code: str | None
    rule: str
    importance: str
    message: str

    def line(self) -> str:
        where = f"{self.table} 第{self.row}行" if self.row else self.table
        return f"[{self.importance}] {self.school_code or '-'} {where}: {self.message} ({self.rule})"


@dataclass
class Report:
    year: int
    problems: list[Problem] = field(default_factory=list)
    rows: dict[str, int] = field(default_factory=dict)

    @property
    def accepted(self) -> bool:
        return not any(p.importance == "high" for p in self.problems)

    def by_school(self) -> dict[str, list[Problem]]:
        """The validation report per school (problems with no school under '-')."""
        grouped: dict[str, list[Problem]] = {}
        for problem in self.problems:
            grouped.setdefault(problem.school_code or "-", []).append(problem)
        return grouped

    def summary(self) -> str:
        high = sum(p.importance == "high" for p in self.problems)
        verdict = "imported" if self.accepted else "rejected, nothing changed"
        return (f"{self.year}: {verdict}; {sum(self.rows.values())} rows, {len(self.problems)} problems "
                f"({high} blocking) in {len(self.by_school())} schools")

    def to_dict(self) -> dict:
        return {"year": self.year, "accepted": self.accepted, "rows": self.rows,
                "schools": {code: [asdict(p) for p in problems] for code, problems in self.by_school().items()}}


class ImportRejected(IndicatorError):
    def __init__(self, report: Report):
        super().__init__(report.summary())
        self.report = report


# ---------------------------------------------------------------- templates

def _header(column: Column) -> str:
    return f"{column.label}({column.name})"


def write_template(out: Path, con: duckdb.DuckDBPyConnection | None = None, year: int | None = None) -> None:
    """The template: .xlsx (a sheet per table) or, for any other path, a folder of .csv files.

    With a connection and a year, the template is filled with that year's statistics.
    """
    data = {name: _year_rows(con, table, year) if con is not None else [] for name, table in tables().items()}
    if out.suffix.lower() == ".xlsx":
        _write_xlsx(out, data)
    else:
        out.mkdir(parents=True, exist_ok=True)
        for name, table in tables().items():
            with (out / f"{name}.csv").open("w", encoding="utf-8-sig", newline="") as handle:
                writer = csv.writer(handle)
                writer.writerow([_header(c) for c in table.columns])
                writer.writerows(data[name])


def _year_rows(con, table: Table, year: int) -> list[tuple]:
    columns = ", ".join(table.column_names)
    return con.execute(f"SELECT {columns} FROM {table.name} WHERE year = ? ORDER BY ALL", [year]).fetchall()


def _write_xlsx(out: Path, data: dict[str, list[tuple]]) -> None:
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Font

    book = Workbook(write_only=False)
    notes = book.active
    notes.title = NOTES_SHEET
    notes.append(["表", "字段", "中文名", "类型", "填写说明"])
    for table in tables().values():
        for column in table.columns:
            notes.append([f"{table.label}({table.name})", column.name, column.label, column.type, column.note])
    for table in tables().values():
        sheet = book.create_sheet(table.name)
        sheet.append([_header(c) for c in table.columns])
        for cell, column in zip(sheet[1], table.columns, strict=True):
            cell.font = Font(bold=True)
            if column.note:
                cell.comment = Comment(column.note, "eduplan")
        for row in data[table.name]:
            sheet.append(list(row))
    book.save(out)


# ---------------------------------------------------------------- reading

def _read_source(source: Path) -> dict[str, list[tuple[int, list]]]:
    """{table: [(row number, cells)]} from an .xlsx or a folder of .csv files; headers mapped to columns."""
    if not source.exists():
        raise IndicatorError(f"{source}: no such file or folder")
    if source.is_dir():
        sheets = {p.stem: _csv_rows(p) for p in sorted(source.glob("*.csv"))}
    elif source.suffix.lower() == ".xlsx":
        sheets = _xlsx_rows(source)
    elif source.suffix.lower() == ".csv":
        sheets = {source.stem: _csv_rows(source)}
    else:
        raise IndicatorError(f"{source}: import an .xlsx workbook or a folder of .csv files")
    return sheets


def _csv_rows(path: Path) -> list[list]:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            with path.open(encoding=encoding, newline="") as handle:
                return list(csv.reader(handle))
        except UnicodeDecodeError:
            continue
    raise IndicatorError(f"{path}: neither UTF-8 nor GB18030 text")


MAX_SHEET_ROWS = 200_000  # a sheet has a row per school (or class); a large province has ~25,000 schools


def _xlsx_rows(path: Path) -> dict[str, list[list]]:
    """Every sheet's rows, within the bounds on inflated size, rows and time (eduplan.limits)."""
    from openpyxl import load_workbook

    check_xlsx(path, path.name)  # TooLarge: refused before anything is inflated
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a damaged or foreign file
        raise IndicatorError(f"{path}: not a readable .xlsx workbook ({type(error).__name__})") from None
    deadline = Deadline(XLSX_SECONDS, path.name)
    try:
        return {sheet.title: [list(row) for row in bounded_rows(sheet.iter_rows(values_only=True),
                                                                  f"{path.name}/{sheet.title}", MAX_SHEET_ROWS,
                                                                  deadline)]
                for sheet in book.worksheets if sheet.title != NOTES_SHEET}
    except TooLarge:
        raise
    except Exception as error:  # a sheet's XML damaged or foreign (a DTD, an entity): found while reading it
        raise IndicatorError(f"{path.name}: a damaged .xlsx workbook ({type(error).__name__}: "
                             f"{str(error)[:100]})") from None
    finally:
        book.close()


def _table_for(sheet_name: str) -> Table | None:
    """A sheet or file is named by the table's id or its Chinese label."""
    for table in tables().values():
        if sheet_name.strip() in (table.name, table.label, f"{table.label}({table.name})"):
            return table
    return None


def _column_for(header, table: Table) -> Column | None:
    text = str(header or "").strip()
    inner = re.search(r"[(（]\s*(\w+)\s*[)）]\s*$", text)
    for column in table.columns:
        if text in (column.name, column.label) or (inner and inner.group(1) == column.name):
            return column
    return None


# ---------------------------------------------------------------- typing cells

def _typed(value, column: Column):
    """A cell as the column's Python value; ValueError with a Chinese reason when it cannot be."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if column.type == "VARCHAR":
        if isinstance(value, float) and value.is_integer():
            value = int(value)  # Excel keeps codes typed as numbers: 3399011001.0
        return str(value).strip()
    if column.type == "BOOLEAN":
        word = str(int(value) if isinstance(value, float) and value.is_integer() else value).strip().lower()
        if word in TRUE_WORDS:
            return True
        if word in FALSE_WORDS:
            return False
        raise ValueError(f"“{value}”不是是/否（填 1 或 0）")
    try:
        number = float(str(value).replace(",", "").strip())
    except ValueError:
        raise ValueError(f"“{value}”不是数字") from None
    if column.type == "INTEGER":
        if not number.is_integer():
            raise ValueError(f"“{value}”应为整数")
        return int(number)
    return number


def _parse(sheets: dict[str, list[list]], report: Report) -> dict[str, list[tuple]]:
    """Typed rows per table, each ending with its row number; problems for what cannot be typed."""
    parsed: dict[str, list[tuple]] = {}
    for sheet_name, rows in sheets.items():
        table = _table_for(sheet_name)
        if table is None:
            report.problems.append(Problem(sheet_name, None, None, "unknown_table", "high",
                                           f"未知的表“{sheet_name}”"))
            continue
        parsed[table.name] = _parse_table(table, rows, report)
    for name, table in tables().items():
        if name not in parsed and not any(p.table == name for p in report.problems):
            report.problems.append(Problem(name, None, None, "table_missing", "high",
                                           f"缺少“{table.label}”表（{name}）"))
    return parsed


def _parse_table(table: Table, rows: list[list], report: Report) -> list[tuple]:
    if not rows:
        return []
    header = [_column_for(h, table) for h in rows[0]]
    missing = [c for c in table.columns if c not in header and not c.optional]
    if missing:
        report.problems.append(Problem(table.name, 1, None, "column_missing", "high",
                                       "缺少字段：" + "、".join(_header(c) for c in missing)))
        return []
    positions = [header.index(c) if c in header else None for c in table.columns]
    result = []
    for number, cells in enumerate(rows[1:], start=2):
        if all(c is None or str(c).strip() == "" for c in cells):
            continue
        cells = list(cells) + [None] * (len(header) - len(cells))
        typed, school = [], _school_of(table, header, cells)
        for column, position in zip(table.columns, positions, strict=True):
            try:
                typed.append(None if position is None else _typed(cells[position], column))
            except ValueError as reason:
                report.problems.append(Problem(table.name, number, school, "bad_value", "high",
                                               f"{column.label}：{reason}"))
                typed.append(None)
        result.append((*typed, number))
    report.rows[table.name] = len(result)
    return result


def _school_of(table: Table, header: list, cells: list) -> str | None:
    for column, cell in zip(header, cells, strict=False):
        if column is not None and column.name == "school_code" and cell is not None:
            return _typed(cell, column)
    return None


# ---------------------------------------------------------------- staging, rules, commit

def _stage(con: duckdb.DuckDBPyConnection, parsed: dict[str, list[tuple]], year: int) -> None:
    """Load typed rows into temp staging_<table> tables through a CSV file (fast for big years)."""
    with tempfile.TemporaryDirectory(prefix="eduplan-import-") as folder:
        for name, table in tables().items():
            staging = f"staging_{name}"
            con.execute(f"DROP TABLE IF EXISTS {staging}")
            con.execute(table_ddl(table, staging, if_not_exists=False).replace("CREATE TABLE", "CREATE TEMP TABLE")
                        .rstrip(")") + ", _row INTEGER)")
            path = Path(folder) / f"{name}.csv"
            with path.open("w", encoding="utf-8", newline="") as handle:
                writer = csv.writer(handle)
                for row in parsed.get(name, []):
                    writer.writerow([year, *("" if v is None else v for v in row)])
            if parsed.get(name):
                con.execute(f"INSERT INTO {staging} SELECT * FROM read_csv(?, header = false, "
                            f"columns = {_csv_columns(table)}, nullstr = '')", [str(path)])


def _csv_columns(table: Table) -> str:
    pairs = [("year", "INTEGER"), *((c.name, c.type) for c in table.columns), ("_row", "INTEGER")]
    return "{" + ", ".join(f"'{n}': '{t}'" for n, t in pairs) + "}"


def _check_keys(con: duckdb.DuckDBPyConnection, report: Report) -> None:
    for name, table in tables().items():
        key = ", ".join(table.key)
        school = "school_code" if "school_code" in table.column_names else "NULL"
        duplicates = con.execute(
            f"SELECT _row, {school} FROM (SELECT *, count(*) OVER (PARTITION BY {key}) AS n FROM staging_{name}) "
            f"WHERE n > 1 ORDER BY _row").fetchall()
        labels = "、".join(c.label for c in table.columns if c.name in table.key)
        report.problems += [Problem(name, row, code, "duplicate_key", "high", f"{labels} 重复")
                            for row, code in duplicates]


def _check_rules(con: duckdb.DuckDBPyConnection, report: Report) -> None:
    staged = {name: f"staging_{name}" for name in tables()}
    for rule in rules():
        left, right = rule.left.format(**staged), rule.right.format(**staged)
        school = "t.school_code" if "school_code" in tables()[rule.table].column_names else "NULL"
        failing = con.execute(
            f"SELECT _row, _school, l, r FROM (SELECT t._row AS _row, {school} AS _school, ({left}) AS l, "
            f"({right}) AS r FROM staging_{rule.table} t) WHERE NOT (l {OPERATORS[rule.operator]} r) ORDER BY _row"
        ).fetchall()
        report.problems += [Problem(rule.table, row, code, rule.id, rule.importance,
                                    rule.message.format(left=_show(lv), right=_show(rv)))
                            for row, code, lv, rv in failing]


def _show(value) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def validate(con: duckdb.DuckDBPyConnection, source: Path, year: int) -> Report:
    """Parse, stage and check a source without touching the year's data."""
    report = Report(year)
    parsed = _parse(_read_source(Path(source)), report)
    _stage(con, parsed, year)
    _check_keys(con, report)
    _check_rules(con, report)
    report.problems.sort(key=lambda p: (p.school_code or "", p.table, p.row or 0, p.rule))
    return report


def import_statistics(con: duckdb.DuckDBPyConnection, source: Path, year: int) -> Report:
    """Replace `year`'s statistics and indicator values with the source's, or raise ImportRejected.

    The replacement is one transaction: any failure on the way leaves the year as it was.
    """
    report = validate(con, source, year)
    if not report.accepted:
        _drop_staging(con)
        raise ImportRejected(report)
    if not con.execute("SELECT count(*) FROM staging_schools").fetchone()[0]:
        _drop_staging(con)  # a blank template is valid row by row, yet there is nothing to compute from
        raise IndicatorError(f"{source.name}: no schools to import: the sheet {tables()['schools'].label} is empty")
    con.execute("BEGIN TRANSACTION")
    try:
        _replace_year(con, year)
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    finally:
        _drop_staging(con)
    return report


def _replace_year(con: duckdb.DuckDBPyConnection, year: int) -> None:
    for name, table in tables().items():
        columns = ", ".join(["year", *table.column_names])
        con.execute(f"DELETE FROM {name} WHERE year = ?", [year])
        con.execute(f"INSERT INTO {name} ({columns}) SELECT {columns} FROM staging_{name}")
    write_values(con, [year])


def _drop_staging(con: duckdb.DuckDBPyConnection) -> None:
    for name in tables():
        con.execute(f"DROP TABLE IF EXISTS staging_{name}")

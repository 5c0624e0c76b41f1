"""Templates, import validation (row-level messages per school) and all-or-nothing imports."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from town import CITY, YEAR

from eduplan.indicators import compute, values
from eduplan.indicators import importer as importer_module
from eduplan.indicators.importer import ImportRejected, import_statistics, write_template
from eduplan.indicators.schema import connect, imported_tables, register_city, tables


def snapshot(con) -> tuple[list, list]:
    data = [con.execute(f"SELECT * FROM {name} ORDER BY ALL").fetchall() for name in tables()]
    return data, values(con, YEAR)


def edit_csv(folder: Path, table: str, change) -> None:
    """Rewrite one csv of an exported folder: change(rows) edits the data rows (not the header)."""
    path = folder / f"{table}.csv"
    with path.open(encoding="utf-8-sig", newline="") as handle:
        header, *rows = list(csv.reader(handle))
    change(rows)
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle).writerows([header, *rows])


def row_of(rows: list[list], school: str, n: int = 0) -> list:
    """The n-th data row of a school (exports are sorted, so this is stable)."""
    return [row for row in rows if row[0] == school][n]


def sheet_row(folder: Path, table: str, school: str, n: int = 0) -> int:
    """The row number in the csv (header = 1) of a school's n-th row."""
    rows = []
    edit_csv(folder, table, rows.extend)
    return rows.index(row_of(rows, school, n)) + 2


@pytest.fixture
def exported(town, tmp_path) -> Path:
    folder = tmp_path / "stats"
    write_template(folder, town, YEAR)
    return folder


def test_xlsx_template_has_a_sheet_per_table_and_chinese_notes(tmp_path):
    from openpyxl import load_workbook

    out = tmp_path / "template.xlsx"
    write_template(out)
    book = load_workbook(out)
    assert book.sheetnames == ["说明", *imported_tables()]  # a derived table (fitness) is not in the template
    assert book["classes"]["D1"].value == "班额（人）(size)"
    notes = [row for row in book["说明"].iter_rows(values_only=True)]
    assert ("班级情况(classes)", "size", "班额（人）", "INTEGER", "该班在籍学生数") in notes


def test_xlsx_round_trip_gives_the_same_values(town, tmp_path):
    out = tmp_path / "town.xlsx"
    write_template(out, town, YEAR)
    fresh = connect()
    register_city(fresh, CITY, "样例市", [("D1", "一区"), ("D2", "二区")])
    report = import_statistics(fresh, out, YEAR)
    assert report.accepted and report.rows["classes"] == 27
    compute(town, [YEAR])
    assert values(fresh, YEAR) == values(town, YEAR)


def test_bad_rows_are_reported_per_school_with_row_and_reason(town, exported):
    def break_classes(rows):
        row_of(rows, "P1", 1)[3] = "49"  # P1's second class: 50 + 49 ≠ 100 pupils
        row_of(rows, "P2", 2)[3] = "abc"  # P2's third class: not a number

    def break_schools(rows):
        row_of(rows, "P1")[5] = "1"  # P1 marked 普惠, but it is a primary school

    rows = {name: sheet_row(exported, *where) for name, where in
            {"p1": ("schools", "P1"), "p1grade": ("students", "P1"), "p2class": ("classes", "P2", 2)}.items()}
    edit_csv(exported, "classes", break_classes)
    edit_csv(exported, "schools", break_schools)
    with pytest.raises(ImportRejected) as rejected:
        import_statistics(town, exported, YEAR)
    by_school = rejected.value.report.by_school()
    p1 = {(p.table, p.row, p.rule) for p in by_school["P1"]}
    assert ("schools", rows["p1"], "puhui_only_kindergartens") in p1
    assert ("students", rows["p1grade"], "classes_sum_to_grade") in p1  # the grade whose classes no longer add up
    assert any(p.rule == "bad_value" and p.row == rows["p2class"] and "不是数字" in p.message for p in by_school["P2"])
    message = next(p.message for p in by_school["P1"] if p.rule == "classes_sum_to_grade")
    assert message == "该年级各班班额之和 99 人与在校生数 100 人不符"


def test_unknown_school_duplicate_key_and_missing_table(town, exported):
    edit_csv(exported, "teachers", lambda rows: rows.append(["X9", *["1"] * 10]))
    edit_csv(exported, "facilities", lambda rows: rows.append(row_of(rows, "P1")))
    (exported / "population.csv").unlink()
    with pytest.raises(ImportRejected) as rejected:
        import_statistics(town, exported, YEAR)
    rules = {(p.school_code, p.rule) for p in rejected.value.report.problems}
    assert ("X9", "teacher_school_known") in rules
    assert ("P1", "duplicate_key") in rules
    assert (None, "table_missing") in rules


def test_warnings_do_not_block(town, exported):
    edit_csv(exported, "students", lambda rows: row_of(rows, "J1").__setitem__(6, ""))  # no cohort_entry
    report = import_statistics(town, exported, YEAR)
    assert report.accepted
    assert {(p.school_code, p.rule, p.importance) for p in report.problems} == {
        ("J1", "cohort_entry_for_final_grade", "medium"),
        ("P3", "class_size_super_big", "low"),  # the town's class of 70
    }


def test_rejected_import_leaves_data_and_values_as_they_were(town, exported):
    compute(town, [YEAR])
    before = snapshot(town)
    edit_csv(exported, "students", lambda rows: row_of(rows, "K1").__setitem__(2, "61"))  # K1: 61 ≠ its classes' 60
    with pytest.raises(ImportRejected):
        import_statistics(town, exported, YEAR)
    assert snapshot(town) == before


def test_failure_while_replacing_rolls_everything_back(town, exported, monkeypatch):
    compute(town, [YEAR])
    before = snapshot(town)
    edit_csv(exported, "students", lambda rows: row_of(rows, "K2").__setitem__(3, "5"))  # valid: K2 5 migrant children

    def fail(*_args, **_kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(importer_module, "write_values", fail)  # the tables are already replaced by then
    with pytest.raises(RuntimeError):
        import_statistics(town, exported, YEAR)
    assert snapshot(town) == before


def test_a_good_import_replaces_the_year(town, exported):
    compute(town, [YEAR])
    edit_csv(exported, "schools", lambda rows: row_of(rows, "K2").__setitem__(4, "1"))  # K2 becomes public
    import_statistics(town, exported, YEAR)
    value = values(town, YEAR, indicator_id="kg_public_share", unit_code="C")[0]["value"]
    assert value == pytest.approx(100 * (60 + 40) / 200)


def test_not_a_workbook(town, tmp_path):
    bad = tmp_path / "bad.xlsx"
    bad.write_text("not a zip")
    with pytest.raises(importer_module.IndicatorError, match="not a readable .xlsx"):
        import_statistics(town, bad, YEAR)


def test_a_blank_template_is_refused_and_the_year_stays(town, tmp_path):
    compute(town, [YEAR])
    before = snapshot(town)
    blank = tmp_path / "blank.xlsx"
    write_template(blank)
    with pytest.raises(importer_module.IndicatorError, match="no schools to import"):
        import_statistics(town, blank, YEAR)
    assert snapshot(town) == before

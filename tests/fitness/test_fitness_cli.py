"""`eduplan fitness score FILE [--out] [--json]` through the real entry point."""

from __future__ import annotations

import json

import openpyxl
from click.testing import CliRunner
from test_fitness_upload import BOY, GIRL, _csv

from eduplan.cli import main


def test_score_json_lists_one_object_per_pupil(tmp_path):
    result = CliRunner().invoke(main, ["fitness", "score", str(_csv(tmp_path, [BOY, GIRL])), "--json"])
    assert result.exit_code == 0, result.output
    boy, girl = json.loads(result.output)
    assert set(boy) == {
        "student_id",
        "grade_code",
        "sex",
        "items",
        "standard_score",
        "bonus",
        "total",
        "band",
    }
    assert (boy["student_id"], boy["grade_code"], boy["sex"]) == ("G1001", 21, 1)
    assert set(boy["items"]) == {
        "bmi",
        "vital_capacity",
        "run50m",
        "sit_reach",
        "standing_long_jump",
        "pull_up",
        "run_1000m",
    }
    assert girl["sex"] == 2 and "run_800m" in girl["items"]
    assert boy["total"] == boy["standard_score"] + boy["bonus"]
    assert boy["band"] in ("优秀", "良好", "及格", "不及格")


def test_score_writes_the_sheets_and_prints_a_summary(tmp_path):
    out = tmp_path / "scored.xlsx"
    result = CliRunner().invoke(
        main, ["fitness", "score", str(_csv(tmp_path, [BOY, GIRL])), "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert result.output.startswith("2 名学生已评分")
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["全部学生", "初一1班"]
    header = [c.value for c in book["全部学生"][1]]
    assert header[:5] == ["年级编号", "班级", "学籍号", "姓名", "性别"] and header[-4:] == [
        "标准分",
        "附加分",
        "学年总分",
        "等级",
    ]


def test_score_refuses_a_bad_file_with_the_chinese_report_and_exit_2(tmp_path):
    bad = ["25"] + BOY[1:]
    result = CliRunner().invoke(main, ["fitness", "score", str(_csv(tmp_path, [bad]))])
    assert result.exit_code == 2
    assert "未导入任何数据" in result.output and "第 2 行【年级编号】" in result.output
    assert "Traceback" not in result.output


def test_score_writes_the_school_report_with_bands_by_grade(tmp_path):
    from docx import Document

    from eduplan.fitness import upload
    from eduplan.fitness.results import score

    path = _csv(tmp_path, [BOY, GIRL])
    out = tmp_path / "report.docx"
    result = CliRunner().invoke(
        main, ["fitness", "score", str(path), "--report", str(out), "--school", "样例中学", "--year", "2024"]
    )
    assert result.exit_code == 0, result.output
    document = Document(out)
    assert document.paragraphs[0].text == "样例中学2024学年学生体质健康测试报告"
    bands = [s.band for s in score(upload.read(path))]
    good = sum(b in ("优秀", "良好") for b in bands)
    grades, bmi = document.tables
    assert [c.text for c in grades.rows[-1].cells] == [
        "全校",
        "2",
        "0",
        *(str(bands.count(b)) for b in ("优秀", "良好", "及格", "不及格")),
        f"{100 * good / 2:.1f}%",
        f"{100 * sum(b != '不及格' for b in bands) / 2:.1f}%",
    ]
    assert grades.rows[1].cells[0].text == "初中一年级（初一）" and bmi.rows[-1].cells[1].text == "2"


def _statistics_file(tmp_path):
    from eduplan.indicators.schema import connect, register_city

    path = tmp_path / "statistics.duckdb"
    con = connect(path)
    register_city(con, "C", "样例市", [("D1", "一区")])
    con.execute(
        "INSERT INTO schools (year, school_code, name, district_code, level, public) "
        "VALUES (2024, 'J1', '样例中学', 'D1', 'junior', true)"
    )
    con.close()
    return path


def test_import_then_export_gives_back_the_file_and_the_indicators_are_computed(tmp_path):
    from eduplan.fitness import upload
    from eduplan.indicators.schema import connect

    db, source, out = _statistics_file(tmp_path), _csv(tmp_path, [BOY, GIRL]), tmp_path / "upload.xlsx"
    imported = CliRunner().invoke(
        main, ["fitness", "import", str(source), "--school", "J1", "--year", "2024", "--db", str(db)]
    )
    assert imported.exit_code == 0, imported.output
    assert "2 名学生的体质健康测试成绩已导入" in imported.output
    exported = CliRunner().invoke(
        main, ["fitness", "export", "--school", "J1", "--year", "2024", "--out", str(out), "--db", str(db)]
    )
    assert exported.exit_code == 0, exported.output

    def fields(r):
        return (r.student_id, r.grade_code, r.sex, r.exempt, r.values, r.name, r.class_name, r.birth_date)

    assert sorted(map(fields, upload.read(out))) == sorted(map(fields, upload.read(source)))
    con = connect(db)
    ids = {
        row[0]
        for row in con.execute("SELECT indicator_id FROM indicator_values WHERE unit_code = 'J1'").fetchall()
    }
    assert ids == {"fitness_good_rate", "fitness_pass_rate", "fitness_excellent_rate", "fitness_obesity_rate"}


def test_import_refuses_an_unknown_school_and_stores_nothing(tmp_path):
    from eduplan.indicators.schema import connect

    db = _statistics_file(tmp_path)
    result = CliRunner().invoke(
        main,
        [
            "fitness",
            "import",
            str(_csv(tmp_path, [BOY])),
            "--school",
            "X9",
            "--year",
            "2024",
            "--db",
            str(db),
        ],
    )
    assert result.exit_code == 2 and "学校标识码 X9 不在 2024 学年的学校名单中" in result.output
    assert connect(db).execute("SELECT count(*) FROM fitness").fetchone()[0] == 0

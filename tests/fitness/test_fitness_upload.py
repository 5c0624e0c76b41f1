"""The upload template in and out: every refusal names the row and the reason in Chinese and stores nothing;
the upload file written from results reads back to the same results."""

from __future__ import annotations

import csv
from pathlib import Path

import openpyxl
import pytest

from eduplan.fitness import FitnessError, Result, upload

JUNIOR = [
    "年级编号",
    "班级编号",
    "班级名称",
    "学籍号",
    "民族代码",
    "姓名",
    "性别",
    "出生日期",
    "家庭住址",
    "身高",
    "体重",
    "肺活量",
    "50米跑",
    "立定跳远",
    "坐位体前屈",
    "800米跑（女）",
    "1000米跑（男）",
    "一分钟仰卧起坐（女）",
    "引体向上（男）",
]
BOY = [
    "21",
    "2101",
    "初一1班",
    "G1001",
    "01",
    "张三",
    "1",
    "2012/9/1",
    "某路1号",
    "160.5",
    "50.2",
    "3000",
    "8.5",
    "200",
    "10.5",
    "",
    "4.05",
    "",
    "5",
]
GIRL = [
    "21",
    "2101",
    "初一1班",
    "G1002",
    "01",
    "李四",
    "2",
    "2012/3/1",
    "某路2号",
    "155.0",
    "45.0",
    "2500",
    "9.1",
    "170",
    "15.0",
    "3.5",
    "",
    "35",
    "",
]


def _csv(tmp_path: Path, rows: list[list[str]], header=JUNIOR, encoding="utf-8") -> Path:
    path = tmp_path / "results.csv"
    with path.open("w", newline="", encoding=encoding) as handle:
        csv.writer(handle).writerows([header, *rows])
    return path


def _refusal(path: Path) -> list[str]:
    with pytest.raises(FitnessError) as caught:
        upload.read(path)
    assert caught.value.report().startswith("未导入任何数据")
    return [str(p) for p in caught.value.problems]


def test_a_filled_template_reads_with_times_as_minutes_dot_seconds(tmp_path):
    boy, girl = upload.read(_csv(tmp_path, [BOY, GIRL]))
    assert (boy.sex, boy.grade_code, boy.values["run_1000m"], boy.values["run50m"]) == ("M", 21, 24500, 850)
    assert girl.values["run_800m"] == 23000  # 3.5 is 3.50 = 3'50"
    assert girl.values["sit_reach"] == 1500 and girl.name == "李四"


def test_gbk_csv_as_excel_saves_it(tmp_path):
    [boy] = upload.read(_csv(tmp_path, [BOY], encoding="gbk"))
    assert boy.class_name == "初一1班"


@pytest.mark.parametrize("written", ["4:05", "4'05\"", "4′05″", "4分05秒", "4.05"])
def test_a_time_with_minute_marks_reads_as_the_same_time(tmp_path, written):
    [boy] = upload.read(_csv(tmp_path, [BOY[:16] + [written] + BOY[17:]]))
    assert boy.values["run_1000m"] == 245 * 100


def test_a_wrong_column_is_refused(tmp_path):
    header = JUNIOR[:11] + ["肺活量(ml)"] + JUNIOR[12:]
    assert _refusal(_csv(tmp_path, [BOY], header=header)) == [
        "第 1 行：未知列「肺活量(ml)」：请使用国家学生体质健康标准数据上报模板的列名"
    ]


def test_a_missing_base_column_is_refused(tmp_path):
    header = [h for h in JUNIOR if h != "学籍号"]
    rows = [[c for h, c in zip(JUNIOR, BOY, strict=True) if h != "学籍号"]]
    assert _refusal(_csv(tmp_path, rows, header=header)) == ["第 1 行：缺少模板必需列：学籍号"]


def test_a_time_in_the_50m_column_and_bad_seconds_are_refused_with_their_rows(tmp_path):
    bad_50m = BOY[:12] + ["0:08"] + BOY[13:]
    bad_seconds = GIRL[:15] + ["3.75"] + GIRL[16:]
    bad_seconds[3] = "G1003"
    assert _refusal(_csv(tmp_path, [BOY, bad_50m, bad_seconds])) == [
        "第 3 行【50米跑】「0:08」无法识别：以秒为单位填写小数（如 8.5），不含分秒符号",
        "第 4 行【800米跑（女）】「3.75」的秒数 75 应小于 60（分.秒格式：3.25 表示 3分25秒）",
    ]


def test_a_grade_code_that_does_not_exist_and_a_bad_sex_are_refused(tmp_path):
    bad = ["25"] + BOY[1:6] + ["男"] + BOY[7:]
    assert _refusal(_csv(tmp_path, [bad])) == [
        "第 2 行【年级编号】年级编号「25」不存在（应为 11–16、21–23、31–33、41–44）",
        "第 2 行【性别】性别「男」无法识别：应为 1（男）或 2（女）",
    ]


def test_values_out_of_range_are_refused_by_the_engine_with_row_and_reason(tmp_path):
    tall = BOY[:9] + ["1605"] + BOY[10:]  # 160.5 cm typed without the point
    slow = GIRL[:15] + ["30.00"] + GIRL[16:]  # 30 minutes
    assert _refusal(_csv(tmp_path, [tall, slow])) == [
        "第 2 行【身高】身高 1605 超出合理范围（80–230）",
        "第 3 行【800米跑】800米跑 30'00\" 超出合理范围（2'00\"–15'00\"）",
    ]


def test_a_missing_item_and_an_item_the_grade_does_not_test_are_refused(tmp_path):
    no_jump = BOY[:13] + [""] + BOY[14:]
    girl_with_pullups = GIRL[:18] + ["3"]
    assert _refusal(_csv(tmp_path, [no_jump, girl_with_pullups])) == [
        '第 2 行【立定跳远】缺少立定跳远成绩；如因病或残疾免予执行，请在身高栏填写"免测"',
        "第 3 行【引体向上】初中一年级（初一）女生不测引体向上，此栏应为空",
    ]


def test_a_repeated_student_id_is_refused(tmp_path):
    assert _refusal(_csv(tmp_path, [BOY, BOY])) == ["第 3 行【学籍号】学籍号 G1001 重复（第 2 行已有）"]


def test_an_exempt_pupil_reads_without_results_and_must_have_none(tmp_path):
    exempt = BOY[:9] + ["免测"] + [""] * 9
    [pupil] = upload.read(_csv(tmp_path, [exempt]))
    assert pupil.exempt and pupil.values == {}
    assert (
        _refusal(_csv(tmp_path, [BOY[:9] + ["免体"] + BOY[10:]]))[0]
        == "第 2 行【体重】免测学生的各项成绩应为空"
    )


@pytest.mark.parametrize("name,content", [("x.xlsx", b"not a zip"), ("x.txt", b"a"), ("x.csv", b"")])
def test_files_that_are_not_templates_are_refused_in_chinese(tmp_path, name, content):
    path = tmp_path / name
    path.write_bytes(content)
    assert _refusal(path)


def test_the_upload_file_reads_back_to_the_same_results(tmp_path):
    results = upload.read(_csv(tmp_path, [BOY, GIRL, BOY[:3] + ["G1003"] + BOY[4:9] + ["免测"] + [""] * 9]))
    primary = Result(
        4,
        "P1",
        15,
        "F",
        False,
        {
            "height": 14000,
            "weight": 3500,
            "vital_capacity": 180000,
            "run50m": 1010,
            "sit_reach": 800,
            "rope_skip_1min": 12000,
            "sit_up": 3000,
            "shuttle_50x8": 11000,
        },
        class_code="1501",
        class_name="五年级1班",
        name="王五",
        birth_date="2015/5/5",
        ethnicity="01",
    )
    out = tmp_path / "upload.xlsx"
    upload.write([*results, primary], out)
    back = upload.read(out)

    def key(r):
        return r.student_id

    def strip(r):
        return (
            r.student_id,
            r.grade_code,
            r.sex,
            r.exempt,
            r.values,
            r.class_code,
            r.class_name,
            r.name,
            r.birth_date,
            r.ethnicity,
            r.address,
        )

    assert [strip(r) for r in sorted(back, key=key)] == [
        strip(r) for r in sorted([*results, primary], key=key)
    ]
    assert openpyxl.load_workbook(out).sheetnames == ["15", "21"]


def test_a_file_wrong_in_every_row_is_refused_with_a_bounded_report(tmp_path):
    rows = [["25"] + BOY[1:3] + [f"G{n}"] + BOY[4:] for n in range(12_000)]
    with pytest.raises(FitnessError) as caught:
        upload.read(_csv(tmp_path, rows))
    assert len(caught.value.problems) == 10_000
    assert caught.value.report().startswith("未导入任何数据：发现 10000 处以上问题")

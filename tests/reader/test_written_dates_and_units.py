"""Deadlines in every written form (2027年8月31日, 2027-08-31, 2027/8/31, 2027年9月, 完成时限：…,
a task table's 完成时限 column) and the units that answer for a task (牵头单位 / 配合单位).
Every text here is written for the test.
"""

from __future__ import annotations

import pytest

from eduplan.reader import read
from eduplan.reader.deadlines import find_deadlines
from eduplan.reader.responsibility import find_units
from eduplan.reader.tables import task_table_lines


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("2031年8月31日完成全部验收", "2031-08-31"),
        ("2031-08-31前完成", "2031-08-31"),
        ("于2031/8/31前投入使用", "2031-08-31"),
        ("2031.6.30前完成招生", "2031-06-30"),
        ("2031年9月投入使用", "2031-09-30"),
        ("完成时限：2031年10月", "2031-10-31"),
    ],
)
def test_written_dates_are_deadlines(text, date):
    assert [d.date for d in find_deadlines(text, 2031)] == [date]


@pytest.mark.parametrize("text", ["2031年9月1日起施行", "自2031年9月起实施", "2021-2025年规划"])
def test_a_start_or_a_range_is_no_deadline(text):
    assert find_deadlines(text, 2031) == []


def plan_items(body: str):
    (document,) = read(f"某市2031年教育工作要点\n一、重点任务\n{body}".encode(), name="plan.txt").documents
    return document.items[0].children


def test_an_explicit_date_beats_within_the_year():
    (item,) = plan_items("1.新建学校6所，年内完成。完成时限：2031年8月31日。")
    assert [t.deadline for t in item.targets] == ["2031-08-31"]
    (item,) = plan_items("1.年内，即2031年7月31日前，新增学位8000个。")
    assert [t.deadline for t in item.targets] == ["2031-07-31"]


def test_a_clause_date_of_its_own_is_kept_over_the_items_label():
    (item,) = plan_items("1.2031年6月30日前新增学位8000个；改造校舍4所。完成时限：2031年12月20日。")
    assert [t.deadline for t in item.targets] == ["2031-06-30", "2031-12-20"]


@pytest.mark.parametrize(
    ("text", "lead", "support"),
    [
        (
            "建设智慧校园10所。（牵头单位：基础教育处；配合单位：教师工作处、发展规划处）",
            ["基础教育处"],
            ["教师工作处", "发展规划处"],
        ),
        ("（牵头单位：市教育局，配合单位：市财政局）", ["市教育局"], ["市财政局"]),
        ("责任单位：市教育局（牵头）、市发改委、市财政局", ["市教育局"], ["市发改委", "市财政局"]),
        ("责任处室：体卫艺处、基础教育处", ["体卫艺处", "基础教育处"], []),
        ("由基础教育处负责推进", [], []),
    ],
)
def test_units_that_answer_for_a_task(text, lead, support):
    units = find_units(text)
    assert (units.lead, units.support) == (lead, support)


def test_a_task_table_gives_each_row_its_units_and_deadline():
    rows = [
        ["序号", "重点任务", "具体内容", "牵头单位", "配合单位", "完成时限"],
        ["1", "扩充学位", "新增公办学位6000个", "基础教育处", "发展规划处、财务处", "2031年8月31日"],
        ["2", "教师培训", "培训教师3000人次", "教师工作处", "", "2031/11/30"],
    ]
    text = "某市2031年教育工作要点\n一、重点任务\n" + "\n".join(task_table_lines(rows))
    (document,) = read(text.encode(), name="plan.txt").documents
    first, second = document.items[0].children
    assert (first.lead_units, first.support_units) == (["基础教育处"], ["发展规划处", "财务处"])
    assert [t.deadline for t in first.targets] == ["2031-08-31"]
    assert (second.lead_units, second.support_units) == (["教师工作处"], [])
    assert [(t.value, t.deadline) for t in second.targets] == [(3000, "2031-11-30")]


def test_units_are_in_the_parse_output():
    (item,) = plan_items("1.新建学校6所。（牵头单位：基础教育处；配合单位：财务处）")
    read_back = read(
        "某市2031年教育工作要点\n一、重点任务\n1.新建学校6所。（牵头单位：基础教育处；配合单位：财务处）".encode(),
        name="plan.txt",
    ).to_dict()
    task = read_back["documents"][0]["items"][0]["children"][0]
    assert (task["lead_units"], task["support_units"]) == (["基础教育处"], ["财务处"])
    assert item.lead_units == ["基础教育处"]

"""Deadline phrases dated by the document's year."""

from __future__ import annotations

import pytest

from eduplan.reader.deadlines import find_deadlines


@pytest.mark.parametrize(("text", "date"), [
    ("年内实现校园公用厕所全面达标", "2022-12-31"),
    ("年底前完成审批", "2022-12-31"),
    ("年底完成挂牌", "2022-12-31"),
    ("年末全部投入使用", "2022-12-31"),
    ("力保2020年底全部完成审批", "2020-12-31"),
    ("到2023年底全部调整到位", "2023-12-31"),
    ("到2025年，公办园占比达到60%", "2025-12-31"),
    ("力争今年9月前挂牌招生", "2022-09-30"),
    ("9月底前完成招生", "2022-09-30"),
    ("2月底完成", "2022-02-28"),
    ("十一月底前完成评估", "2022-11-30"),
    ("2024年2月底前完成", "2024-02-29"),
    ("11月中旬前完成评估", "2022-11-20"),
    ("2023年3月上旬完成报名", "2023-03-10"),
    ("今年2月下旬前完成排查", "2022-02-28"),
    ("上半年完成验收", "2022-06-30"),
    ("下半年启动试点", "2022-12-31"),
    ("第一季度完成部署", "2022-03-31"),
])
def test_deadline_dates(text, date):
    found = find_deadlines(text, 2022)
    assert [d.date for d in found] == [date]


def test_the_quote_is_the_clause_holding_the_phrase():
    found = find_deadlines("加快推进中心建设，力保2020年底全部完成审批并挂牌投入使用。", 2020)
    assert found[0].quote == "力保2020年底全部完成审批并挂牌投入使用"


@pytest.mark.parametrize("text", [
    "2021年开始首批招生",              # a start, not a deadline
    "做好2020年教师节表彰",            # a year, not a deadline
    "三年内完成改造",                  # a duration
    "落实《2020年底前完成的若干任务》",  # part of a title
    "开展春季学期工作会议",
    "深化2020年中考改革",               # 年中 is no deadline: 中考, 年中期
])
def test_not_deadlines(text):
    assert find_deadlines(text, 2020) == []


def test_without_a_year_nothing_can_be_dated():
    assert find_deadlines("年内完成", None) == []
    assert [d.date for d in find_deadlines("到2023年底完成", None)] == ["2023-12-31"]


def test_every_phrase_of_an_item_is_listed():
    found = find_deadlines("上半年完成方案，年底前全面推开。", 2021)
    assert [d.date for d in found] == ["2021-06-30", "2021-12-31"]


@pytest.mark.parametrize(("text", "date"), [
    ("6月30日前完成全部公办园评估", "2025-06-30"),
    ("2026年3月1日之前出台实施方案", "2026-03-01"),
    ("秋季学期开学前新增公办学位3000个", "2025-08-31"),
])
def test_a_day_or_the_autumn_term_before_which_work_is_due(text, date):
    assert [d.date for d in find_deadlines(text, 2025)] == [date]


@pytest.mark.parametrize("text", ["自2025年9月1日起施行", "2月30日前完成"])
def test_a_start_date_or_an_impossible_day_is_no_deadline(text):
    assert find_deadlines(text, 2025) == []


def test_every_phrase_of_the_table_is_found_standing_alone():
    """The pattern's look-aheads (how a phrase can start) are derived from the rows: none may shut one out."""
    from eduplan.reader.textspans import table

    rows = [phrase for phrase, values in table("deadlines.tsv").items() if values[0][0] not in ("start", "label")]
    for phrase in rows:
        text = phrase.replace("{Y}", "2024").replace("{M}", "9").replace("{D}", "15")
        found = find_deadlines(f"推进工作，{text}完成", 2024)
        assert [deadline.phrase for deadline in found] == [text], phrase

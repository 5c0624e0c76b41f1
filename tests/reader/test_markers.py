"""Marker candidates and Chinese numerals: what looks like a list marker, and its value."""

from __future__ import annotations

import pytest

from eduplan.reader.markers import candidates, chinese_number


@pytest.mark.parametrize(("text", "value"), [
    ("一", 1), ("十", 10), ("十二", 12), ("二十", 20), ("二十三", 23), ("九十九", 99),
    ("两", 2), ("一百", 100), ("一百零五", 105), ("二〇二四", 2024), ("零", 0),
])
def test_chinese_numbers(text, value):
    assert chinese_number(text) == value


@pytest.mark.parametrize("text", ["", "十一五", "甲", "一是"])
def test_not_chinese_numbers(text):
    assert chinese_number(text) is None


@pytest.mark.parametrize(("line", "style", "marker", "number"), [
    ("一、加强党的建设", "cn", "一、", 1),
    ("十三、优化服务", "cn", "十三、", 13),
    ("(一)加强党的建设", "cn_paren", "(一)", 1),
    ("（十二）推进改革", "cn_paren", "(十二)", 12),
    ("1.深化理论武装", "digit", "1.", 1),
    ("13. 推进改革", "digit", "13.", 13),
    ("2、推进改革", "digit", "2、", 2),
    ("1﹒建立机构", "digit", "1﹒", 1),
    ("１．全角数字", "digit", "1.", 1),
    ("(3)开展培训", "digit_paren", "(3)", 3),
    ("（4）开展培训", "digit_paren", "(4)", 4),
    ("5)开展培训", "digit_half_paren", "5)", 5),
    ("②开展培训", "circled", "②", 2),
])
def test_each_marker_style_at_line_start(line, style, marker, number):
    first = candidates(line)[0]
    assert (first.style, first.marker, first.number, first.position) == (style, marker, number, "line_start")
    assert first.start == 0


def test_the_text_starts_after_the_marker_and_its_spaces():
    line = "13.  推进改革"
    assert line[candidates(line)[0].end:] == "推进改革"


@pytest.mark.parametrize("line", [
    "新增学位2.5万个", "完成2020.", "比例控制在1%以内", "生师比1:350", "评选第1名", "第九届运动会",
    "落实《三年行动计划(2018-2020年)》", "一是资源不足", "二中、三中全会", "获得一、二等奖",
    "实施教育信息化2.0行动", "加快Ipv6.建设", "初一、初二年级",
])
def test_numbers_that_are_not_markers(line):
    assert candidates(line) == []


def test_position_of_inline_candidates():
    line = "深化改革。(三)从严治党。行动(七)推进;②开展"
    positions = [(c.marker, c.position) for c in candidates(line)]
    assert positions == [("(三)", "after_sentence"), ("(七)", "in_run"), ("②", "after_sentence")]


def test_circled_numbers_may_follow_a_colon():
    assert candidates("主要任务:①扩大资源")[0].position == "after_sentence"
    assert candidates("工作如下:一、党建")[0].position == "after_sentence"
    assert candidates("主要任务:1.扩大资源")[0].position == "in_run"

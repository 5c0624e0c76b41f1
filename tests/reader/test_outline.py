"""The outline stage: clean lines to documents with their numbered item tree.

Snippets here are made up for the tests; the seeds in ../shared are read only through
the `shared_dir` fixture (their text never enters the repository).
"""

from __future__ import annotations

import importlib.util
import json
import re
import time

import pytest

from eduplan.reader import read
from eduplan.reader.outline import item_title, outline


def tree(document):
    """[(path, marker, title)] in document order, paths as the scorer builds them."""
    def walk(items, prefix):
        for item in items:
            path = f"{prefix}/{item.number}" if prefix else str(item.number)
            yield path, item.marker, item.title
            yield from walk(item.children, path)
    return list(walk(document.items, ""))


def paths(document):
    return [path for path, _, _ in tree(document)]


def only(lines):
    (document,) = outline(lines)
    return document


# -- marker styles and levels ------------------------------------------------------------

def test_standard_four_levels():
    document = only([
        "一、加强党的建设",
        "(一)深化理论武装",
        "1.健全学习制度。每月组织学习。",
        "(1)组织书记培训。全年两期。",
        "①市级培训。",
        "②区级培训。",
        "(2)开展专题研讨。",
        "2.推进清廉学校建设。",
        "(二)提高育人质量",
        "二、扩大资源供给",
    ])
    assert paths(document) == ["1", "1/1", "1/1/1", "1/1/1/1", "1/1/1/1/1", "1/1/1/1/2",
                               "1/1/1/2", "1/1/2", "1/2", "2"]
    assert [m for _, m, _ in tree(document)][:5] == ["一、", "(一)", "1.", "(1)", "①"]


def test_full_width_and_small_stop_markers_are_normalised():
    document = only(["（一）推进学前教育", "１．新增学位。", "2﹒新建幼儿园。", "（二）推进义务教育"])
    assert [(m, n) for m, n in ((i.marker, i.number) for i in document.walk())] == [
        ("(一)", 1), ("1.", 1), ("2﹒", 2), ("(二)", 2)]


def test_task_numbers_run_on_across_sections():
    document = only(["一、党建", "1.甲。", "2.乙。", "二、教育", "3.丙。", "4.丁。", "三、保障", "5.戊。"])
    assert paths(document) == ["1", "1/1", "1/2", "2", "2/3", "2/4", "3", "3/5"]


def test_task_numbers_restart_in_each_section():
    document = only(["一、党建", "1.甲。", "2.乙。", "二、教育", "1.丙。", "2.丁。"])
    assert paths(document) == ["1", "1/1", "1/2", "2", "2/1", "2/2"]


def test_a_sub_level_in_only_some_sections():
    document = only([
        "一、党建", "1.甲。", "2.乙。",
        "二、教育", "(一)学前教育", "3.丙。", "4.丁。", "(二)职业教育", "5.戊。",
        "三、保障", "6.己。",
    ])
    assert paths(document) == ["1", "1/1", "1/2", "2", "2/1", "2/1/3", "2/1/4", "2/2", "2/2/5",
                               "3", "3/6"]


def test_a_numbered_list_before_the_sections_does_not_swallow_them():
    document = only(["主要目标:", "1.学位增加。", "2.质量提升。", "一、党建", "1.甲。", "二、教育"])
    assert [p for p in paths(document) if "/" not in p] == ["1", "2", "1", "2"]
    assert [i.marker for i in document.items] == ["1.", "2.", "一、", "二、"]


def test_a_doubled_number_at_a_line_start_is_still_an_item():
    document = only(["一、党建", "(一)甲。", "(二)乙。", "(二)丙。", "(三)丁。"])
    assert paths(document) == ["1", "1/1", "1/2", "1/2", "1/3"]


# -- inline markers -----------------------------------------------------------------------

def test_markers_inside_a_flattened_run():
    document = only([
        "一、全面加强党的领导(一)深化理论学习。组织轮训。(二)抓好基层党建。建强支部。"
        "二、提升育人质量(三)加强思政课建设。开展展示活动。",
    ])
    assert tree(document) == [
        ("1", "一、", "全面加强党的领导"),
        ("1/1", "(一)", "深化理论学习"),
        ("1/2", "(二)", "抓好基层党建"),
        ("2", "二、", "提升育人质量"),
        ("2/3", "(三)", "加强思政课建设"),
    ]
    assert document.walk().__next__().text == "全面加强党的领导"


def test_inline_marker_after_a_semicolon():
    document = only(["1.推进改革;2.完善制度。"])
    assert paths(document) == ["1", "2"]


def test_a_marker_inside_a_sentence_is_text():
    document = only(["一、党建", "(一)落实《条例(一)》要求,开展1、2号楼改造。", "(二)其他。"])
    assert paths(document) == ["1", "1/1", "1/2"]
    assert "(一)》" in document.items[0].children[0].text


# -- false markers ---------------------------------------------------------------------------

def test_false_markers_stay_in_the_text():
    document = only([
        "一、扩大资源",
        "1.新增学位。新增学位2.5万个,完成2020.",
        "2020.年底前完成,比例控制在1%以内,生师比1:350。",
        "2.举办第九届运动会。落实《三年行动计划(2018-2020年)》。",
        "3.存在不足。一是资源不足;二是投入不够。",
    ])
    assert paths(document) == ["1", "1/1", "1/2", "1/3"]
    assert "2020.年底前完成" in document.items[0].children[0].text


def test_a_number_out_of_sequence_is_not_a_marker():
    document = only(["一、党建", "1.甲。", "2.乙。", "7.这一行不是第七项。", "3.丙。"])
    assert paths(document) == ["1", "1/1", "1/2", "1/3"]
    assert "7.这一行不是第七项" in document.items[0].children[1].text


def test_junk_before_the_first_item_never_becomes_an_item():
    document = only(["首页 > 政务公开", "2024年工作要点", "2024年是关键之年。", "一、党建", "1.甲。"])
    assert paths(document) == ["1", "1/1"]
    assert document.preamble == "2024年是关键之年。"


def test_preview_page_numbers_are_joined_into_the_sentence():
    long_start = "(一)深化理论学习。" + "组织全市教育系统开展学习轮训" * 5
    document = only(["一、党建", long_start, "2、活动,确保学习走深走实。(二)抓好基层党建。"])
    assert paths(document) == ["1", "1/1", "1/2"]
    assert document.items[0].children[0].text.endswith("学习轮训活动,确保学习走深走实。")


# -- titles and texts ----------------------------------------------------------------------

@pytest.mark.parametrize(("text", "title"), [
    ("加强党的建设。健全制度。", "加强党的建设"),
    ("坚持立德树人,着力提升教育质量", "坚持立德树人,着力提升教育质量"),
    ("主要任务:", "主要任务"),
    ("强化安全责任,加大排查力度;编印指引。开展演练。", "强化安全责任,加大排查力度;编印指引"),
    ("加强督导\n开展评估。", "加强督导"),
])
def test_item_title_is_the_text_up_to_the_first_full_stop(text, title):
    assert item_title(text) == title


def test_item_text_keeps_its_title_and_excludes_children():
    document = only(["一、党建", "(一)深化理论学习。组织轮训。", "1.建制度。", "(二)抓党建。"])
    first = document.items[0].children[0]
    assert first.text == "深化理论学习。组织轮训。"
    assert document.items[0].text == "党建"


def test_a_line_broken_mid_sentence_is_joined():
    document = only(["一、党建", "1.实施薄弱学校改善工程。实施义务教育薄弱环节改善与能力提",
                     "升工程。", "2.其他。"])
    assert document.items[0].children[0].text.endswith("改善与能力提升工程。")


# -- documents: title, year, kind, issuer ---------------------------------------------------

def test_title_year_kind_and_issuer():
    document = only(["滨海市教育局2024年工作要点", "2024年是关键之年。", "一、党建"])
    assert (document.title, document.year, document.kind, document.issuer) == (
        "滨海市教育局2024年工作要点", 2024, "plan", "滨海市教育局")
    assert document.problems == []


def test_title_with_page_junk_around_it():
    document = only(["example.com2019年工作计划", "教育局 发布时间:2019-03-01", "一、党建"])
    assert (document.title, document.year, document.issuer) == ("2019年工作计划", 2019, None)
    assert document.preamble == ""


def test_title_from_a_file_name_then_the_title_run_into_its_preamble():
    document = only([
        "XX市教育局2023年工作要点.docx",
        "XX市教育局2023年工作要点.docx_第1页",
        "XX市教育局2023年工作要点2023年是开局之年。一、党建(一)深化理论学习。",
    ])
    assert (document.title, document.year) == ("XX市教育局2023年工作要点", 2023)
    assert document.preamble == "2023年是开局之年。"
    assert paths(document) == ["1", "1/1"]


def test_a_whole_document_flattened_into_one_line():
    document = only(["滨海市2022年教育工作要点一、党建(一)深化理论学习。开展轮训。二、教育(二)学前教育。"])
    assert document.title == "滨海市2022年教育工作要点"
    assert paths(document) == ["1", "1/1", "2", "2/2"]
    document = only(["2022年是关键之年,重点工作如下:一、党建(一)深化理论学习。"])
    assert (document.year, paths(document)) == (2022, ["1", "1/1"])


def test_year_from_the_preamble_not_the_publish_date():
    document = only(["发布时间:2022-03-13", "2020年全市教育工作总体要求是:稳中求进。", "一、党建"])
    assert (document.title, document.year) == (None, 2020)
    document = only(["教体局重点工作安排意见", "时间:2022-03-13", "2021年是开局之年。", "一、党建"])
    assert (document.title, document.year, document.kind) == ("教体局重点工作安排意见", 2021, "plan")


def test_the_covered_year_outranks_a_year_looked_back_on():
    document = only(["2020年是极不平凡的一年,全市教育系统成绩显著。2021年全市教育工作的总体要求是:稳中求进。",
                     "一、党建"])
    assert document.year == 2021
    document = only(["落实《2021-2025年教育发展规划》主要目标,2022年是关键之年。", "一、党建"])
    assert document.year == 2022


def test_a_page_heading_and_menu_entries_are_not_document_titles():
    document = only(["• 工作总结", "• 年终总结", "2020年工作总结和2021年工作要点",
                     "2020年市教育工作总结", "2020年,全市教育系统稳步发展。", "一、党建"])
    assert (document.title, document.year, document.kind) == ("2020年市教育工作总结", 2020, "summary")


def test_the_title_repeated_as_a_page_header_is_not_a_new_document():
    document = only(["XX市2023年工作要点.docx", "一、党建", "(一)甲。", "XX市2023年工作要点.docx_第2页",
                     "(二)乙。"])
    assert paths(document) == ["1", "1/1", "1/2"]


def test_a_cover_notice_names_the_document():
    document = only(["关于印发《滨海市2022年教育工作要点》的通知", "各区教育局:", "一、党建"])
    assert (document.title, document.year) == ("滨海市2022年教育工作要点", 2022)
    document = only(["滨海市教育局关于印发2022年工作要点的通知", "一、党建"])
    assert (document.title, document.year, document.issuer) == ("2022年工作要点", 2022, "滨海市教育局")


def test_never_fails_on_odd_text():
    """Random runs of markers, numbers and punctuation: documents come out, never an error."""
    import random

    pieces = [*"一二十()（）、.．:;。,①②1290年 \n", "2021年", "工作要点", "一、", "(一)", "1.", "存在的问题:",
              "一是", "十一、", "《", "》"]
    generator = random.Random(7)
    for _ in range(300):
        text = "".join(generator.choice(pieces) for _ in range(generator.randint(0, 120)))
        for document in outline(text.split("\n")):
            assert all(item.marker and item.number >= 0 for item in document.walk())


def test_two_documents_on_one_page():
    documents = outline([
        "2020年市教育工作总结",
        "2020年,全市教育系统稳步发展。",
        "一、党建工作",
        "(一)理论学习。开展轮训。",
        "二、教育发展",
        "(一)学前教育。新增学位。",
        "在工作中,还存在以下问题:一是学位供给不足,城乡差距明显。二是经费投入压力较大。",
        "2021年市教育工作要点",
        "2021年是开局之年。",
        "一、坚持党的领导",
        "(一)深入学习。开展轮训。",
    ])
    assert [(d.title, d.year, d.kind) for d in documents] == [
        ("2020年市教育工作总结", 2020, "summary"), ("2021年市教育工作要点", 2021, "plan")]
    summary, plan = documents
    assert paths(summary) == ["1", "1/1", "2", "2/1"]
    assert summary.problems == ["学位供给不足,城乡差距明显", "经费投入压力较大"]
    assert "问题" not in summary.items[-1].children[-1].text
    assert paths(plan) == ["1", "1/1"]
    assert plan.preamble == "2021年是开局之年。" and plan.problems == []


def test_a_restart_of_the_top_level_starts_a_new_document():
    documents = outline(["2020年工作总结", "一、党建", "(一)甲。", "二、教育", "(一)乙。",
                         "2021年是开局之年。", "一、党建", "(一)丙。"])
    assert [(d.title, d.year, paths(d)) for d in documents] == [
        ("2020年工作总结", 2020, ["1", "1/1", "2", "2/1"]), (None, 2021, ["1", "1/1"])]


def test_one_title_naming_two_documents():
    documents = outline(["滨海区教育局2020年工作总结和2021年工作计划", "2020年,全区教育稳步发展。",
                         "一、党建", "(一)甲。", "二、教育", "(一)乙。", "2021年是开局之年。", "一、党建", "(一)丙。"])
    assert [(d.title, d.year, d.kind, d.issuer, paths(d)) for d in documents] == [
        ("滨海区教育局2020年工作总结", 2020, "summary", "滨海区教育局", ["1", "1/1", "2", "2/1"]),
        ("2021年工作计划", 2021, "plan", None, ["1", "1/1"])]
    document = only(["滨海区2020年工作总结暨2021年工作思路", "一、2020年工作回顾", "(一)甲。",
                     "二、2020年工作总结"])
    assert (document.title, document.kind) == ("滨海区2020年工作总结", "summary")


def test_numbered_headings_that_name_documents_split_the_page():
    documents = outline([
        "滨海市教育局2020年工作总结和2021年工作计划",
        "一、2020年工作总结",
        "(一)党建工作。开展轮训。",
        "(二)教育发展。新增学位。",
        "二、2021年工作计划",
        "(一)坚持党的领导。开展轮训。",
    ])
    assert [(d.title, d.year, d.kind) for d in documents] == [
        ("2020年工作总结", 2020, "summary"), ("2021年工作计划", 2021, "plan")]
    assert [paths(d) for d in documents] == [["1", "2"], ["1"]]
    assert documents[0].issuer == "滨海市教育局"


def test_part_headings_that_name_documents_split_the_page():
    documents = outline(["第一部分 2020年工作总结", "一、党建", "(一)甲。", "第二部分 2021年工作要点", "一、党建"])
    assert [(d.title, d.kind, paths(d)) for d in documents] == [
        ("2020年工作总结", "summary", ["1", "1/1"]), ("2021年工作要点", "plan", ["1"])]


def test_issuer_on_its_own_line_above_the_title():
    document = only(["滨海市教育局", "2022年工作计划", "一、党建"])
    assert (document.title, document.issuer) == ("2022年工作计划", "滨海市教育局")


def test_a_list_inside_a_sentence_does_not_continue_an_earlier_list():
    document = only(["一、党建", "(一)甲。", "(1)子项一。", "(二)乙。重点做好:(1)学习;(2)培训;(3)考核。", "(三)丙。"])
    assert paths(document) == ["1", "1/1", "1/1/1", "1/2", "1/3"]


def test_a_section_naming_the_documents_own_year_is_a_section():
    document = only(["2021年工作要点", "一、2020年工作回顾", "(一)甲。", "二、2021年重点工作", "(一)乙。"])
    assert paths(document) == ["1", "1/1", "2", "2/1"]
    document = only(["2021年是开局之年。", "一、2021年重点工作", "(一)乙。"])
    assert paths(document) == ["1", "1/1"]


def test_title_notes_page_suffixes_signatures_and_dates():
    document = only(["滨海市教育局工作要点(2022年)", "一、党建"])
    assert (document.title, document.year, document.issuer) == ("滨海市教育局工作要点", 2022, "滨海市教育局")
    document = only(["2021年XX市教育工作要点(征求意见稿)", "一、党建", "(一)甲。"])
    assert (document.title, document.issuer) == ("2021年XX市教育工作要点", None)
    document = only(["2021年教育工作要点_滨海市教育局", "(2021年3月1日)", "一、党建", "(一)甲。"])
    assert (document.title, document.issuer, document.preamble) == ("2021年教育工作要点", "滨海市教育局", "")
    document = only(["2021年教育工作要点", "一、党建", "(一)甲。", "滨海市教育局", "2021年3月1日"])
    assert document.issuer == "滨海市教育局"
    assert document.items[0].children[0].text == "甲。"


def test_summary_problems_as_a_numbered_section():
    document = only(["2023年工作总结", "一、成效", "(一)甲。", "二、存在问题",
                     "一是资源不足。二是投入不够。三是队伍不强。"])
    assert document.problems == ["资源不足", "投入不够", "队伍不强"]
    assert paths(document) == ["1", "1/1", "2"]


def test_the_problem_list_ends_with_its_paragraph():
    document = only(["2023年工作总结", "一、成效", "(一)甲。", "存在的问题:一是资源不足。二是投入不够。",
                     "下一步,我们将继续努力。"])
    assert document.problems == ["资源不足", "投入不够"]


def test_a_paragraph_that_only_mentions_problems_stays_in_its_item():
    document = only(["2023年工作总结", "一、成效", "(一)整改。", "针对存在问题,我们逐项整改。", "(二)乙。"])
    assert document.problems == []
    assert document.items[0].children[0].text.endswith("逐项整改。")


def test_summary_problems_as_a_numbered_list_under_a_heading():
    document = only(["2023年工作总结", "一、成效", "(一)甲。", "存在的问题和不足:",
                     "1.资源供给不足。", "2.经费投入不够。"])
    assert document.problems == ["资源供给不足", "经费投入不够"]
    assert paths(document) == ["1", "1/1"]


# -- bad and odd input ---------------------------------------------------------------------

def test_no_lines_no_documents():
    assert outline([]) == []
    assert outline(["", "  "]) == []


def test_text_without_structure_is_kept_as_a_preamble():
    (document,) = outline(["这是一段话。", "另一段话。"])
    assert document.items == [] and "另一段话" in document.preamble


@pytest.mark.parametrize("line", ["一、标题" + "1、2、" * 50000, "一、" + "(一)" * 50000,
                                  "。(1)" * 50000, "啊" * 300000, ("2021年工作要点" * 20)])
def test_pathological_lines_stay_linear(line):
    # about a second alone, three under the suite's load on 2 cores; a quadratic step over these
    # 250,000-character lines would take minutes, so the bound is loose and still catches it
    started = time.perf_counter()
    outline([line, line])
    assert time.perf_counter() - started < 10.0


# -- the seeds in ../shared ----------------------------------------------------------------

@pytest.mark.shared
@pytest.mark.parametrize("stem", ["001", "002"])
def test_dev_answer_keys_items_f1(shared_dir, stem):
    scorer = _load_scorer(shared_dir / "eval" / "score.py")
    (gold_path,) = (shared_dir / "eval" / "gold-dev").glob(f"{stem}_*.json")
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    prediction = read(shared_dir / "seeds" / gold["file"]).to_dict()
    summary = scorer.summary(scorer.score(gold, prediction))
    assert (summary["items_f1"], summary["documents"], summary["meta_ok"]) == (
        1.0, f"{len(gold['documents'])}/{len(gold['documents'])}", len(gold["documents"])), summary


def _load_scorer(path):
    spec = importlib.util.spec_from_file_location("eduplan_outline_scorer", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _seed_lines(shared_dir, stem):
    """The seed through a light stand-in for the clean stage (t2s, spaces in Chinese runs),
    so the outline is checked on its own."""
    import opencc

    (path,) = (shared_dir / "seeds").glob(f"{stem}_*.txt")
    to_simplified = opencc.OpenCC("t2s")
    spaces = re.compile(r"(?<=[^\x00-\x7f])[ \t\u3000]+|[ \t\u3000]+(?=[^\x00-\x7f])")
    lines = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = spaces.sub("", to_simplified.convert(line).replace("\ufffd", "")).strip()
        if line:
            lines.append(line)
    return lines


@pytest.mark.shared
def test_seed_with_a_summary_and_a_plan_in_traditional_script(shared_dir):
    documents = outline(_seed_lines(shared_dir, "000"))
    assert [(d.year, d.kind) for d in documents] == [(2020, "summary"), (2021, "plan")]
    summary, plan = documents
    assert (len(summary.items), len(plan.items)) == (5, 4)
    assert len(summary.problems) == 5 and plan.problems == []
    assert all(len(section.children) >= 3 for d in documents for section in d.items)


@pytest.mark.shared
def test_seed_of_preview_fragments_with_inline_markers(shared_dir):
    (document,) = outline(_seed_lines(shared_dir, "003"))
    assert (document.year, document.kind) == (2023, "plan")
    assert [i.number for i in document.items] == [1, 2, 3, 4, 5, 6, 7]
    # (一)…(二十四) run on across the seven sections
    assert [c.number for s in document.items for c in s.children] == list(range(1, 25))


@pytest.mark.shared
def test_seed_of_an_arrangement_with_a_sub_level_in_one_section(shared_dir):
    (document,) = outline(_seed_lines(shared_dir, "004"))
    assert (document.year, document.kind) == (2020, "plan")
    tasks = [p for p in paths(document) if p.count("/") >= 1 and not p.startswith("3/")]
    assert len(document.items) == 5
    assert [c.marker for c in document.items[2].children] == ["(一)", "(二)", "(三)"]
    assert paths(document)[-1] == "5/41" and len(tasks) == 41 - 11


SUMMARY_WITH_NEXT_YEAR = """某市教育局2023年工作总结

一、主要工作成效
（一）学前教育。新增学位7800个，公办幼儿园在园幼儿占比达到53.2%。
二、存在的问题
一是优质教育资源总量仍然不足；二是教师结构性缺编问题依然存在。
三、2024年工作打算
（一）扩大学前教育资源。新增学位5000个以上。
（二）推进优质均衡。年内新建中小学8所。
"""


def test_a_summary_closing_on_next_years_plan_stays_one_document():
    (summary,) = read(SUMMARY_WITH_NEXT_YEAR.encode(), name="summary.txt").documents
    assert (summary.kind, summary.year) == ("summary", 2023)
    assert [item.title for item in summary.items] == ["主要工作成效", "存在的问题", "2024年工作打算"]
    done, _problems, plans = summary.items
    assert [(a.value, a.unit) for a in done.children[0].actuals] == [(7800, "个"), (53.2, "%")]
    # the closing section's figures are commitments for 2024, its 年内 is the end of 2024
    targets = [t for item in plans.walk() for t in item.targets]
    assert [(t.comparator, t.value, t.unit, t.deadline) for t in targets] == [
        (">=", 5000, "个", None), ("=", 8, "所", "2024-12-31")]
    assert not [a for item in plans.walk() for a in item.actuals]


@pytest.mark.parametrize("page_title", ["2020年工作总结和2021年工作计划\n", ""], ids=["titled", "untitled"])
def test_numbered_parts_naming_two_documents_still_split(page_title):
    text = page_title + """
一、2020年工作总结
（一）学前教育。新增学位7800个。
二、2021年工作计划
（一）学前教育。新增学位5000个。
"""
    documents = read(text.encode(), name="page.txt").documents
    assert [(d.kind, d.year) for d in documents] == [("summary", 2020), ("plan", 2021)]

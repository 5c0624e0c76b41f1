"""A document's kind, title and year from its whole shape: the title's words, sections that
switch from a review to next year's plan, and the verbs when the title does not say.

Every text here is written for the test.
"""

from __future__ import annotations

from eduplan.reader import read


def documents(text: str):
    return read(text.encode("utf-8"), name="page.txt").documents


def test_a_year_end_summary_report_is_a_summary_of_its_year():
    (document,) = documents(
        "2025县教育和体育局年终工作总结报告\n"
        "一、基本情况\n全县共有学校120所，在校学生5万人。\n"
        "二、主要工作\n全年完成投资2亿元。"
    )
    assert (document.title, document.year, document.kind) == (
        "2025县教育和体育局年终工作总结报告",
        2025,
        "summary",
    )
    assert not any(item.targets for item in document.walk())
    assert [a.value for a in document.walk().__next__().actuals] == [120, 50000]


def test_a_work_report_material_is_a_summary():
    (document,) = documents("某区教育局2024年度工作汇报材料\n一、工作成效\n新建幼儿园6所。")
    assert (document.year, document.kind) == (2024, "summary")


def test_a_speech_reviewing_a_year_then_planning_the_next_is_read_section_by_section():
    (document,) = documents(
        "在2026年全市教育工作会议上的讲话\n同志们：\n"
        "一、2025年教育工作简要回顾\n全市已建成学校12所，累计新增学位2万个。\n"
        "二、当前面临的形势\n形势复杂。\n"
        "三、2026年工作重点\n（一）扩大资源。新增学位3万个。"
    )
    assert (document.kind, document.year) == ("summary", 2025)
    review, _, plan = document.items
    assert [a.value for a in review.actuals] == [12, 20000] and not review.targets
    assert [t.value for t in plan.children[0].targets] == [30000]


def test_summary_and_plan_on_one_page_without_the_second_year_are_two_documents():
    first, second = documents(
        "某县教育局2025年工作总结和工作计划\n"
        "一、2025年工作总结\n全年新建学校12所。\n"
        "二、2026年工作计划\n新增学位3万个。"
    )
    assert (first.kind, first.year) == ("summary", 2025)
    assert (second.kind, second.year) == ("plan", 2026)
    assert [a.value for a in first.actuals] == [12]


def test_an_untitled_text_that_reports_is_a_summary_and_one_that_commits_a_plan():
    (report,) = documents(
        "全市已建成学校12所，累计投入3亿元，先后荣获省级表彰5项。\n"
        "一、办学条件\n截至年底，已完成改造工程20个。"
    )
    assert report.kind == "summary"
    (plan,) = documents("力争新建学校12所，确保投入3亿元。\n一、办学条件\n年内完成改造工程20个。")
    assert plan.kind == "plan"


def test_a_year_in_chinese_numerals_is_the_documents_year():
    (document,) = documents("某县教育局二〇二五年工作总结\n一、学校建设\n全年新建学校6所。")
    assert (document.title, document.year, document.kind) == ("某县教育局2025年工作总结", 2025, "summary")


def test_a_plan_opening_on_last_years_review_reports_it_in_actuals():
    (document,) = documents("某区教育局2031年工作要点\n一、2030年工作回顾\n全区新建学校8所，新增学位6000个。\n"
                            "二、2031年重点工作\n（一）扩充资源。新建学校10所。")
    review, plan = document.items
    assert (document.kind, document.year) == ("plan", 2031)
    assert [a.value for a in review.actuals] == [8, 6000] and not review.targets
    assert [t.value for t in plan.children[0].targets] == [10]


def test_a_task_that_ends_in_a_kind_phrase_is_a_task_not_a_new_document():
    (document,) = documents("某市2031年教育工作要点\n一、重点任务\n1.扩充资源。新建学校10所。\n"
                            "2.深入学习2030年全国教育大会上的讲话\n3.认真做好2031年工作总结\n4.新增学位3000个。")
    assert [item.number for item in document.items[0].children] == [1, 2, 3, 4]
    assert document.kind == "plan"


def test_a_plan_section_that_plans_a_summing_up_keeps_its_targets():
    (document,) = documents("某区教育局2031年工作要点\n一、及时总结推广经验\n年内推广典型案例20个。")
    assert [t.value for t in document.items[0].targets] == [20] and not document.items[0].actuals

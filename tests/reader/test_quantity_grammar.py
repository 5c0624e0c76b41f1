"""What is a measure and what only looks like one: session numbers, ranks, a list marker glued
to a figure; and counts whose unit is left to their noun. Every text here is written for the test.
"""

from __future__ import annotations

from eduplan.reader import read
from eduplan.reader.quantities import find_quantities


def figures(text: str):
    return [(q.value, q.unit) for q in find_quantities(text)]


def test_session_numbers_measure_nothing():
    assert figures("深入学习省委十六届四次全会、市委十四届二次全会精神") == []


def test_ranks_measure_nothing():
    assert figures("综合考核居全省第五名，在全省赛事中分获第2、5、7名") == []


def test_counts_take_their_unit_from_a_people_noun():
    assert figures("完成42万教职工全员轮训") == [(420000, "人")]
    assert figures("约6.5万教职员工纳入帮扶") == [(65000, "人")]
    assert figures("试点学校达120所、学生17万") == [(120, "所"), (170000, "人")]
    assert figures("全年培训人次逾30万") == [(300000, "人次")]
    assert figures("约22万初中学生、9万普通高中学生参加评价") == [(220000, "人"), (90000, "人")]


def test_an_implied_unit_needs_a_scale_and_leaves_written_units_alone():
    assert figures("组织3教师赴外地学习") == []
    assert figures("新增学位1.2万个，招收学生2000人") == [(12000, "个"), (2000, "人")]


def plan_items(text: str):
    (document,) = read(text.encode("utf-8"), name="plan.txt").documents
    return document.items[0].children


def test_a_task_number_glued_to_a_count_of_people_is_a_marker():
    items = plan_items(
        "某市2031年工作要点\n一、办学条件\n1.新建学校10所。\n"
        "2.66人以上超大班额全部消除。\n3.2.5万名教师参加轮训。"
    )
    assert [item.number for item in items] == [1, 2, 3]
    assert items[1].title.startswith("66人以上超大班额")
    assert [(t.value, t.unit) for t in items[2].targets] == [(25000, "名")]


def test_a_decimal_count_of_people_outside_a_list_stays_a_figure():
    assert figures("平均每校配备心理教师2.5人") == [(2.5, "人")]


def test_size_thresholds_that_pick_out_schools_are_not_targets():
    found = find_quantities("在校生规模2000人以上的初中、1500人以上的小学100%配备专职校医")
    assert [(q.value, q.unit) for q in found] == [(100, "%")]
    assert figures("培养200名以上骨干教师") == [(200, "名")]
    assert figures("新建学校规模控制在2400人以内") == [(2400, "人")]


def test_a_list_of_goals_runs_on_to_the_next_sentences_of_its_paragraph():
    text = ("某市2031年教育工作要点\n"
            "主要预期目标是：学前三年毛入园率达98%，新增2个县通过督导评估。完成新建改扩建项目28个。"
            "去年完成项目30个。\n"
            "新建学校5所。\n一、重点任务\n1.扩充学位。")
    (document,) = read(text.encode("utf-8"), name="plan.txt").documents
    assert [(t.value, t.unit) for t in document.targets] == [(98, "%"), (2, "个"), (28, "个")]


def test_a_named_set_of_rules_is_a_name_but_a_count_in_digits_is_a_figure():
    assert figures("严格落实意识形态工作四项制度、十项机制") == []
    assert figures("年内出台6项制度") == [(6, "项")]

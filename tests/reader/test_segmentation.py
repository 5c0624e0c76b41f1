"""Pages that lost their shape: text run together, tables of contents, an abstract repeating
the body, very long numbered lists. Every text here is written for the test.
"""

from __future__ import annotations

from eduplan.reader import read
from eduplan.reader.clean import clean, is_contents_line


def documents(text: str):
    return read(text.encode("utf-8"), name="page.txt").documents


def titles(items):
    return [item.title for item in items]


def test_a_run_together_page_is_cut_at_the_numbered_headings_that_name_documents():
    page = (
        "2030年全市教育事业稳步发展。一、2030年工作总结(一)党建引领有力。全市新建学校8所。"
        "(二)质量稳步提升。新增学位1.5万个，2028.年开工的项目全部完工。"
        "二、2031年工作要点(一)扩充资源。新增学位2万个。(二)深化改革。推进课程改革。"
    )
    summary, plan = documents(page)
    assert (summary.kind, summary.year, plan.kind, plan.year) == ("summary", 2030, "plan", 2031)
    assert titles(summary.items) == ["党建引领有力", "质量稳步提升"]
    assert [a.value for item in summary.items for a in item.actuals] == [8, 15000]
    assert titles(plan.items) == ["扩充资源", "深化改革"]
    assert [t.value for t in plan.items[0].targets] == [20000]


def test_a_table_of_contents_is_dropped_and_the_body_kept():
    page = (
        "某市教育发展规划\n目录\n一、发展基础……………1\n二、总体要求......3\n三、重点任务…5\n"
        "一、发展基础\n全市建成学校12所。\n二、总体要求\n到2035年新增学位3万个。\n三、重点任务\n完成10所学校建设。"
    )
    (document,) = documents(page)
    assert titles(document.items) == ["发展基础", "总体要求", "重点任务"]
    assert document.items[2].text == "重点任务\n完成10所学校建设。"


def test_a_table_of_contents_run_into_one_line_is_recognised():
    assert is_contents_line("目 录一、发展基础……1二、总体要求……3三、重点任务......15")
    assert not is_contents_line("一、发展基础。全市建成学校12所……")
    assert not is_contents_line("到2035年新增学位3万个")


def test_an_abstract_repeating_the_body_is_dropped():
    body = "主要目标是：新增3个县达到优质均衡标准，40所学校创建为现代化学校，普惠率达95%。"
    page = f"摘要\n{body[:40]}...\n{body}\n年度要求是：坚持立德树人，办好人民满意的教育，建设教育强市。"
    lines = clean(page).lines
    assert lines.count(body) == 1 and not any(line.endswith("...") for line in lines)


def test_a_repeated_line_further_down_is_not_looked_for():
    # Only the page head is checked: a closing paragraph that echoes an earlier one stays.
    paragraph = "坚持以人民为中心的发展思想，办好人民满意的教育，为建设教育强市作出新的更大贡献。"
    lines = [f"第{i}段内容。" for i in range(60)] + [paragraph, "结束语。", paragraph]
    assert clean("\n".join(lines)).lines.count(paragraph) == 2


def test_four_thousand_numbered_tasks_stay_four_thousand_items():
    tasks = "\n".join(f"{n}.完成第{n}项任务。" for n in range(1, 4001))
    (document,) = documents(f"某市2030年工作要点\n一、全部任务\n{tasks}")
    numbers = [item.number for item in document.items[0].children]
    assert numbers == list(range(1, 4001))


def test_a_labelled_abstract_repeating_the_body_is_dropped():
    body = "2030年，全县教育工作全面完成年度目标任务，新建学校5所，新增学位3000个，教育质量稳步提升。"
    lines = clean(f"摘要：{body[:45]}...\n{body}").lines
    assert lines == [body]


def test_a_marker_after_a_note_that_follows_a_full_stop_opens_the_next_item():
    text = ("某县2031年教育工作要点\n一、重点任务(一)扩充资源。新建学校6所。（牵头单位：基础教育处；配合单位：财务处）"
            "(二)提升质量。义务教育巩固率达到99%以上。")
    (document,) = documents(text)
    assert titles(document.items[0].children) == ["扩充资源", "提升质量"]
    assert document.items[0].children[0].lead_units == ["基础教育处"]

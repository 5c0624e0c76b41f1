"""A plan circulated as a task table (任务分解表): each row a numbered task, in Word and on a web page."""

from __future__ import annotations

import io

import docx

from eduplan.reader import read
from eduplan.reader.tables import task_table_lines

HEADER = ["序号", "重点任务", "具体内容", "牵头单位", "完成时限"]
ROWS = [["1", "扩大普惠性学前教育资源", "新建公办幼儿园10所，新增学位3000个", "基础教育处", "2025年12月底前"],
        ["2", "推进义务教育优质均衡", "新建改扩建中小学8所，大班额比例控制在1%以内", "发展规划处", "9月前"],
        ["3", "加强教师队伍建设", "培训校长和教师5000人次，出台《教师交流轮岗实施办法》", "教师工作处", "6月底前"]]


def _docx(title: str, rows: list[list[str]]) -> bytes:
    document = docx.Document()
    document.add_paragraph(title)
    table = document.add_table(rows=0, cols=len(rows[0]))
    for row in rows:
        for cell, text in zip(table.add_row().cells, row, strict=True):
            cell.text = text
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _tasks(plan):
    (document,) = plan.documents
    return document, [item for section in document.items for item in [section, *section.children]]


def test_a_word_task_table_reads_as_numbered_tasks_with_targets_deadlines_and_documents():
    plan = read(_docx("某某市教育局2025年重点工作任务分解表", [HEADER, *ROWS]), name="分解表.docx")
    document, items = _tasks(plan)
    assert (document.title, document.year, document.kind) == ("某某市教育局2025年重点工作任务分解表", 2025, "plan")
    assert [(i.number, i.title) for i in items] == [
        (1, "扩大普惠性学前教育资源"), (2, "推进义务教育优质均衡"), (3, "加强教师队伍建设")]
    first, second, third = items
    assert [(t.indicator, t.comparator, t.value, t.unit) for t in first.targets] == [
        ("新建公办幼儿园", "=", 10, "所"), ("新增学位", "=", 3000, "个")]
    assert [d.date for d in first.deadlines] == ["2025-12-31"]
    assert ("大班额比例", "<=", 1) in [(t.indicator, t.comparator, t.value) for t in second.targets]
    assert [d.date for d in second.deadlines] == ["2025-09-30"]  # the plan's year
    assert [d.name for d in third.deliverables] == ["教师交流轮岗实施办法"]
    assert "牵头单位：教师工作处" in third.text


def test_a_web_page_task_table_with_section_rows_inside_a_layout_table():
    page = """<html><head><meta charset="utf-8"></head><body><table><tr><td>
    <h1>某某区教育局2025年工作要点任务分解表</h1>
    <table border="1"><thead><tr><th>序 号</th><th>工作任务</th><th>具体措施</th><th>责任单位</th></tr></thead>
    <tbody><tr><td colspan="4">一、学前教育</td></tr>
    <tr><td>1</td><td>增加普惠学位</td><td>普惠性幼儿园覆盖率达到90%以上</td><td>学前科</td></tr>
    <tr><td colspan="4">二、义务教育</td></tr>
    <tr><td>2</td><td>控制大班额</td><td>大班额比例控制在2%以内</td><td>基教科</td></tr>
    </tbody></table></td></tr></table></body></html>"""
    (document,) = read(page.encode(), name="page.html").documents
    assert [(s.title, [(i.number, i.title) for i in s.children]) for s in document.items] == [
        ("学前教育", [(1, "增加普惠学位")]), ("义务教育", [(2, "控制大班额")])]
    assert document.items[1].children[0].targets[0].value == 2


def test_a_table_of_figures_is_no_task_table():
    assert task_table_lines([["区县", "学校数", "在校生"], ["江东区", "120", "85000"]]) is None
    plan = read(_docx("某某市2025年教育工作要点", [["区县", "学校数"], ["江东区", "120"]]), name="figures.docx")
    assert not plan.documents[0].items  # read cell by cell, as before: no tasks made up


def test_a_title_row_above_the_header_and_a_row_numbered_as_a_section():
    lines = task_table_lines([["2025年重点任务分解"], HEADER, ["一", "学前教育", "", "", ""], ROWS[0]])
    assert lines == ["2025年重点任务分解", "一、学前教育",
                     "1.扩大普惠性学前教育资源。新建公办幼儿园10所，新增学位3000个。牵头单位：基础教育处。完成时限：2025年12月底前。"]

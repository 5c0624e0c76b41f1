"""The summary and monthly drafts: judging, mapping a plan, and the .docx's own structure."""

from __future__ import annotations

import pytest
from docx import Document as open_docx
from docx.oxml.ns import qn
from docx.shared import Pt

from eduplan.reader import read
from eduplan.reports import (
    SectionSummary,
    SummaryInput,
    TargetResult,
    TaskSummary,
    build_monthly_from_plan,
    build_summary_from_plan,
    write_monthly,
    write_summary,
)
from eduplan.reports.numbering import chinese_number
from eduplan.reports.summary import gap, gap_phrase, judge, problems_of
from eduplan.samples import sample_path


@pytest.fixture(scope="module")
def plan():
    return read(sample_path("plan")).documents[0]


@pytest.mark.parametrize(("comparator", "value", "achieved", "elapsed", "expected"), [
    (">=", 52, 53, 1.0, "met"),
    (">=", 52, 50, 1.0, "missed"),
    ("<=", 1, 1.3, 1.0, "missed"),
    ("<=", 1, 0.8, 0.5, "met"),
    ("<=", 1, 1.3, 0.5, "at_risk"),
    ("=", 24, 25, 1.0, "met"),
    ("~", 12000, 11500, 1.0, "met"),  # 约: within 5 %
    ("~", 12000, 10500, 1.0, "missed"),
    (">=", 28000, 15000, 0.5, "on_track"),
    (">=", 28000, 9000, 0.5, "at_risk"),
    (">=", 28000, None, 0.5, "no_data"),
])
def test_judge(comparator, value, achieved, elapsed, expected):
    assert judge(comparator, value, achieved, elapsed=elapsed) == expected


def test_gap_is_negative_when_short_for_floors_and_ceilings():
    assert gap(TargetResult("学位", "~", 12000, "个", achieved=10500)) == -1500
    assert gap(TargetResult("大班额比例", "<=", 1, "%", achieved=1.3)) == pytest.approx(-0.3)
    assert gap(TargetResult("x", ">=", 1, "%")) is None


def test_chinese_numbers():
    assert [chinese_number(n) for n in (1, 10, 11, 20, 24, 100, 105, 120)] == [
        "一", "十", "十一", "二十", "二十四", "一百", "一百零五", "一百二十"]


def test_summary_follows_the_plans_sections_and_tasks(plan):
    summary = build_summary_from_plan(plan, progress={"2.1": "新增学位10500个。", "加强党的建设": ["学习。", "培训。"]},
                                      values={"新增公办幼儿园学位": 10500, "公办幼儿园在园幼儿占比": {"value": 53}})
    assert summary.title == "滨江市教育局2024年工作总结"
    assert [s.title for s in summary.sections] == [item.title for item in plan.items]
    preschool = summary.sections[1].tasks[0]
    assert preschool.title == "推动学前教育普及普惠"
    assert preschool.done == ["新增学位10500个。"]
    assert summary.sections[0].tasks[0].done == ["学习。", "培训。"]
    by_indicator = {t.indicator: t for t in preschool.targets}
    assert by_indicator["新增公办幼儿园学位"].judgement == "missed"
    assert by_indicator["公办幼儿园在园幼儿占比"].judgement == "met"
    assert by_indicator["普惠性幼儿园在园幼儿占比"].judgement == "no_data"
    assert sum(len(s.tasks) for s in summary.sections) == sum(len(i.children) or 1 for i in plan.items)


def test_a_given_judgement_wins_over_the_computed_one(plan):
    summary = build_summary_from_plan(plan, values={"新增公办幼儿园学位": {"value": 10500, "judgement": "on_track"}})
    (result,) = [t for t in summary.targets() if t.indicator == "新增公办幼儿园学位"]
    assert result.judgement == "on_track"


def test_problems_list_stated_then_missed_and_at_risk_targets():
    summary = SummaryInput(title="T", problems=["经费不足。"], sections=[SectionSummary("S", [TaskSummary("t", targets=[
        TargetResult("大班额比例", "<=", 1, "%", achieved=1.3, judgement="missed"),
        TargetResult("学位", ">=", 100, "个", achieved=100, judgement="met"),
        TargetResult("名师", "=", 100, "名", achieved=60, judgement="at_risk"),
        TargetResult("覆盖率", ">=", 100, "%"),
        TargetResult("合格率", ">=", 100, "%"),
    ])])])
    lines = problems_of(summary)
    assert lines[0] == "经费不足。"
    assert lines[1].startswith("大班额比例未达成目标：目标大班额比例不高于1%，完成1.3%")
    assert lines[2].startswith("名师完成进度滞后")
    assert lines[3] == "2项指标缺少完成数据，无法评价：覆盖率、合格率。"
    assert len(lines) == 4


def test_docx_layout_is_in_the_file(plan, tmp_path):
    path = write_summary(build_summary_from_plan(plan), tmp_path / "s.docx")
    document = open_docx(path)
    section = document.sections[0]
    measured = [section.page_width, section.page_height, section.top_margin, section.bottom_margin,
                section.left_margin, section.right_margin]
    assert [round(length.mm, 1) for length in measured] == [210, 297, 37, 35, 28, 26]  # twips round
    assert document.settings.odd_and_even_pages_header_footer
    assert "PAGE" in section.footer._element.xml and "PAGE" in section.even_page_footer._element.xml
    expected = {"Normal": ("仿宋_GB2312", 16), "Title": ("方正小标宋简体", 22),
                "Heading 1": ("黑体", 16), "Heading 2": ("楷体_GB2312", 16)}
    for style_name, (east_asia, size) in expected.items():
        style = document.styles[style_name]
        fonts = style.element.rPr.find(qn("w:rFonts"))
        assert fonts.get(qn("w:eastAsia")) == east_asia
        assert style.font.size == Pt(size)
    title_indent = document.styles["Title"].element.pPr.find(qn("w:ind"))
    assert title_indent.get(qn("w:firstLineChars")) == "0"  # centred, not pushed two characters right
    normal = document.styles["Normal"].paragraph_format
    assert normal.line_spacing == Pt(28.9) and normal.first_line_indent == Pt(32)
    levels = [p.style.name for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert levels.count("Heading 1") == len(plan.items) + 2  # sections, 存在问题 and 下一步工作打算
    assert levels.count("Heading 2") == sum(len(i.children) or 1 for i in plan.items)
    assert document.tables[0].rows[0].cells[0].text == "目标"


def test_font_table_names_the_fallbacks(plan, tmp_path):
    path = write_summary(build_summary_from_plan(plan), tmp_path / "s.docx")
    import zipfile

    font_table = zipfile.ZipFile(path).read("word/fontTable.xml").decode("utf-8")
    assert 'w:name="仿宋_GB2312"' in font_table
    assert "仿宋,FangSong,Noto Serif CJK SC" in font_table
    assert font_table.count('w:name="仿宋_GB2312"') == 1


def test_monthly_lists_every_task_and_marks_missing_reports(plan, tmp_path):
    report = build_monthly_from_plan(plan, "2024年3月", {"2.1": {"lead_unit": "基础教育处", "status": "behind"}})
    assert report.title == "滨江市教育局2024年3月工作进展月报"
    statuses = {entry.task: entry.status for entry in report.entries}
    assert statuses["推动学前教育普及普惠"] == "behind"
    assert statuses["加强党的建设"] == "no_report"
    document = open_docx(write_monthly(report, tmp_path / "m.docx"))
    assert document.tables[0].rows[0].cells[3].text == "状态"
    assert any("未报送" in p.text for p in document.paragraphs)


def test_a_flat_plan_gets_one_untitled_section(tmp_path):
    from eduplan.reader.model import Document, Item, Target

    flat = Document(title="某市2024年工作要点", year=2024, kind="plan", items=[
        Item("1.", 1, "任务甲", "", targets=[Target("q", "学位", ">=", 10, "个")]), Item("2.", 2, "任务乙", "")])
    summary = build_summary_from_plan(flat, progress={"2": "乙完成。"})
    assert len(summary.sections) == 1 and summary.sections[0].title == ""
    assert summary.sections[0].tasks[1].done == ["乙完成。"]
    document = open_docx(write_summary(summary, tmp_path / "flat.docx"))
    assert [p.text for p in document.paragraphs if p.style.name == "Heading 1"] == ["一、存在问题", "二、下一步工作打算"]


def test_style_ids_written_directly_are_the_templates_own(plan, tmp_path):
    from eduplan.reports.layout import STYLE_IDS, official_document

    document = official_document()
    for name, style_id in STYLE_IDS.items():
        assert document.styles[name].style_id == style_id


@pytest.mark.parametrize(("value", "text"), [
    (12000, "12000"), (51.11, "51.11"), (52.0, "52"), (502000, "50.2万"), (350000000, "3.5亿"), (-1500, "-1500"),
])
def test_figures_are_written_as_bureau_documents_write_them(value, text):
    from eduplan.reports.summary import number_text

    assert number_text(value) == text


def test_a_gap_between_percentages_is_in_percentage_points():
    rate = TargetResult(indicator="公办幼儿园在园幼儿占比", comparator=">=", value=52, unit="%", achieved=51.76)
    schools = TargetResult(indicator="新建幼儿园", comparator="=", value=12, unit="所", achieved=13)
    assert gap_phrase(rate) == "-0.24个百分点"  # 51.76 − 52
    assert gap_phrase(schools) == "+1所"

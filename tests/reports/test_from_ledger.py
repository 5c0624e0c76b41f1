"""The summary and the monthly report drawn from a small ledger (conftest `ledger`), every figure
worked out by hand from the fixture's reports and targets."""

from __future__ import annotations

import datetime as dt

import pytest
from docx import Document as open_docx

from eduplan.reports import write_monthly, write_summary
from eduplan.reports.from_ledger import monthly_from_ledger, summary_as_of, summary_from_ledger
from eduplan.reports.summary import problems_of

YEAR_END = dt.date(2025, 1, 1)


def _results(summary) -> dict[str, tuple[float | None, str]]:
    return {result.indicator: (result.achieved, result.judgement) for result in summary.targets()}


def test_year_end_from_reports(ledger, no_statistics):
    summary = summary_from_ledger(ledger["plan"], as_of=YEAR_END)
    assert summary.title == "滨江市教育局2024年工作总结"
    assert [s.title for s in summary.sections] == ["扩大优质教育资源", "建设教师队伍"]
    assert [[t.title for t in s.tasks] for s in summary.sections] == [["增加普惠学位", "推进优质均衡"], ["加强师德建设"]]
    first, second = summary.sections[0].tasks
    # the year's achievements, month by month, from every 2024 report (not December 2023's, not only the
    # last); 江东区's November words are the lead's, said once; its own October words headed by its name
    assert first.done == ["3月：已开工8所", "10月：江东区：江东区新建3所", "11月：新建幼儿园13所，新增学位3000个"]
    assert second.done == ["9月：公办园占比提高到50%"]
    # 下一步 from the open items' latest reports, and the 落款
    assert "增加普惠学位：继续推进" in summary.next_steps and not any("推进优质均衡" in s for s in summary.next_steps)
    assert summary.issuer == "滨江市教育局" and summary.issued.endswith("日")
    assert _results(summary) == {
        "新建改扩建公办幼儿园": (13, "met"),  # 13 built meets 新建12所: a count is a floor
        "新增学位": (3000, "missed"),  # short by 600 and the year is over
        "公办园在园幼儿占比": (50, "missed"),
        "培训教师": (4200, "missed"),  # due 30 June
    }
    # the closed task's 师资不足 no longer counts
    assert summary.problems == ["增加普惠学位：部分项目用地未落实"]
    lines = problems_of(summary)
    assert lines[0] == "增加普惠学位：部分项目用地未落实"
    assert lines[1] == "新增学位未达成目标：目标新增学位3600个，完成3000个，差距-600个。"
    assert len(lines) == 4 and "培训教师" in lines[3]


def test_indicator_value_wins_over_the_reported_one(ledger, city_statistics):
    summary = summary_from_ledger(ledger["plan"], as_of=YEAR_END)
    results = _results(summary)
    assert results["公办园在园幼儿占比"] == (57, "met")  # the city's 2024 figure, not the district's 50
    # linked to 公办幼儿园数, which has no figures here: the reported value stands
    assert results["新建改扩建公办幼儿园"] == (13, "met")


def test_mid_year(ledger, no_statistics):
    summary = summary_from_ledger(ledger["plan"], as_of=dt.date(2024, 6, 15))
    assert summary.sections[0].tasks[0].done == ["3月：已开工8所"]
    assert _results(summary) == {
        "新建改扩建公办幼儿园": (8, "at_risk"),
        "新增学位": (None, "no_data"),
        "公办园在园幼儿占比": (None, "no_data"),  # reported only in September
        "培训教师": (4200, "at_risk"),  # short, but 30 June has not come
    }
    assert summary.problems == []
    assert problems_of(summary)[-1] == "2项指标缺少完成数据，无法评价：新增学位、公办园在园幼儿占比。"


def test_as_of(ledger):
    plan = ledger["plan"]
    assert summary_as_of(plan, dt.date(2024, 12, 20)) == dt.date(2024, 12, 20)
    assert summary_as_of(plan, dt.date(2026, 3, 1)) == YEAR_END


def test_queries_do_not_grow_with_tasks(ledger, no_statistics, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        summary_from_ledger(ledger["plan"], as_of=YEAR_END)


def test_summary_docx_text(ledger, no_statistics, tmp_path):
    path = write_summary(summary_from_ledger(ledger["plan"], as_of=YEAR_END), tmp_path / "summary.docx")
    document = open_docx(str(path))
    paragraphs = [p.text for p in document.paragraphs]
    assert paragraphs[0] == "滨江市教育局2024年工作总结"
    assert "一、扩大优质教育资源" in paragraphs and "二、建设教师队伍" in paragraphs
    assert "（一）增加普惠学位" in paragraphs and "三、存在问题" in paragraphs
    assert "1．增加普惠学位：部分项目用地未落实" in paragraphs
    first_table = [[cell.text for cell in row.cells] for row in document.tables[0].rows]
    assert first_table == [["目标", "完成值", "差距", "评价"],
                           ["新建改扩建公办幼儿园12所", "13所", "+1所", "已达成"],
                           ["新增学位3600个", "3000个", "-600个", "未达成"]]


def test_monthly_from_the_ledger(ledger):
    report = monthly_from_ledger(ledger["plan"], 2024, 11, today=dt.date(2024, 12, 15))
    assert report.title == "滨江市教育局2024年11月工作进展月报"
    first, second, third = report.entries
    assert first.lead_unit == "基础教育处" and first.status == "on_schedule" and not first.overdue
    assert first.progress == "基础教育处：新建幼儿园13所，新增学位3000个；江东区：新建幼儿园13所，新增学位3000个"
    assert first.problems == "部分项目用地未落实" and first.missing_units == []
    assert (second.status, second.missing_units) == ("done", [])
    assert (third.status, third.overdue, third.missing_units) == ("no_report", True, ["教师工作处"])


def test_monthly_docx_names_the_overdue_and_the_silent(ledger, tmp_path):
    report = monthly_from_ledger(ledger["plan"], 2024, 11, today=dt.date(2024, 12, 15))
    text = [p.text for p in open_docx(str(write_monthly(report, tmp_path / "m.docx"))).paragraphs]
    assert "本月共跟踪重点任务3项，其中已办结1项，按序时推进1项，未报送1项。逾期未完成1项，牵头单位未报送1项。" in text
    assert "完成时限：2024-06-30（已逾期）" in text and "未报送单位：教师工作处" in text


@pytest.mark.parametrize(("month", "status"), [(5, "on_schedule"), (7, "no_report")])
def test_monthly_before_and_after_the_due_date(ledger, month, status):
    third = monthly_from_ledger(ledger["plan"], 2024, month, today=dt.date(2024, 12, 15)).entries[2]
    assert third.status == status
    assert third.overdue is (month == 7)


def test_nested_headings_give_one_first_level_heading(ledger, no_statistics):
    first, second, _ = ledger["tasks"]
    first.section, second.section = "扩大优质教育资源 / 学前教育", "扩大优质教育资源 / 义务教育"
    first.save()
    second.save()
    summary = summary_from_ledger(ledger["plan"], as_of=YEAR_END)
    assert [(s.title, len(s.tasks)) for s in summary.sections] == [("扩大优质教育资源", 2), ("建设教师队伍", 1)]

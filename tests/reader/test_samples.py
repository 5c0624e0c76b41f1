"""The demo city's own documents, read end to end, against answers worked out by hand.

The sample plan was written to hold every kind of target the contract names (>=, <=, =,
~, between, +; 万/亿 multiplied out; 1:N ratios; Chinese numerals; two targets in one
sentence), deadlines of every phrase and documents to issue, under a tree whose
sub-section level exists in only one section and whose task numbers run on.
"""

from __future__ import annotations

import pytest

from eduplan.reader import read
from eduplan.samples import sample_path

# (path, title) in document order.
PLAN_ITEMS = [
    ("1", "坚持党建引领，落实立德树人根本任务"),
    ("1/1", "加强党的建设"),
    ("1/1/1", "深化理论武装"),
    ("1/1/2", "推进清廉学校建设"),
    ("1/2", "提高育人质量"),
    ("1/2/3", "加强思政课建设"),
    ("1/2/4", "强化体育美育劳动教育"),
    ("1/2/5", "加强学生心理健康工作"),
    ("2", "扩大优质资源供给，推进各级各类教育协调发展"),
    ("2/6", "推动学前教育普及普惠"),
    ("2/7", "推进义务教育优质均衡"),
    ("2/8", "推动普通高中特色多样发展"),
    ("2/9", "办好特殊教育"),
    ("2/10", "提升职业教育适应性"),
    ("3", "深化教育改革，增强发展动力"),
    ("3/11", "深化教育评价改革"),
    ("3/12", "推进“双减”落地见效"),
    ("3/13", "加快教育数字化转型"),
    ("4", "建设高素质专业化教师队伍"),
    ("4/14", "加强师德师风建设"),
    ("4/15", "推进教师交流轮岗"),
    ("4/16", "提升教师专业素养"),
    ("5", "强化保障，营造良好发展环境"),
    ("5/17", "加大教育投入"),
    ("5/18", "维护校园安全稳定"),
    ("5/19", "加强教育督导"),
    ("6", "重点任务分解"),
    ("6/20", "完善督导问责机制"),
    ("6/21", "推进校园食品安全规范管理"),
]

# (path, comparator, value, value_max, unit): the targets every reader must find.
PLAN_TARGETS = [
    ("1/1/1", "=", 2, None, "期"),
    ("1/1/2", "=", 20, None, "所"),
    ("1/2/3", "=", 10, None, "个"),
    ("1/2/3", "between", 3, 5, "次"),
    ("1/2/4", "+", 1, None, "百分点"),
    ("1/2/4", ">=", 55, None, "%"),
    ("1/2/4", "=", 15, None, "所"),
    ("2/6", "~", 12000, None, "个"),
    ("2/6", ">=", 52, None, "%"),
    ("2/6", ">=", 85, None, "%"),
    ("2/6", ">=", 98, None, "%"),
    ("2/7", "=", 24, None, "所"),
    ("2/7", ">=", 28000, None, "个"),
    ("2/7", "<=", 1, None, "%"),
    ("2/7", ">=", 99, None, "%"),
    ("2/7", ">=", 85, None, "%"),
    ("2/8", "=", 3000, None, "个"),
    ("2/8", "between", 2, 3, "所"),
    ("2/8", "<=", 13, None, "1:N"),
    ("2/9", ">=", 97, None, "%"),
    ("2/10", "=", 8, None, "个"),
    ("2/10", ">=", 95, None, "%"),
    ("3/12", ">=", 95, None, "%"),
    ("3/13", "=", 50, None, "所"),
    ("3/13", ">=", 100, None, "%"),
    ("4/15", ">=", 10, None, "%"),
    ("4/15", ">=", 20, None, "%"),
    ("4/16", "=", 100, None, "名"),
    ("4/16", "=", 30, None, "名"),
    ("4/16", ">=", 360, None, "学时"),
    ("5/17", "+", 10, None, "%"),
    ("5/17", "~", 350000000, None, "元"),
    ("5/18", ">=", 100, None, "%"),
    ("5/19", "=", 200, None, "所"),
]

# Figures a reader may report or not (scope counts and "keep at 100%"): neither missed nor extra.
PLAN_OPTIONAL = {("1/2/4", 1, "小时"), ("1/2/5", 1, "名"), ("3/11", 11, "个"), ("3/12", 100, "%"),
                 ("3/13", 1000, "兆"), ("5/19", 11, "个")}

PLAN_DEADLINES = {("1/1/2", "2024-12-31"), ("1/2/5", "2024-09-30"), ("2/7", "2025-12-31"),
                  ("2/9", "2024-06-30"), ("4/14", "2024-09-30"), ("4/16", "2024-12-31"), ("5/18", "2024-11-30"),
                  ("6/20", "2024-10-31"), ("6/21", "2024-12-20")}

# (path, lead units, support units): inline （牵头单位：…；配合单位：…） and the task table's columns.
PLAN_UNITS = [
    ("1/2/5", ["德育与体卫艺处"], ["基础教育处"]),
    ("4/14", ["教师工作处"], []),
    ("5/18", ["安全稳定处"], ["基建与装备处", "基础教育处"]),
    ("6/20", ["教育督导室"], ["政策法规处", "办公室"]),
    ("6/21", ["安全稳定处"], ["财务处"]),
]

PLAN_DELIVERABLES = {
    ("1/1/2", "滨江市清廉学校建设评价标准"),
    ("2/9", "滨江市特殊教育第三期提升计划"),
    ("3/11", "滨江市中小学校办学质量评价实施办法"),
    ("3/11", "滨江市教师评价改革工作方案"),
    ("4/14", "滨江市中小学教师师德考核办法"),
}


def _paths(items, prefix=""):
    for item in items:
        path = f"{prefix}/{item.number}" if prefix else str(item.number)
        yield path, item
        yield from _paths(item.children, path)


@pytest.fixture(scope="module")
def plan_document():
    plan = read(sample_path("plan"))
    assert len(plan.documents) == 1
    return plan.documents[0]


def test_plan_metadata(plan_document):
    assert plan_document.title == "滨江市教育局2024年工作要点"
    assert plan_document.year == 2024
    assert plan_document.kind == "plan"
    assert plan_document.issuer == "滨江市教育局"
    assert plan_document.preamble.startswith("2024年是实施")


def test_plan_tree(plan_document):
    assert [(path, item.title) for path, item in _paths(plan_document.items)] == PLAN_ITEMS


def test_plan_targets(plan_document):
    found = [(path, t.comparator, t.value, t.value_max, t.unit)
             for path, item in _paths(plan_document.items) for t in item.targets]
    required = [(p, c, v, m, u) for p, c, v, m, u in PLAN_TARGETS]
    extra = [f for f in found if f not in required and (f[0], f[2], f[4]) not in PLAN_OPTIONAL]
    missed = [r for r in required if r not in found]
    assert (missed, extra) == ([], [])
    # Past counts in a plan's preamble are not commitments.
    assert plan_document.targets == []


def test_plan_deadlines(plan_document):
    found = {(path, d.date) for path, item in _paths(plan_document.items) for d in item.deadlines}
    assert found == PLAN_DEADLINES


def test_a_target_takes_the_deadline_of_its_own_sentence(plan_document):
    items = dict(_paths(plan_document.items))
    model_school = next(t for t in items["1/1/2"].targets if t.unit == "所")
    assert model_school.deadline == "2024-12-31"


def test_plan_units_of_responsibility(plan_document):
    found = [(path, item.lead_units, item.support_units) for path, item in _paths(plan_document.items)
             if item.lead_units or item.support_units]
    assert found == PLAN_UNITS


def test_plan_deliverables(plan_document):
    found = {(path, d.name) for path, item in _paths(plan_document.items) for d in item.deliverables}
    assert found == PLAN_DELIVERABLES


def test_summary_reads_actuals_and_problems():
    plan = read(sample_path("summary"))
    (summary,) = plan.documents
    assert (summary.kind, summary.year) == ("summary", 2023)
    opening = {(a.value, a.unit) for a in summary.actuals}
    assert {(31000, "个"), (51.2, "%"), (87.4, "%"), (99.1, "%")} <= opening
    assert summary.targets == []
    assert len(summary.problems) == 3
    assert summary.problems[1].startswith("教师交流轮岗比例未达到10%的目标")
    items = dict(_paths(summary.items))
    assert {(a.value, a.unit) for a in items["2/2"].actuals} >= {(1.3, "%"), (83.5, "%")}

"""Documents to issue: verb + 《name》, 《name》 + verb, and names without 《》."""

from __future__ import annotations

import pytest

from eduplan.reader.deliverables import find_deliverables


def names(text: str) -> list[str]:
    return [d.name for d in find_deliverables(text)]


def test_verb_and_title():
    found = find_deliverables("出台《某市校园安全条例》，加强管理。")
    assert [(d.verb, d.name, d.quote) for d in found] == [("出台", "某市校园安全条例", "出台《某市校园安全条例》")]


@pytest.mark.parametrize(("text", "verb"), [
    ("研究制定《校外培训机构分类管理指南》", "研究制定"),
    ("制定印发《绩效考核分配指导意见》", "制定印发"),
    ("制订出台《教育现代化发展水平实施方案(2021-2025年)》", "制订出台"),
    ("修订教育系统《行政处罚自由裁量权标准》", "修订"),
    ("制定我市《普通高中多样化发展实施意见》", "制定"),
    ("编印《学校安全工作分类指引》", "编印"),
])
def test_issuing_verbs(text, verb):
    found = find_deliverables(text)
    assert len(found) == 1 and found[0].verb == verb


def test_several_titles_after_one_verb():
    assert names("制定《档案定期归档管理规定》《档案室管理规定》，完善管理。") == ["档案定期归档管理规定", "档案室管理规定"]
    assert names("制定印发《学习指导工作实施方案》和《线上教育注意事项》") == ["学习指导工作实施方案", "线上教育注意事项"]


def test_a_bare_name_joined_to_a_title():
    assert names("印发《春季学期分类开学实施方案》和各类学校开学准备工作参考，落实管理。") == [
        "春季学期分类开学实施方案", "各类学校开学准备工作参考"]


def test_a_title_may_hold_a_comma():
    assert names("出台《规范办学行为,促进健康发展的有关要求》,进一步规范管理。") == ["规范办学行为,促进健康发展的有关要求"]


def test_title_then_verb():
    assert names("启动《教育装备建设指南》修订") == ["教育装备建设指南"]


@pytest.mark.parametrize(("text", "expected"), [
    ("出台市中考阅卷组织实施方案，推进改革试点。", ["市中考阅卷组织实施方案"]),
    ("编制教育改革发展“十四五”规划。", ["教育改革发展“十四五”规划"]),
    ("修订民办中小学协会章程，完成换届。", ["民办中小学协会章程"]),
    ("发布创客教育蓝皮书(2020报告)。", ["创客教育蓝皮书(2020报告)"]),
    ("制定领导小组工作规程和教育工委工作规程，健全机制。", ["领导小组工作规程", "教育工委工作规程"]),
])
def test_bare_names_ending_their_clause(text, expected):
    assert names(text) == expected


@pytest.mark.parametrize("text", [
    "深入实施《加强基层组织建设三年行动计划(2018-2020年)》",
    "贯彻落实《关于深化考试招生制度改革的实施意见》",
    "学习《关于新形势下党内政治生活的若干准则》",
    "执行《学生体质健康标准》",
    "落实新修订《民办教育促进法》",
    "认真落实上级出台的《减负措施》",
    "制定方案并组织实施，推动工作落地",          # 方案 does not end the clause's name
    "建立健全后勤管理工作制度",                  # 建立 is no issuing verb
    "修订",
    "",
])
def test_not_deliverables(text):
    assert names(text) == []


@pytest.mark.parametrize(("text", "name"), [
    ("高质量完成全市教育“十五五”规划编制。", "全市教育“十五五”规划"),
    ("推进《滨海市学前教育条例》立法。", "滨海市学前教育条例"),
    ("组织编撰《滨海教育发展报告》，推进研究。", "滨海教育发展报告"),
    ("研究出台全面加强新时代学校美育工作文件，", "全面加强新时代学校美育工作文件"),
])
def test_documents_named_before_their_verb_or_ending_in_a_document_word(text, name):
    assert [d.name for d in find_deliverables(text)] == [name]


def test_a_revision_of_something_too_short_to_name_is_no_deliverable():
    assert find_deliverables("完成区学会换届和章程修订。") == []


def test_a_summary_lists_no_deliverables():
    from eduplan.reader import read

    (summary,) = read("滨海市教育局2030年工作总结\n一、制度建设\n出台《滨海市学前教育条例》，印发《滨海市课后服务办法》。"
                      .encode(), name="summary.txt").documents
    assert summary.kind == "summary" and summary.items[0].deliverables == []

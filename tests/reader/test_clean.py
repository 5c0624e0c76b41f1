"""clean(): junk of every kind removed, the plan's own lines kept, script and forms normalised.
Every snippet is made up for the test in the shape real pages have."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from eduplan.reader.clean import clean

BODY = [
    "2024年某市教育工作要点",
    "2024年全市教育工作的总体要求是:坚持立德树人,办好人民满意的教育。",
    "一、加强党的建设",
    "1.深化理论学习。开展专题培训12期,资金来源:市财政专项。",
    "2.推进资源共享。建设数字资源平台,提供课件下载服务。",
    "某市教育局",
    "2024年2月18日",
]


def lines(text: str) -> list[str]:
    return clean(text).lines


def test_plain_plan_is_kept_line_for_line():
    assert lines("\n\n".join(BODY)) == BODY


@pytest.mark.parametrize("junk", [
    "当前位置:首页 > 政务公开 > 规划计划",
    "您现在的位置:首页>通知公告",
    "首页 > 教育动态 > 正文",
    "时间:2023-07-22 09:53:26 来源:某某考试网 本文已影响 某某考试网手机站",
    "市教育局 发表时间:2017-03-29 17:51",
    "发布日期:2024-01-05 浏览次数:1234",
    "时间:2024年01月05日 09:30",
    "来源:某市教育局 作者:办公室 点击数:56",
    "- 上一篇:医疗保障领域专项工作规划",
    "下一篇:乡镇工作汇报材料",
    "下载 相关 举报",
    "展开阅读全文",
    "亲,该文档总共10页,到这儿已超出免费预览范围,如果喜欢就下载吧!",
    "第3页 / 共10页",
    "某市工作要点.docx_第2页",
    "上传人:ab****cd 文档编号:365555 上传时间:2023-10-01 格式:DOCX 页数:10",
    "《某市工作要点.docx》由会员分享,可在线阅读,更多相关《某市工作要点.docx(10页珍藏版)》请在某文库网上搜索。",
    "copyright@ 2008-2022 example.com网站版权所有",
    "经营许可证编号:宁ICP备2022001085号",
    "Copyright © 2024 某市教育局 All Rights Reserved",
    "相关热词搜索: 工作总结 工作要点 教育",
    "推荐访问",
    "猜你喜欢",
    "导语:某某意见一文来源于网友上传,不代表本站观点,若需要原创文章可咨询客服老师,欢迎参考。",
    "本站为文档C2C交易模式,即用户上传的文档直接被用户下载,本站只是中间服务平台。",
    "[政府OA]     无障碍版 | rss订阅",
    "首页 | 机构概况 | 政务公开 | 办事服务 | 互动交流",
    "想看手机在线黄色欧美一级大片-1级毛片免费视频看一下-av不卡免费啊不想在线观看",
    "【打印】【关闭】",
    "索引号:11440100/2024-00123 主题分类:教育",
    "2024-01-05 09:30:12",
    "分享到:微信 微博 QQ空间",
    "还剩8页未读,继续阅读",
    "本文链接:https://www.example.com/a/123.html",
])
def test_junk_line_is_removed(junk):
    assert lines("\n".join([BODY[0], junk, *BODY[1:]])) == BODY


def test_navigation_menu_run_is_removed_but_a_signature_block_is_kept():
    menu = ["  • 领导讲话", "  • 自我介绍", "  • 党会党课", "  • 工作总结", "  • 心得体会", "  • 动员大会"]
    text = "\n".join([*menu, *BODY, "• 考试时间", "• 范文大全", "• 课程"])
    assert lines(text) == BODY


def test_short_table_cells_between_sentences_survive():
    cells = ["序号", "重点任务", "责任单位", "完成时限", "学前教育", "义务教育"]
    text = "\n".join([*BODY[:4], *cells, *BODY[4:]])
    assert lines(text) == [*BODY[:4], *cells, *BODY[4:]]


def test_short_headings_without_punctuation_survive():
    text = "\n".join(["一、总体要求", "二、主要任务", "三、保障措施", "四、组织实施"])
    assert lines(text) == text.split("\n")


@pytest.mark.parametrize(("dirty", "kept"), [
    ("288563.com2017年工作计划", "2017年工作计划"),
    ("落实《288563.com关于推进校园武术特色发展实施方案》。", "落实《关于推进校园武术特色发展实施方案》。"),
    ("继续实施《中共288563.com党组关于落实主体责任的实施办法》。", "继续实施《中共党组关于落实主体责任的实施办法》。"),
    ("按照市委市政府开云(中国)教育工作部署,推进改革。", "按照市委市政府教育工作部署,推进改革。"),
    ("按照市委市政府开云（中国）教育工作部署,推进改革。", "按照市委市政府教育工作部署,推进改革。"),
    ("推进教育数字化[1],建设智慧校园[12]。", "推进教育数字化,建设智慧校园。"),
])
def test_spam_tokens_and_footnote_marks_are_cut_out(dirty, kept):
    assert lines(dirty) == [kept]


@pytest.mark.parametrize("line", [
    "家长可登录网址:www.example.gov.cn查询,或访问www.example.edu.cn。",
    "结果在市教育局网站(www.example.gov.cn)公布,报名表可在市教育局官网下载。",
])
def test_a_domain_named_as_an_address_is_kept(line):
    assert lines(line) == [line]


def test_sentences_mentioning_download_source_or_vice_are_kept():
    kept = ["3.严密防范校园贷、黄赌毒等不稳定因素。",
            "4.完善资源下载平台,明确经费来源,加强审核。",
            "(三)资金来源:市级财政专项资金。",
            "完成时间:2024年12月底前",
            "责任单位:市教育局基础教育处"]
    assert lines("\n".join(kept)) == kept


def test_html_tag_soup_and_entities_in_text_are_stripped():
    text = ('<rt id="cw"></rt><rt id="cw"><delect id="cw"><bdo id="cw"></bdo></delect></rt><noframes id="x">\n'
            "一、加强&nbsp;党建&amp;团建<br/>\n(一)推进工作&#12290;")
    assert lines(text) == ["一、加强党建&团建", "(一)推进工作。"]


def test_forms_spaces_and_garbage_are_normalised():
    text = "２０１７ 年全市完成３３个项目，占比１００％（含新建）\u3000新增\u00a0用地\ufffd41 万平方米\u200b。 Ｓｔｅａｍ 教育"
    assert lines(text) == ["2017年全市完成33个项目，占比100%(含新建)新增用地41万平方米。Steam教育"]


def test_traditional_script_is_converted_with_t2s_and_reported():
    result = clean("二、推進教育現代化\n（一）新增公辦學位5000個,擴大優質資源覆蓋面。")
    assert result.script == "traditional"
    assert result.lines == ["二、推进教育现代化", "(一)新增公办学位5000个,扩大优质资源覆盖面。"]


def test_simplified_text_keeps_its_words():
    result = clean("新增公办学位5000个,着力提升质量,加快发展。")
    assert (result.script, result.lines) == ("simplified", ["新增公办学位5000个,着力提升质量,加快发展。"])


def test_preview_page_numbers_are_removed_and_sentences_joined():
    fragments = [
        "1、某市2023年工作要点2023年是全面贯彻落实党的二十大精神的开局之年,全市教育系统要坚持以新时代思想为指导,深入贯彻",
        "2、落实教育大会精神,紧密结合主题教育,分层分类组织学习轮训,丰富学习形式,确保主题教育走深走实,推动全市师生学深悟",
        "3、透、知行合一。(三)从严治党抓细抓实。涵育校园廉洁文化,开展警示教育月活动,选树校园廉洁文化品牌,推进市级清廉学校",
        "4、标准化建设,聚力营造具有本地特色的清廉环境。三、高标准开展办学质量创优提质行动(七)推进学前教育补短提质。落实",
    ]
    joined = "".join(fragment[2:] for fragment in fragments)
    assert lines("\n\n".join(["资源描述", *fragments, "展开阅读全文"])) == [joined]


def test_a_real_list_with_cut_lines_keeps_its_markers():
    items = [
        "1、加强学校德育工作。深入开展社会主义核心价值观教育,坚持把德育贯穿于学校教育教学的各个环节,着力培育中小学生",
        "2、强化学校体育美育工作。组织做好全市运动会学校体育组比赛各项工作,开展全市中小学生8项体育竞赛,加快推进校园",
        "3、深化基础教育课程改革。推进国家课程校本化、校本课程精品化建设,构建适应个性化发展需要的课程体系,打造品牌",
    ]
    assert lines("\n".join(items)) == items


def test_a_real_list_of_full_sentences_keeps_its_markers():
    items = ["1、加强党的建设。", "2、推进改革创新,完善体制机制。", "3、强化教育保障。"]
    assert lines("\n".join(items)) == items


# ---- the fast paths give what the plain rules give -----------------------------------------------

def test_junk_rows_scope_case_insensitivity_to_their_latin_words():
    """A row-wide (?i) makes the engine try the row at every character (issue 12, Speed)."""
    from importlib import resources

    rows = resources.files("eduplan.reader").joinpath("data/junk.tsv").read_text(encoding="utf-8").splitlines()
    assert [row for row in rows if not row.startswith("#") and "\t(?i)" in row] == []


_SAMPLES = st.text(alphabet=st.sampled_from(list(" a1?？　\u00a0\t\r\u200b\ue000（１ｂ教育局。\n")), max_size=40)


@given(_SAMPLES)
def test_character_normalisation_is_the_character_map(text):
    from eduplan.reader.clean import _CHAR_MAP, _normalise_chars

    assert _normalise_chars(text) == text.translate(_CHAR_MAP)


@given(_SAMPLES)
def test_spaces_go_where_a_chinese_character_stands_beside_them(text):
    import re

    from eduplan.reader.clean import _SPACE_RUN_ANY, _space_in_chinese

    rule = re.compile(r"(?<=[^\x00-\x7f])[ ]+|(?<! )[ ]+(?=[^\x00-\x7f])")  # the rule as one regex
    assert _SPACE_RUN_ANY.sub(_space_in_chinese, text) == rule.sub("", text)

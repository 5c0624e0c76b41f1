"""decode(): the format judged by content, text encodings, Word's automatic numbering,
PDF paragraphs and HTML visible text. Every file is built here from made-up text."""

from __future__ import annotations

import io

import docx
import pytest
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls

from eduplan.reader import ReaderError
from eduplan.reader.decode import decode
from eduplan.reader.docx import chinese_counting, format_number

PLAN = "2024年教育工作要点\n一、加强党的建设\n（一）深化理论学习。推进学习型机关建设。\n1.开展专题培训12期。"
TRADITIONAL = "二、推進教育現代化\n（一）新增公辦學位5000個。"


# ---- text encodings -------------------------------------------------------------------------

@pytest.mark.parametrize(("data", "encoding"), [
    (PLAN.encode("utf-8"), "utf-8"),
    (b"\xef\xbb\xbf" + PLAN.encode("utf-8"), "utf-8"),
    (PLAN.encode("utf-16"), "utf-16"),
    (b"\xfe\xff" + PLAN.encode("utf-16-be"), "utf-16"),
    (PLAN.encode("gbk"), "gb18030"),
    (PLAN.encode("gb18030"), "gb18030"),
    (TRADITIONAL.encode("big5"), "big5"),
])
def test_text_encodings_are_detected(data, encoding):
    raw = decode(data, "plan.txt")
    assert (raw.format, raw.encoding) == ("txt", encoding)
    assert raw.text.lstrip("\ufeff") in (PLAN, TRADITIONAL)


def test_gbk_text_with_rare_characters_is_not_taken_for_big5():
    text = "惠州市教育局关于做好2024年秋季学期开学工作的通知，确保师生安全。" * 3
    assert decode(text.encode("gbk"), "x.txt").encoding == "gb18030"


def test_big5_is_not_taken_for_gbk():
    text = "臺灣地區學校教育發展計畫，推動資訊教育與國際交流。" * 3
    raw = decode(text.encode("big5"), "x.txt")
    assert (raw.encoding, raw.text) == ("big5", text)


def test_ascii_text_is_utf8():
    assert decode(b"Work plan 2024\n1. Build schools.", "a.txt").encoding == "utf-8"


def test_format_is_judged_by_content_not_name():
    assert decode(PLAN.encode("utf-8"), "plan.docx").format == "txt"
    assert decode(_html("<p>一、加强党建。</p>").encode("utf-8"), "plan.txt").format == "html"


# ---- html -----------------------------------------------------------------------------------

def _html(body: str, charset: str = "utf-8") -> str:
    return (f'<!DOCTYPE html><html><head><meta charset="{charset}"><title>Site</title>'
            f"<script>var a = 1;</script><style>p {{color: red}}</style></head><body>{body}</body></html>")


def test_html_keeps_visible_blocks_one_per_line():
    body = ("<nav><a>首页</a><a>新闻</a></nav><header>网站头部</header>"
            "<div class='main'><h1>2024年工作要点</h1><p>一、加强<b>党的</b>建设</p>"
            "<p>第一行<br>第二行</p><p style='display:none'>隐藏的一、</p><div hidden>也隐藏</div>"
            "<table><tr><td>单元格一</td><td>单元格二</td></tr></table></div>"
            "<aside>侧栏</aside><footer>版权所有</footer><form><button>搜索</button></form>")
    raw = decode(_html(body).encode("utf-8"), "page.html")
    assert raw.text.splitlines() == ["2024年工作要点", "一、加强党的建设", "第一行", "第二行", "单元格一", "单元格二"]


@pytest.mark.parametrize(("codec", "label", "expected"), [("gb2312", "gbk", "gb18030"), ("big5", "big5", "big5")])
def test_html_declared_charset(codec, label, expected):
    raw = decode(_html("<p>一、推進教育發展</p>" if codec == "big5" else "<p>一、推进教育发展</p>", label)
                 .encode(codec), "page.htm")
    assert raw.encoding == expected
    assert raw.text.startswith("一、推")


def test_html_with_a_wrong_charset_falls_back_to_detection():
    raw = decode(_html("<p>一、加强党建工作。</p>", "big5").encode("utf-8"), "page.html")
    assert raw.text == "一、加强党建工作。"


# ---- docx -----------------------------------------------------------------------------------

_LEVELS = (("chineseCounting", "%1、"), ("chineseCounting", "（%2）"), ("decimal", "%3."))


def _numbering_docx(paragraphs: list[tuple[int | None, str]], levels=_LEVELS, start_override=None,
                    table: list[list[str]] | None = None) -> bytes:
    """A .docx whose list labels exist only in numbering.xml, the way Word saves them."""
    document = docx.Document()
    numbering = document.part.numbering_part.element
    lvls = "".join(
        f'<w:lvl w:ilvl="{index}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
        f'<w:lvlText w:val="{text}"/></w:lvl>' for index, (fmt, text) in enumerate(levels))
    numbering.insert(0, parse_xml(f'<w:abstractNum {nsdecls("w")} w:abstractNumId="90">{lvls}</w:abstractNum>'))
    override = (f'<w:lvlOverride w:ilvl="0"><w:startOverride w:val="{start_override}"/></w:lvlOverride>'
                if start_override else "")
    numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="7"><w:abstractNumId w:val="90"/>{override}</w:num>'))
    for level, text in paragraphs:
        paragraph = document.add_paragraph(text)
        if level is not None:
            num_pr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
            num_pr.get_or_add_ilvl().val = level
            num_pr.get_or_add_numId().val = 7
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for row, cells in zip(grid.rows, table, strict=True):
            for cell, text in zip(row.cells, cells, strict=True):
                cell.text = text
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_docx_automatic_numbering_is_written_out_and_counters_reset_per_level():
    data = _numbering_docx([
        (None, "2024年教育工作要点"),
        (0, "加强党的建设"), (1, "深化理论学习"), (2, "开展专题培训。"), (2, "建设学习型机关。"),
        (1, "从严治党"), (2, "落实主体责任。"),
        (0, "推进教育现代化"), (1, "扩大学位供给"), (2, "新增学位5000个。"),
    ])
    raw = decode(data, "plan.docx")
    assert (raw.format, raw.encoding) == ("docx", "binary")
    assert raw.text.splitlines() == [
        "2024年教育工作要点",
        "一、加强党的建设", "（一）深化理论学习", "1.开展专题培训。", "2.建设学习型机关。",
        "（二）从严治党", "1.落实主体责任。",
        "二、推进教育现代化", "（一）扩大学位供给", "1.新增学位5000个。",
    ]


def test_docx_start_override_and_multi_level_text():
    levels = (("decimal", "%1."), ("decimal", "%1.%2"))
    data = _numbering_docx([(0, "甲"), (1, "乙"), (1, "丙"), (0, "丁")], levels=levels, start_override=3)
    assert decode(data, "p.docx").text.splitlines() == ["3.甲", "3.1乙", "3.2丙", "4.丁"]


def test_docx_tables_are_read_cell_by_cell_in_body_order():
    data = _numbering_docx([(None, "前言。")], table=[["指标", "目标值"], ["学位", "5000个"]])
    assert decode(data, "t.docx").text.splitlines() == ["前言。", "指标", "目标值", "学位", "5000个"]


@pytest.mark.parametrize(("value", "fmt", "expected"), [
    (1, "chineseCounting", "一"), (10, "chineseCounting", "十"), (12, "chineseCounting", "十二"),
    (20, "chineseCountingThousand", "二十"), (105, "chineseCountingThousand", "一百零五"),
    (110, "chineseCountingThousand", "一百一十"), (3, "ideographTraditional", "丙"),
    (2, "decimalEnclosedCircleChinese", "②"), (2, "decimalEnclosedCircle", "②"),
    (2024, "ideographDigital", "二〇二四"), (28, "lowerLetter", "bb"), (3, "upperLetter", "C"),
    (14, "lowerRoman", "xiv"), (9, "upperRoman", "IX"), (7, "decimal", "7"), (5, "decimalZero", "05"),
])
def test_number_formats(value, fmt, expected):
    assert format_number(value, fmt) == expected


def test_chinese_counting_has_no_leading_one_for_teens():
    assert [chinese_counting(n) for n in (11, 19, 21, 99, 1001)] == ["十一", "十九", "二十一", "九十九", "一千零一"]


def test_docx_style_numbering_counts(tmp_path):
    document = docx.Document()
    numbering = document.part.numbering_part.element
    numbering.insert(0, parse_xml(
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="91"><w:lvl w:ilvl="0"><w:start w:val="1"/>'
        f'<w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl></w:abstractNum>'))
    numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="8"><w:abstractNumId w:val="91"/></w:num>'))
    style = document.styles.add_style("PlanSection", 1)  # WD_STYLE_TYPE.PARAGRAPH
    style_ppr = style.element.get_or_add_pPr()
    style_ppr.append(parse_xml(f'<w:numPr {nsdecls("w")}><w:numId w:val="8"/></w:numPr>'))
    for title in ("加强党建", "推进改革"):
        document.add_paragraph(title, style="PlanSection")
    buffer = io.BytesIO()
    document.save(buffer)
    assert decode(buffer.getvalue(), "s.docx").text.splitlines() == ["一、加强党建", "二、推进改革"]


def test_zip_without_word_document_is_refused():
    buffer = io.BytesIO()
    import zipfile

    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("photos/a.txt", "hello")
    with pytest.raises(ReaderError, match="not a Word document"):
        decode(buffer.getvalue(), "x.zip")


# ---- pdf ------------------------------------------------------------------------------------

def _pdf(pages: list[list[str]], footer: bool = True, header: str | None = None) -> bytes:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=(400, 600))
    for number, lines in enumerate(pages, start=1):
        page.setFont("STSong-Light", 12)
        if header:
            page.drawString(40, 570, header)
        y = 540
        for line in lines:
            indent = 24 if line.startswith("  ") else 0
            page.drawString(40 + indent, y, line.strip())
            y -= 18
        if footer:
            page.drawString(190, 30, f"- {number} -")
        page.showPage()
    page.save()
    return buffer.getvalue()


def test_pdf_lines_are_joined_into_paragraphs_and_page_furniture_dropped():
    # 26 characters of 12 pt fill the 312 pt text width: the wrapped lines run to the margin.
    pages = [
        ["2024年教育工作要点", "一、加强党的建设", "  1.深化理论学习，推进学习型机关", "建设，开展专题培训十二期。",
         "  2.落实全面从严治党主体责任，加强"],
        ["监督检查。", "二、推进教育现代化"],
        ["  3.新增公办学位五千个。"],
    ]
    raw = decode(_pdf(pages, header="某市教育局文件"), "plan.pdf")
    assert raw.format == "pdf"
    assert raw.text.splitlines() == [
        "2024年教育工作要点", "一、加强党的建设", "1.深化理论学习，推进学习型机关建设，开展专题培训十二期。",
        "2.落实全面从严治党主体责任，加强监督检查。", "二、推进教育现代化", "3.新增公办学位五千个。",
    ]


def test_pdf_items_that_differ_only_in_numbers_are_not_taken_for_running_headers():
    pages = [[f"{page * 5 + row + 1}.完成第{page * 5 + row + 1}项任务。" for row in range(5)] for page in range(4)]
    raw = decode(_pdf(pages, header="某市教育局"), "list.pdf")
    assert raw.text.splitlines() == [f"{n}.完成第{n}项任务。" for n in range(1, 21)]


def test_pdf_without_indents_ends_paragraphs_at_full_stops():
    pages = [["一、加强党的建设，推进全面从严治党向纵深发展。", "1.深化理论学习，推进学习型机关建设，开展专题", "培训十二期。"]]
    assert decode(_pdf(pages), "p.pdf").text.splitlines() == [
        "一、加强党的建设，推进全面从严治党向纵深发展。", "1.深化理论学习，推进学习型机关建设，开展专题培训十二期。"]


@pytest.mark.parametrize("codec", ["utf-8", "gbk"])
def test_text_cut_inside_a_character_is_still_read(codec):
    data = ("一、加强党建工作。推进教育现代化,新增学位五千个。\n" * 20).encode(codec)
    raw = decode(data[:-2], "cut.txt")
    assert raw.encoding == ("utf-8" if codec == "utf-8" else "gb18030")
    assert raw.text.startswith("一、加强党建工作。")


def test_html_furniture_containers_go_but_an_articles_own_header_stays():
    body = ("<header><div>网站名称</div></header><div class='top-nav'>首页 新闻</div>"
            "<div id='breadcrumb'>首页 &gt; 正文</div><main><article><header><h1>2024年工作要点</h1></header>"
            "<p>一、加强党建。</p></article></main><div class='site-footer'>联系我们</div>")
    assert decode(_html(body).encode("utf-8"), "a.html").text.splitlines() == ["2024年工作要点", "一、加强党建。"]


def test_html_labelled_latin1_but_holding_gbk_is_detected():
    raw = decode(_html("<p>一、加强党建工作,推进教育改革。</p>", "iso-8859-1").encode("gbk"), "a.html")
    assert (raw.encoding, raw.text) == ("gb18030", "一、加强党建工作,推进教育改革。")


def test_docx_list_built_on_a_list_style_takes_the_styles_levels():
    document = docx.Document()
    numbering = document.part.numbering_part.element
    numbering.insert(0, parse_xml(
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="92"><w:styleLink w:val="PlanList"/>'
        f'<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/>'
        f'<w:lvlText w:val="%1、"/></w:lvl></w:abstractNum>'))
    numbering.insert(1, parse_xml(
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="93"><w:numStyleLink w:val="PlanList"/></w:abstractNum>'))
    numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="20"><w:abstractNumId w:val="92"/></w:num>'))
    numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="21"><w:abstractNumId w:val="93"/></w:num>'))
    style = document.styles.add_style("PlanList", 1)
    style.element.get_or_add_pPr().append(parse_xml(f'<w:numPr {nsdecls("w")}><w:numId w:val="20"/></w:numPr>'))
    for title in ("加强党建", "推进改革"):
        num_pr = document.add_paragraph(title)._p.get_or_add_pPr().get_or_add_numPr()
        num_pr.get_or_add_ilvl().val = 0
        num_pr.get_or_add_numId().val = 21
    buffer = io.BytesIO()
    document.save(buffer)
    assert decode(buffer.getvalue(), "l.docx").text.splitlines() == ["一、加强党建", "二、推进改革"]


def test_pdf_with_some_scanned_pages_warns():
    pages = [["一、加强党的建设。"], [], ["二、推进教育现代化。"]]
    raw = decode(_pdf(pages, footer=False), "mixed.pdf")
    assert raw.text.splitlines() == ["一、加强党的建设。", "二、推进教育现代化。"]
    assert raw.warnings == ["mixed.pdf: 1 of 3 pages have no text layer (scanned?); their text is missing — run OCR on them"]

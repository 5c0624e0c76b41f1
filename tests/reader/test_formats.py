"""The same plan saved as .txt, .html, .docx, .pdf, GBK and Big5 reads to the same tree.

Each variant is written here from one list of lines: a small made-up plan, and each seed's
cleaned lines (the seeds are read through the shared_dir fixture; nothing of them is stored).
"""

from __future__ import annotations

import io

import docx
import pytest

from eduplan.reader import read
from eduplan.reader.clean import clean, to_simplified
from eduplan.reader.decode import decode

PLAN = [
    "某市教育局2024年工作要点",
    "2024年全市教育工作的总体要求是:坚持以新时代中国特色社会主义思想为指导,全面贯彻党的教育方针,"
    "落实立德树人根本任务,加快建设教育强市,办好人民满意的教育。",
    "一、加强党的全面领导",
    "(一)深化理论武装",
    "1.深入开展主题教育。组织全市教育系统党员干部开展专题培训12期,覆盖党员干部3000人次以上,"
    "推动学习成效转化为推动教育高质量发展的实际行动。",
    "2.落实意识形态工作责任制。",
    "(二)从严管党治党",
    "3.加强基层党组织建设,推进中小学校党组织领导的校长负责制全面落地。",
    "二、推进基础教育优质均衡",
    "4.新增公办幼儿园25所以上,新增公办学位2.5万个,公办园在园幼儿占比达到60%。",
    "5.力争2024年底前完成义务教育学校建设项目33个,确保按期投入使用。",
    "某市教育局",
    "2024年2月18日",
]

_OPENCC_S2T = None


def _s2t(text: str) -> str:
    global _OPENCC_S2T
    if _OPENCC_S2T is None:
        import opencc

        _OPENCC_S2T = opencc.OpenCC("s2tw")  # Taiwan forms (為, not 爲): what Big5 holds
    return _OPENCC_S2T.convert(text)


# ---- writers ---------------------------------------------------------------------------------

def as_txt(lines: list[str]) -> bytes:
    return "\n".join(lines).encode("utf-8")


def as_gbk(lines: list[str]) -> bytes:
    return "\r\n".join(lines).encode("gbk")


def as_big5(lines: list[str]) -> bytes:
    return "\n".join(_s2t(line) for line in lines).encode("big5")


def as_html(lines: list[str]) -> bytes:
    from html import escape

    body = "".join(f"<p>{escape(line)}</p>\n" for line in lines)
    page = ('<!DOCTYPE html><html><head><meta charset="utf-8"><title>工作要点_某市教育局</title>'
            "<script>document.write('一、广告');</script></head><body>"
            "<nav><ul><li>首页</li><li>机构概况</li><li>政务公开</li></ul></nav>"
            "<div class='crumb'>当前位置:首页 &gt; 政务公开 &gt; 规划计划</div>"
            f"<div class='article'>{body}</div>"
            "<div>上一篇:关于做好寒假工作的通知</div>"
            "<footer>版权所有 某市教育局 粤ICP备12345678号</footer></body></html>")
    return page.encode("utf-8")


def as_docx(lines: list[str]) -> bytes:
    document = docx.Document()
    for line in lines:
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def as_pdf(lines: list[str]) -> bytes:
    """Typeset with a built-in CID font: paragraphs indented two characters, long ones wrapped
    at the margin, a page number in every footer."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    font, size, left, width, top, bottom = "STSong-Light", 11, 50, 300, 560, 60
    pdfmetrics.registerFont(UnicodeCIDFont(font))
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=(400, 600))
    number, y = 1, top

    def new_page():
        nonlocal number, y
        page.setFont(font, 9)
        page.drawString(185, 30, f"- {number} -")
        page.showPage()
        number, y = number + 1, top

    for line in lines:
        indent = 2 * size
        for piece in _wrap(line, lambda text: pdfmetrics.stringWidth(text, font, size), width, indent):
            if y < bottom:
                new_page()
            page.setFont(font, size)
            page.drawString(left + indent, y, piece)
            y -= size * 1.6
            indent = 0
    new_page()
    page.save()
    return buffer.getvalue()


def _wrap(text: str, measure, width: float, indent: float) -> list[str]:
    pieces, current = [], ""
    for char in text:
        inside_word = current[-1:].isascii() and current[-1:].isalnum() and char.isascii() and char.isalnum()
        if current and not inside_word and measure(current + char) > width - indent:
            pieces.append(current)
            current, indent = "", 0
        current += char
    return [*pieces, current] if current else pieces


WRITERS = {"txt": as_txt, "gbk": as_gbk, "big5": as_big5, "html": as_html, "docx": as_docx, "pdf": as_pdf}


def _documents(data: bytes, name: str) -> list[dict]:
    return read(data, name).to_dict()["documents"]


def _cleaned(data: bytes, name: str) -> list[str]:
    return clean(decode(data, name).text).lines


# ---- the made-up plan ------------------------------------------------------------------------

@pytest.fixture(scope="module")
def plan_reference():
    data = as_txt(PLAN)
    return _cleaned(data, "plan.txt"), _documents(data, "plan.txt")


@pytest.mark.parametrize("variant", sorted(WRITERS))
def test_the_same_plan_in_every_format_gives_the_same_lines_and_tree(variant, plan_reference):
    lines, documents = plan_reference
    assert lines == PLAN  # nothing of the plan is taken for junk
    data = WRITERS[variant](PLAN)
    name = f"plan.{variant}"
    assert _cleaned(data, name) == lines
    assert _documents(data, name) == documents


def test_variants_report_their_format_and_encoding():
    sources = {variant: read(WRITERS[variant](PLAN), f"p.{variant}").source for variant in WRITERS}
    assert {v: (s.format, s.encoding, s.script) for v, s in sources.items()} == {
        "txt": ("txt", "utf-8", "simplified"), "gbk": ("txt", "gb18030", "simplified"),
        "big5": ("txt", "big5", "traditional"), "html": ("html", "utf-8", "simplified"),
        "docx": ("docx", "binary", "simplified"), "pdf": ("pdf", "binary", "simplified"),
    }


# ---- the seeds -------------------------------------------------------------------------------

def _portable(lines: list[str]) -> list[str]:
    """Big5 and GBK cannot encode every character, and a line whose s2t/t2s round trip differs
    (著/着 and the like) cannot come back from Big5 the same: such lines are left out of every
    variant, so all variants hold the same text."""
    kept = []
    for line in lines:
        try:
            line.encode("gbk")
            _s2t(line).encode("big5")
        except UnicodeEncodeError:
            continue
        if to_simplified(_s2t(line)) == line:
            kept.append(line)
    return kept


@pytest.mark.shared
def test_each_seed_in_every_format_gives_the_same_lines_and_tree(seed_paths):
    assert seed_paths
    for path in seed_paths:
        lines = _portable(clean(decode(path.read_bytes(), path.name).text).lines)
        reference = as_txt(lines)
        expected_lines, expected_documents = _cleaned(reference, "s.txt"), _documents(reference, "s.txt")
        for variant, writer in WRITERS.items():
            data = writer(lines)
            name = f"{path.stem}.{variant}"
            assert _cleaned(data, name) == expected_lines, name
            assert _documents(data, name) == expected_documents, name

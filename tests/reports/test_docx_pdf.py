"""The drafts as an office would see them: .docx → PDF with LibreOffice → PNG pages.

Checks page size, margins, fonts, heading levels and page numbers from the PDF itself
(pdfinfo, pdffonts, the PDF outline LibreOffice writes from the heading styles, text positions).
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest
from pdfminer.high_level import extract_pages
from pdfminer.layout import LTTextContainer
from pdfminer.pdfdocument import PDFDocument
from pdfminer.pdfparser import PDFParser
from PIL import Image

from eduplan.reader import read
from eduplan.reports import build_monthly_from_plan, build_summary_from_plan, write_monthly, write_summary
from eduplan.samples import sample_path

pytestmark = pytest.mark.slow

MM = 72 / 25.4
A4 = (210 * MM, 297 * MM)
PAGE_NUMBER = re.compile(r"^— (\d+) —$")


@pytest.fixture(scope="module")
def pdfs(office, font_environment, tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("drafts")
    plan = read(sample_path("plan")).documents[0]
    summary = build_summary_from_plan(
        plan,
        progress={"2.1": "全年新增公办幼儿园学位10500个，公办园在园幼儿占比提高到53%。"},
        values={"新增公办幼儿园学位": 10500, "公办幼儿园在园幼儿占比": 53, "义务教育阶段大班额比例": 1.3},
    )
    monthly = build_monthly_from_plan(plan, "2024年3月", {
        "2.1": {"lead_unit": "基础教育处", "progress": "完成新建幼儿园选址。", "status": "behind",
                "problems": "两所幼儿园用地未落实。", "next_steps": "协调自然资源部门。"},
    })
    sources = [write_summary(summary, folder / "summary.docx"), write_monthly(monthly, folder / "monthly.docx")]
    profile = (folder / "lo-profile").as_uri()  # own profile: parallel runs must not share one
    environment = os.environ | font_environment
    subprocess.run(["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(folder), *map(str, sources)],
                   check=True, capture_output=True, timeout=120, env=environment)
    return {source.stem: source.with_suffix(".pdf") for source in sources}


def test_every_page_is_a4(pdfs):
    for pdf in pdfs.values():
        info = subprocess.run(["pdfinfo", "-f", "1", "-l", "99", str(pdf)], capture_output=True, text=True,
                              check=True).stdout
        sizes = re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts", info)
        assert sizes, info
        for width, height in sizes:
            assert abs(float(width) - A4[0]) < 1 and abs(float(height) - A4[1]) < 1


def test_text_sits_inside_the_gbt9704_margins(pdfs):
    for page in extract_pages(str(pdfs["summary"]), page_numbers=[0, 1]):
        body = [box for box in _text_boxes(page) if not PAGE_NUMBER.match(box.get_text().strip())]
        left = min(box.x0 for box in body)
        top = max(box.y1 for box in body)
        right = max(box.x1 for box in body)
        assert 28 * MM - 1 <= left <= 28 * MM + 8  # table cells add their padding
        assert right <= A4[0] - 26 * MM + 1
        assert A4[1] - 37 * MM - 30 <= top <= A4[1] - 37 * MM + 1


def test_fonts_are_serif_body_and_sans_headings(pdfs):
    fonts = subprocess.run(["pdffonts", str(pdfs["summary"])], capture_output=True, text=True,
                           check=True).stdout
    # 仿宋/楷体/小标宋 fall back to the serif CJK face, 黑体 to the sans one: both must be embedded.
    assert "NotoSerifCJK" in fonts, fonts
    assert "NotoSansCJK" in fonts, fonts
    assert all(line.split()[-5] == "yes" for line in fonts.splitlines()[2:]), "every font embedded"


def test_outline_has_the_heading_levels(pdfs):
    with open(pdfs["summary"], "rb") as handle:
        outline = [(level, title) for level, title, *_ in PDFDocument(PDFParser(handle)).get_outlines()]
    assert outline[0] == (1, "一、坚持党建引领，落实立德树人根本任务")
    assert outline[1] == (2, "（一）加强党的建设")
    assert (2, "（一）推动学前教育普及普惠") in outline
    assert outline[-2][0] == 1 and outline[-2][1].endswith("存在问题")
    assert outline[-1][0] == 1 and outline[-1][1].endswith("下一步工作打算")
    assert {level for level, _ in outline} == {1, 2}
    for level, title in outline:
        pattern = r"^[一二三四五六七八九十]+、" if level == 1 else r"^（[一二三四五六七八九十]+）"
        assert re.match(pattern, title), title


def test_page_numbers_odd_right_even_left(pdfs):
    for index, page in enumerate(extract_pages(str(pdfs["summary"]), page_numbers=[0, 1])):
        numbers = [box for box in _text_boxes(page) if PAGE_NUMBER.match(box.get_text().strip())]
        assert len(numbers) == 1
        number = numbers[0]
        assert PAGE_NUMBER.match(number.get_text().strip()).group(1) == str(index + 1)
        assert number.y1 < 35 * MM  # in the bottom margin
        if index % 2 == 0:
            assert number.x1 > A4[0] / 2 + 100
        else:
            assert number.x0 < A4[0] / 2 - 100


def test_problems_and_targets_reach_the_page(pdfs):
    text = subprocess.run(["pdftotext", "-layout", str(pdfs["summary"]), "-"], capture_output=True,
                          text=True, check=True).stdout
    assert "存在问题" in text
    assert "未达成" in text and "已达成" in text
    assert "义务教育阶段大班额比例未达成目标" in text


def test_monthly_report_shows_status_and_lead_unit(pdfs):
    text = subprocess.run(["pdftotext", str(pdfs["monthly"]), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "基础教育处" in text and "进度滞后" in text and "未报送" in text


def test_pages_render_to_png(pdfs, tmp_path):
    for name, pdf in pdfs.items():
        subprocess.run(["pdftoppm", "-r", "40", "-png", "-f", "1", "-l", "2", str(pdf), str(tmp_path / name)],
                       check=True, timeout=60)
    images = sorted(tmp_path.glob("*.png"))
    assert len(images) == 4
    for path in images:
        with Image.open(path) as image:
            width, height = image.size
            assert abs(height / width - 297 / 210) < 0.01
            darkest, _ = image.convert("L").getextrema()
            assert darkest < 100, f"{path.name} is blank"


def _text_boxes(page):
    return [element for element in page if isinstance(element, LTTextContainer) and element.get_text().strip()]

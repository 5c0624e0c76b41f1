"""The lean content reading gives a page the lines pdfminer's interpreter and layout pass give it.

Hand-written content streams reach the text operators one by one (positioning, spacing, kerning,
matrices, string syntax, marked content, Form XObjects); reportlab's CID-font PDFs and LibreOffice's
(embedded subset TrueType fonts, a table, a header and footer, two columns) are the genres the
reader meets. Each is read both ways and compared; what the lean reading leaves to pdfminer is shown
to be left, and still read the same.
"""

from __future__ import annotations

import io
import subprocess
import zlib
from pathlib import Path

import pytest

from eduplan.reader import pdf as pdf_module
from eduplan.reader.pdf import pdf_text
from eduplan.reader.pdfbounds import bounded
from eduplan.reader.pdflines import Unsupported, _PageReader, page_lines

HELVETICA = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
SONG = (b"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-%s /DescendantFonts "
        b"[<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light /CIDSystemInfo << /Registry (Adobe) "
        b"/Ordering (GB1) /Supplement 2 >> /FontDescriptor << /Type /FontDescriptor /FontName /STSong-Light "
        b"/Flags 6 /FontBBox [-25 -254 1000 880] /ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 880 "
        b"/StemV 93 >> /DW 1000 /W [1 95 500] >>] >>")
FORM_TEXT = b"BT /F1 10 Tf 0 0 Td (inside the form) Tj ET"


def make_pdf(*contents: bytes, rotate: int = 0, vertical: bool = False, split: bool = False) -> bytes:
    """A PDF of one page per content stream, with Helvetica as /F1, STSong-Light as /F2 and a Form
    XObject /Fm1 holding text; `split` cuts each content in two streams at a token boundary."""
    objects = {1: b"<< /Type /Catalog /Pages 2 0 R >>", 3: HELVETICA, 4: SONG % (b"V" if vertical else b"H")}
    form = b"<< /Type /XObject /Subtype /Form /BBox [0 0 200 50] /Resources << /Font << /F1 3 0 R >> >> "
    objects[5] = form + b"/Length %d >>\nstream\n%s\nendstream" % (len(FORM_TEXT), FORM_TEXT)
    kids = []
    for content in contents:
        number = max(objects) + 1
        parts = content.split(b" ET ", 1) if split and b" ET " in content else [content]
        if len(parts) == 2:
            parts[0] += b" ET"
        streams = []
        for part in parts:
            packed = zlib.compress(part)
            objects[number + 1 + len(streams)] = (b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(packed)
                                                  + packed + b"\nendstream")
            streams.append(b"%d 0 R" % (number + 1 + len(streams)))
        objects[number] = (b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Rotate %d /Contents [%s] "
                           b"/Resources << /Font << /F1 3 0 R /F2 4 0 R >> /XObject << /Fm1 5 0 R >> >> >>"
                           % (rotate, b" ".join(streams)))
        kids.append(b"%d 0 R" % number)
    objects[2] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(kids), len(kids))
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = {}
    for number in sorted(objects):
        offsets[number] = out.tell()
        out.write(b"%d 0 obj\n" % number + objects[number] + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (max(objects) + 1))
    for number in range(1, max(objects) + 1):
        out.write(b"%010d 00000 n \n" % offsets[number])
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (max(objects) + 1, xref))
    return out.getvalue()


def both_ways(data: bytes) -> tuple[list | str, list | str]:
    """Each page's lines read the lean way and pdfminer's way, in one order (theirs differ),
    or the error that stopped the reading."""
    return _lines(data, lean=True), _lines(data, lean=False)


def _lines(data: bytes, lean: bool) -> list | str:
    try:
        with bounded("test.pdf", 60):
            return [sorted(page) for page in page_lines(data, 100, lean=lean)]
    except Exception as error:  # compared, not hidden
        return type(error).__name__


def left_to_pdfminer(data: bytes) -> list[bool]:
    """For each page, whether the lean reading gives it to pdfminer."""
    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfinterp import PDFResourceManager
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser

    reader = _PageReader(PDFResourceManager(caching=True))
    left = []
    for page in PDFPage.create_pages(PDFDocument(PDFParser(io.BytesIO(data)))):
        try:
            reader.lines(page)
            left.append(False)
        except Unsupported:
            left.append(True)
    return left


CONTENTS = {
    "positioning": b"BT /F1 11 Tf 14 TL 72 700 Td (Line one) Tj T* (Line two) Tj 0 -30 TD (after TD) Tj "
                   b"T* (leading from TD) Tj (a quote) ' 2 1 (a double quote) \" ET "
                   b"BT 1 0 0 1 300 650 Tm /F1 9 Tf (set by Tm) Tj 5 0 Td (moved on) Tj ET",
    "spacing": b"BT /F1 10 Tf 2 Tc 5 Tw 80 Tz 72 650 Td (spaced out words) Tj 3 Ts (raised) Tj "
               b"0 Tc 0 Tw 100 Tz 0 Ts 0 -20 Td (back to normal) Tj ET",
    "kerning": b"BT /F1 12 Tf 72 600 Td [(Ke) 120 (rn) -250 (ing) -3000 (far apart) 40 (x)] TJ "
               b"0 -20 Td [(A) -80 (W) 200 (AY) -900 (word)] TJ ET",
    "columns": b"BT /F1 10 Tf 72 500 Td (left column, first line) Tj 0 -12 Td (left column, second) Tj ET "
               b"BT /F1 10 Tf 320 501 Td (right column, first line) Tj 0 -12 Td (right column, second) Tj ET "
               b"BT /F1 10 Tf 72 470 Td (a) Tj 8 0 Td (b) Tj 30 0 Td (c) Tj ET",
    "table": b"q 0.5 w 70 400 m 500 400 l S 70 380 m 500 380 l S Q "
             b"BT /F2 10 Tf 72 386 Td <5E8F53F7> Tj 60 0 Td <91CD70B94EFB52A1> Tj 200 0 Td <5B8C6210> Tj ET "
             b"BT /F2 10 Tf 72 366 Td (3) Tj 60 0 Td <57F98BAD> Tj (5000) Tj 200 0 Td (6\\0\\0\\0) Tj ET",
    "matrices": b"q 1 0 0 1 50 50 cm BT /F1 12 Tf 1 0 0 1 20 300 Tm (moved by cm) Tj ET Q "
                b"q 2 0 0 2 0 0 cm BT /F1 6 Tf 40 100 Td (scaled twice) Tj ET Q "
                b"BT /F1 12 Tf 0 1 -1 0 500 300 Tm (rotated text) Tj ET "
                b"BT /F1 12 Tf -1 0 0 1 500 200 Tm (mirrored) Tj ET "
                b"q 0.7071 0.7071 -0.7071 0.7071 100 100 cm BT /F1 12 Tf 0 0 Td (at 45 degrees) Tj ET Q "
                b"BT /F1 12 Tf 1 0 0 -1 72 150 Tm (upside down) Tj ET",
    "strings": b"BT /F1 12 Tf 72 700 Td (a\\(b\\)c \\\\ \\101\\102 \\tx (nested (deep) parens) end) Tj "
               b"0 -14 Td <48656C6C6F> Tj <48 65 6c 6C 6> Tj 0 -14 Td (split \\\nline) Tj (\\q unknown) Tj "
               b"0 -14 Td (one (two (three) two) one) Tj ET",
    "chinese": b"BT /F2 12 Tf 72 700 Td <4E2D65876587672C> Tj 0 -16 Td (\\116\\055\\145\\207) Tj "
               b"[<4E00> -500 <4E8C>] TJ ET",
    "marked content": b"% a comment\n/P <</MCID 0>> BDC BT /F1 12 Tf 72 700 Td (tagged) Tj ET EMC "
                      b"/Span <</ActualText <FEFF0041>>> BDC BT /F1 12 Tf 72 680 Td (A) Tj ET EMC "
                      b"BT 3 Tr /F1 12 Tf 72 660 Td (invisible, as an OCR layer is) Tj ET",
    "state": b"BT /F1 12 Tf 72 400 Td q /F1 20 Tf 5 Tc Q (after Q) Tj ET "
             b"q BT /F1 12 Tf 72 380 Td (in q) Tj ET Q BT (no font yet is fine) Tj ET "
             b"BT /F9 12 Tf 72 360 Td (unknown font) Tj ET",
    "form": b"q 1 0 0 1 100 100 cm /Fm1 Do Q BT /F1 12 Tf 72 300 Td (after the form) Tj ET",
    "operand oddities": b"Tj 12 Tf BT /F1 12 Tf 72 700 Td () Tj ( ) Tj (x) Tj -.5 0 Td 5. 0 Td (y) Tj "
                        b"1 2 3 4 5 Tj (z) Tj [(a) 5 /Name [1 2] <<>> BT] TJ ET",
}


@pytest.mark.parametrize("name", CONTENTS)
def test_a_page_reads_as_pdfminer_reads_it(name):
    data = make_pdf(CONTENTS[name])
    assert left_to_pdfminer(data) == [False]
    lean, pdfminer = both_ways(data)
    assert lean == pdfminer
    assert any(page for page in lean)


def test_rotated_pages_and_contents_in_two_streams_read_the_same():
    for rotate in (90, 180, 270):
        data = make_pdf(CONTENTS["positioning"], CONTENTS["chinese"], rotate=rotate, split=True)
        assert left_to_pdfminer(data) == [False, False]
        lean, pdfminer = both_ways(data)
        assert lean == pdfminer


LEFT = {
    "inline image": b"BI /W 2 /H 2 /CS /G /BPC 8 ID \x00()\x03 EI BT /F1 12 Tf 72 700 Td (after the image) Tj ET",
    "vertical font": b"BT /F2 12 Tf 72 700 Td <4E2D6587> Tj ET",
    "text after a bare Do": b"/Fm1 Do BT /F1 12 Tf 72 300 Td (after a bare form) Tj ET",
    "a brace": b"BT /F1 12 Tf 72 700 Td (x) Tj { ET",
    "an octal past 255": b"BT /F1 12 Tf 72 700 Td (\\777) Tj ET",  # pdfminer fails the page
    "an operator with an underscore": b"BT /F1 12 Tf 72 700 Td (x) Tj T_a (y) Tj ET",
    "an operator with a stray byte": b"BT /F1 12 Tf 72 700 Td (x) Tj 0 -20 T\xc8d (y) Tj ET",
    "TJ on a name": b"BT /F1 12 Tf 72 700 Td /F1 TJ (x) Tj ET",  # pdfminer fails the page
}


@pytest.mark.parametrize("name", LEFT)
def test_what_the_lean_reading_leaves_to_pdfminer_still_reads_the_same(name):
    data = make_pdf(LEFT[name], vertical=name == "vertical font")
    assert left_to_pdfminer(data) == [True]
    lean, pdfminer = both_ways(data)
    assert lean == pdfminer


def reportlab_pdfs() -> dict[str, bytes]:
    import sys

    from test_formats import PLAN, as_pdf

    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
    from reader import make_pdf as benchmark_pdf

    return {"plan": as_pdf(PLAN), "benchmark": benchmark_pdf(PLAN * 3, 4)}


def test_reportlab_cid_font_pdfs_read_the_same_lines_and_text():
    for name, data in reportlab_pdfs().items():
        assert not any(left_to_pdfminer(data)), name
        lean, pdfminer = both_ways(data)
        assert lean == pdfminer, name
        assert _text_both_ways(data) is not None


def _text_both_ways(data: bytes) -> str:
    """pdf_text's paragraphs, which must be the same either way."""
    lean = pdf_text(data, "x.pdf")
    pdf_module.LEAN = False
    try:
        pdfminer = pdf_text(data, "x.pdf")
    finally:
        pdf_module.LEAN = True
    assert lean == pdfminer
    return lean[0]


def _libreoffice_pdf(tmp_path: Path) -> bytes:
    """A .docx with a header and footer, kerned Latin text, a table and a two-column section, as
    LibreOffice prints it (embedded subset TrueType fonts)."""
    import docx
    from docx.enum.section import WD_SECTION
    from docx.oxml.ns import qn
    from docx.shared import Pt

    document = docx.Document()
    section = document.sections[0]
    section.header.paragraphs[0].text = "滨江市教育局 2025年工作要点"
    section.footer.paragraphs[0].text = "AVAWAY Typography, kerned: WAVE To Ty"
    document.add_paragraph("滨江市教育局2025年工作要点")
    for number in range(1, 31):
        document.add_paragraph(f"{number}.新建公办幼儿园{number}所，推进学前教育普及普惠发展，"
                               f"确保年底前完成全部建设任务并投入使用。Quality AVAWAY {number * 37}")
    table = document.add_table(rows=3, cols=3)
    for row, texts in zip(table.rows, [["序号", "重点任务", "完成时限"], ["1", "培训教师5000人次", "6月底前"],
                                       ["2", "Wave of training", "12月底前"]], strict=True):
        for cell, text in zip(row.cells, texts, strict=True):
            cell.text = text
    columns = document.add_section(WD_SECTION.CONTINUOUS)
    columns._sectPr.find(qn("w:cols")).set(qn("w:num"), "2")
    for number in range(60):
        paragraph = document.add_paragraph(f"第{number + 1}段：两栏排版的文字，左右两栏横坐标不同。Kerning AV {number}")
        paragraph.runs[0].font.size = Pt(9)
    source = tmp_path / "plan.docx"
    document.save(source)
    profile = f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}"
    subprocess.run(["soffice", profile, "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(source)],
                   capture_output=True, timeout=180, check=True)
    return source.with_suffix(".pdf").read_bytes()


def test_a_libreoffice_pdf_reads_the_same_lines_and_text(office, tmp_path):
    data = _libreoffice_pdf(tmp_path)
    assert not any(left_to_pdfminer(data))
    lean, pdfminer = both_ways(data)
    assert len(lean) >= 2 and lean == pdfminer
    text = _text_both_ways(data)
    assert "培训教师" in text and "两栏排版" in text


def test_a_text_bomb_is_refused_by_the_lean_reading_too():
    from bombs import pdf_text_bomb
    from eduplan.reader.errors import TooLarge

    with pytest.raises(TooLarge, match="content objects"):
        pdf_text(pdf_text_bomb(2), "bomb.pdf")


def test_ascii85_decodes_to_pdfminers_bytes_or_error():
    import base64
    import random

    from pdfminer.ascii85 import ascii85decode

    from eduplan.reader.pdfbounds import _ascii85decode

    def outcome(decode, data):
        try:
            return decode(data)
        except ValueError as error:
            return str(error)

    chance = random.Random(12)
    for size in [*range(12), 999, 4096]:
        raw = bytes(chance.randrange(256) for _ in range(size)) if size % 3 else bytes(size)  # zeros: "z"
        encoded = base64.a85encode(raw, wrapcol=chance.choice([0, 75]), adobe=size % 2 == 1)
        for variant in (encoded, encoded.replace(b"z", b"!!!!!"), encoded + b"\n~>", encoded[:-1],
                        encoded + b"u", encoded + b"#", b"uuuuu" + encoded):  # the last: a group past 2**32
            assert outcome(_ascii85decode, variant) == outcome(ascii85decode, variant)

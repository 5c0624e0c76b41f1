"""Bad input is a user too: every wrong file gets one clear line (ReaderError / exit 2),
never a traceback, never a hang. All files are built here."""

from __future__ import annotations

import io
import time
import zipfile

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from eduplan.cli import main
from eduplan.reader import MAX_BYTES, Plan, ReaderError, read
from eduplan.reader.clean import clean


def _docx_bomb() -> bytes:
    """A few kB of zip that inflates to 40 MB of document.xml."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"<w:document>" + b" " * (40 * 2**20) + b"</w:document>")
    return buffer.getvalue()


def _corrupt_docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", "<w:document>" + "一、加强党建。" * 500 + "</w:document>")
    data = buffer.getvalue()
    return data[: len(data) // 2]  # the central directory is gone


def _pdf(draw) -> bytes:
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=(400, 600))
    for number in range(3):
        draw(page, number)
        page.showPage()
    page.save()
    return buffer.getvalue()


def _text_pdf() -> bytes:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))

    def draw(page, number):
        page.setFont("STSong-Light", 12)
        for row in range(30):
            page.drawString(40, 560 - 18 * row, f"{number * 30 + row + 1}.推进教育工作第{row}项任务。")
    return _pdf(draw)


def _scanned_pdf() -> bytes:
    def draw(page, number):  # a "scan": shapes and no text layer
        page.setFillGray(0.2)
        page.rect(40, 40, 320, 520, fill=1)
        page.circle(200, 300, 50 + number, fill=0)
    return _pdf(draw)


BAD_FILES = {
    "empty.txt": (b"", "empty"),
    "blank.txt": (b" \n\t\r\n  \n", "empty"),
    "junk.bin": (bytes(range(256)) * 64, "binary data"),
    "photo.jpg": (b"\xff\xd8\xff\xe0" + bytes(2000), "image"),
    "old.doc": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(2000), ".docx"),
    "bomb.docx": (_docx_bomb(), "zip bomb"),
    "corrupt.docx": (_corrupt_docx(), "damaged"),
    "scan.pdf": (_scanned_pdf(), "no text layer"),
    "broken.pdf": (b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog", "PDF"),
}


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_bad_file_gives_a_clear_one_line_error(name, tmp_path):
    data, words = BAD_FILES[name]
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(ReaderError) as caught:
        read(path)
    message = str(caught.value)
    assert words in message and name in message and "\n" not in message


def test_file_over_the_size_cap_is_refused_without_reading_it(tmp_path):
    path = tmp_path / "huge.txt"
    with path.open("wb") as handle:
        handle.truncate(MAX_BYTES + 1)  # sparse: nothing is written
    with pytest.raises(ReaderError, match="larger than"):
        read(path)


def test_truncated_pdf_is_refused_or_read_up_to_the_damage_with_a_warning():
    data = _text_pdf()
    for cut in (len(data) // 3, len(data) // 2, len(data) - 200):
        try:
            plan = read(data[:cut], "cut.pdf")
        except ReaderError as error:
            assert "cut.pdf" in str(error)
        else:
            assert isinstance(plan, Plan)


def test_pdf_cut_after_its_first_pages_keeps_them_with_a_warning():
    data = _text_pdf()
    last_page_stream = data.rfind(b" 0 obj")  # reportlab writes the page contents last
    plan = read(data[:last_page_stream], "cut.pdf")
    assert plan.warnings[0] == "cut.pdf: the PDF is cut short; only its complete pages were read"
    assert [item.number for document in plan.documents for item in document.walk()] == list(range(1, 61))


def test_cli_output_of_a_damaged_pdf_is_one_line(tmp_path, capfd):
    path = tmp_path / "cut.pdf"
    data = _text_pdf()
    path.write_bytes(data[: data.rfind(b" 0 obj")])
    result = CliRunner().invoke(main, ["parse", str(path)])
    assert result.exit_code == 0
    assert result.stderr.strip().splitlines() == ["eduplan: warning: cut.pdf: the PDF is cut short; "
                                                  "only its complete pages were read"]
    assert "non-indirect" not in capfd.readouterr().err


def test_text_without_numbered_structure_is_read_with_a_warning():
    text = "关于做好寒假安全工作的提醒\n请各校加强安全教育,确保师生平安度过假期。\n某市教育局\n2024年1月10日"
    plan = read(text.encode("utf-8"), "note.txt")
    assert plan.documents or plan.warnings
    assert any("no numbered structure" in warning for warning in plan.warnings)


# ---- the command line ------------------------------------------------------------------------

@pytest.mark.parametrize("name", [*sorted(BAD_FILES), "huge.txt", "truncated.pdf"])
def test_cli_prints_one_line_and_exits_2(name, tmp_path):
    path = tmp_path / name
    if name == "huge.txt":
        with path.open("wb") as handle:
            handle.truncate(MAX_BYTES + 1)
    elif name == "truncated.pdf":
        data = _text_pdf()
        path.write_bytes(data[: len(data) // 2])
    else:
        path.write_bytes(BAD_FILES[name][0])
    result = CliRunner().invoke(main, ["parse", str(path)])
    assert result.exit_code == 2
    assert len(result.stderr.strip().splitlines()) == 1
    assert result.stderr.startswith("eduplan: ")
    assert "Traceback" not in result.output


def test_cli_reads_a_text_without_structure_and_warns(tmp_path):
    path = tmp_path / "note.txt"
    path.write_text("请各校加强安全教育,确保师生平安度过假期。", encoding="utf-8")
    result = CliRunner().invoke(main, ["parse", str(path), "--json"])
    assert result.exit_code == 0
    assert "warning" in result.stderr and "Traceback" not in result.output


# ---- properties ------------------------------------------------------------------------------

_PREFIXES = st.sampled_from([b"", b"PK\x03\x04", b"%PDF-1.4\n", b"<html><body>", b"\xef\xbb\xbf", b"\xff\xfe",
                             "一、".encode("gbk"), "一、".encode("big5")])
_FAST = settings(max_examples=150, deadline=2000, suppress_health_check=[HealthCheck.too_slow])


def _read_or_refuse(data: bytes):
    try:
        assert isinstance(read(data, "fuzz"), Plan)
    except ReaderError as error:
        assert str(error) and "\n" not in str(error)


@_FAST
@given(st.binary(max_size=4096))
def test_arbitrary_bytes_give_a_plan_or_a_reader_error(data):
    _read_or_refuse(data)


@_FAST
@given(_PREFIXES, st.binary(max_size=2048))
def test_bytes_that_look_like_a_format_give_a_plan_or_a_reader_error(prefix, data):
    _read_or_refuse(prefix + data)


@_FAST
@given(st.text(max_size=3000))
def test_arbitrary_text_cleans_and_reads(text):
    result = clean(text)
    assert all(line and line == line.strip() and "\n" not in line for line in result.lines)
    assert result.script in ("simplified", "traditional")
    _read_or_refuse(text.encode("utf-8"))


@_FAST
@given(st.lists(st.sampled_from(["一、", "(一)", "1.", "2、", "当前位置:", "下载", "。", "\n", "<p>", "&nbsp;",
                                 "288563.com", "开云(中国)", "加强党建", "２０２４年", "學校", " ", "?", "[1]"]),
                max_size=200))
def test_plan_like_fragments_clean_without_error(parts):
    text = "".join(parts)
    clean(text)
    _read_or_refuse(text.encode("utf-8"))


@pytest.mark.parametrize("text", [
    "x" + " " * 50_000 + "a", "a" + "?" * 50_000 + "a", "<" + "a" * 50_000, "a." * 50_000, "&#" + "1" * 50_000,
    "(" * 50_000, "1、" * 50_000, ("1、" + "x" * 60 + "\n") * 5_000, "\n".join(["• 菜单"] * 20_000),
    # a table of contents' dot leaders and page numbers, run together without end; repeated paragraphs
    "一、现实基础……12" * 5_000, "发展基础……1234" * 5_000, ("坚持立德树人，办好人民满意的教育，建设教育强市。\n") * 5_000,
])
def test_pathological_text_cleans_in_linear_time(text):
    # up to 0.4 s alone, three times that under the suite's load on 2 cores; a quadratic step
    # over these 50,000-odd characters would take tens of seconds, so the bound is loose and still catches it
    started = time.perf_counter()
    clean(text)
    assert time.perf_counter() - started < 5.0

"""Old Word (.doc) and RTF files are read through LibreOffice; what it cannot open gets a message, never a hang."""

from __future__ import annotations

import subprocess
from pathlib import Path

import docx
import pytest

from eduplan.reader import ReaderError, legacy, read

# An OLE compound file's header: magic, class id, minor version, version 3, byte order FFFE, 512-byte sectors.
OLE_HEADER = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(16) + (0x3E).to_bytes(2, "little") + (3).to_bytes(2, "little")
              + b"\xfe\xff" + (9).to_bytes(2, "little")).ljust(512, b"\x00")
PLAN = ["滨江市教育局2025年工作要点", "一、学前教育", "1.新建公办幼儿园10所，年底前完成。",
        "2.出台《学前教育三年行动计划》。"]


def _converted(tmp_path: Path, lines: list[str], to: str) -> bytes:
    """A .doc or .rtf written by LibreOffice from a .docx (by way of .odt: python-docx tables survive it)."""
    document = docx.Document()
    for line in lines:
        document.add_paragraph(line)
    table = document.add_table(rows=2, cols=3)
    for cell, text in zip(table.rows[0].cells, ["序号", "重点任务", "完成时限"], strict=True):
        cell.text = text
    for cell, text in zip(table.rows[1].cells, ["3", "培训教师5000人次", "6月底前"], strict=True):
        cell.text = text
    source = tmp_path / "plan.docx"
    document.save(source)
    profile = f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}"
    for target, path in (("odt", source), (to, source.with_suffix(".odt"))):
        subprocess.run(["soffice", profile, "--headless", "--convert-to", target, "--outdir", str(tmp_path),
                        str(path)], capture_output=True, timeout=120, check=True)
    return source.with_suffix(f".{to}").read_bytes()


@pytest.mark.parametrize("kind", ["doc", "rtf"])
def test_an_old_word_or_rtf_file_reads_like_its_docx(office, tmp_path, kind):
    plan = read(_converted(tmp_path, PLAN, kind), name=f"plan.{kind}")
    (document,) = plan.documents
    items = list(document.walk())
    assert [(i.number, i.title) for i in items] == [(1, "学前教育"), (1, "新建公办幼儿园10所，年底前完成"),
                                                    (2, "出台《学前教育三年行动计划》"), (3, "培训教师5000人次")]
    assert items[1].targets[0].value == 10 and items[3].deadlines[0].date == "2025-06-30"
    assert any("LibreOffice" in warning for warning in plan.warnings)


def test_a_damaged_office_file_is_refused_before_libreoffice_reads_it_as_text(office):
    junk = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(range(256)) * 8  # the magic, then no OLE header
    with pytest.raises(ReaderError, match="damaged"):
        read(junk, name="broken.doc")


def _fake_soffice(monkeypatch, tmp_path, script: str) -> None:
    program = tmp_path / "soffice"
    program.write_text(f"#!/bin/sh\n{script}\n")
    program.chmod(0o755)
    monkeypatch.setattr(legacy, "soffice", lambda: str(program))


def test_what_libreoffice_cannot_open_is_refused_with_a_reason(monkeypatch, tmp_path):
    _fake_soffice(monkeypatch, tmp_path, "exit 1")  # as it does with a protected file or an .xls: no .docx
    with pytest.raises(ReaderError, match="LibreOffice could not open it"):
        read(OLE_HEADER + b"\x00" * 512, name="protected.doc")


def test_without_libreoffice_the_message_says_what_to_do(monkeypatch):
    monkeypatch.setattr(legacy, "soffice", lambda: None)
    with pytest.raises(ReaderError, match=r"save it as \.docx, or install LibreOffice"):
        read(OLE_HEADER + b"\x00" * 512, name="old.doc")


def test_a_conversion_that_hangs_is_stopped(monkeypatch, tmp_path):
    _fake_soffice(monkeypatch, tmp_path, "sleep 30")
    monkeypatch.setattr(legacy, "TIMEOUT_SECONDS", 1)
    with pytest.raises(ReaderError, match="did not finish converting it in 1 s"):
        read(b"{\\rtf1 " + "滨江".encode() + b"}", name="slow.rtf")

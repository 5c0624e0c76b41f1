"""Small files that unpack to a lot, made in the test (audit H2, M4): never stored in the repository."""

from __future__ import annotations

import io
import zipfile
import zlib


def _deflate(chunk: bytes, times: int) -> bytes:
    """`chunk` × `times`, compressed without ever holding the whole inflated text."""
    packer = zlib.compressobj(9)
    packed = [packer.compress(chunk) for _ in range(times)]
    return b"".join(packed) + packer.flush()


def pdf_with_stream(content: bytes, times: int = 1) -> bytes:
    """A one-page PDF whose page content is `content` × `times`, FlateDecode-compressed."""
    packed = _deflate(content, times)
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
               b"/Resources << /Font << /F1 5 0 R >> >> >>",
               b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(packed) + packed + b"\nendstream",
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def pdf_inflating_to(megabytes: int) -> bytes:
    """A stream of spaces that inflates to `megabytes` MB (about 1/1000 of that on disk)."""
    return pdf_with_stream(b" " * 1024 * 1024, megabytes)


def pdf_text_bomb(megabytes: int) -> bytes:
    """The audit's textbomb: a page of `BT … (a) Tj ET` operators inflating to `megabytes` MB."""
    op = b"BT /F1 12 Tf 72 720 Td (a) Tj ET\n" * 1000
    return pdf_with_stream(op, megabytes * 1024 * 1024 // len(op))


def _sheet_xml(rows: int, columns: int = 3) -> list[bytes]:
    """The sheet's XML in pieces of at most 1,000 rows (never the whole text at once)."""
    head = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>')
    row = b"<row>" + b"".join(b'<c t="inlineStr"><is><t>x</t></is></c>' for _ in range(columns)) + b"</row>"
    return [head, *_repeated(row, rows), b"</sheetData></worksheet>"]


def _repeated(piece: bytes, times: int):
    block = piece * 1000
    for _ in range(times // 1000):
        yield block
    yield piece * (times % 1000)


def xlsx(sheet_xml, shared_strings=None, sheet_name: str = "Sheet1") -> bytes:
    """A minimal .xlsx around one sheet's XML (and, optionally, sharedStrings.xml)."""
    ct = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
          'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
          'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/'
          'workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
          '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
          'officedocument.spreadsheetml.worksheet+xml"/>'
          + ('<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-'
             'officedocument.spreadsheetml.sharedStrings+xml"/>' if shared_strings is not None else "")
          + "</Types>")
    rels = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
            '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
            '2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
    book = ('<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
            '2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
            f'<sheet name="{sheet_name}" sheetId="1" r:id="rId1"/></sheets></workbook>')
    book_rels = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
                 'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
                 'officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
                 + ('<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                    'relationships/sharedStrings" Target="sharedStrings.xml"/>' if shared_strings is not None
                    else "") + "</Relationships>")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", ct)
        archive.writestr("_rels/.rels", rels)
        archive.writestr("xl/workbook.xml", book)
        archive.writestr("xl/_rels/workbook.xml.rels", book_rels)
        _write(archive, "xl/worksheets/sheet1.xml", sheet_xml)
        if shared_strings is not None:
            _write(archive, "xl/sharedStrings.xml", shared_strings)
    return out.getvalue()


def _write(archive: zipfile.ZipFile, name: str, pieces) -> None:
    with archive.open(name, "w", force_zip64=True) as member:
        for piece in [pieces] if isinstance(pieces, bytes) else pieces:
            member.write(piece)


def xlsx_shared_strings_bomb(entries: int) -> bytes:
    """The audit's M4 file: a sharedStrings.xml of `entries` strings (10 M ≈ 250 MB of XML)."""
    head = b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    return xlsx(_sheet_xml(1), [head, *_repeated(b"<si><t>abcdefghij</t></si>", entries), b"</sst>"])


def xlsx_rows_bomb(rows: int, sheet_name: str = "Sheet1") -> bytes:
    return xlsx(_sheet_xml(rows), sheet_name=sheet_name)


def xlsx_malformed(kind: str = "entity") -> bytes:
    """A sheet whose XML is not what a spreadsheet has: a DTD entity, or not well-formed."""
    if kind == "entity":  # billion laughs: ten levels of ten, a 10^10-character cell
        levels = b"".join(b'<!ENTITY l%d "%s">' % (n, b"&l%d;" % (n - 1) * 10) for n in range(1, 10))
        sheet = (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY l0 "lol">' + levels + b']><worksheet xmlns="http://'
                 b'schemas.openxmlformats.org/spreadsheetml/2006/main"><dimension ref="A1"/><sheetData><row><c t="inlineStr"><is><t>'
                 b"&l9;</t></is></c></row></sheetData></worksheet>")
    else:
        sheet = (b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><dimension ref="A1"/>'
                 b"<sheetData><row><c")
    return xlsx(sheet)


def docx_inflating_to(megabytes: int) -> bytes:
    """A .docx whose word/document.xml inflates to `megabytes` MB of paragraphs."""
    paragraph = "<w:p><w:r><w:t>一、推进工作。</w:t></w:r></w:p>".encode()
    body = [b'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
            b'wordprocessingml/2006/main"><w:body>',
            *_repeated(paragraph, megabytes * 1024 * 1024 // len(paragraph)), b"</w:body></w:document>"]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        _write(archive, "word/document.xml", body)
    return out.getvalue()

"""Bytes in any format the bureau circulates (txt, html, docx, pdf) to plain text.

The format is judged by content, never by the file name: a .txt saved from a browser
may be HTML, a .doc renamed .docx may be anything. Text encodings are found by trying
the strict decoders a Chinese office produces (UTF-8, UTF-16 with a BOM, GB18030, Big5)
and scoring how much each result looks like Chinese prose.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from .errors import ReaderError
from .legacy import OLE_MAGIC, to_docx
from .tables import text_task_tables


@dataclass
class RawText:
    text: str  # one paragraph per line
    format: str  # txt | html | docx | pdf
    encoding: str  # e.g. utf-8, gb18030, big5; "binary" for docx/pdf
    warnings: list[str] = field(default_factory=list)  # passed on to Plan.warnings


# Magic numbers of files people send by mistake, with what to tell them.
_KNOWN_BINARIES = (
    (b"\x89PNG", "a PNG image, not a plan document (run OCR first)"),
    (b"\xff\xd8\xff", "a JPEG image, not a plan document (run OCR first)"),
    (b"GIF8", "a GIF image, not a plan document"),
    (b"II*\x00", "a TIFF image, not a plan document (run OCR first)"),
    (b"MM\x00*", "a TIFF image, not a plan document (run OCR first)"),
    (b"\x7fELF", "an executable program, not a plan document"),
    (b"MZ", "an executable program, not a plan document"),
    (b"\x1f\x8b", "a gzip archive, not a plan document"),
    (b"Rar!", "a RAR archive, not a plan document"),
    (b"7z\xbc\xaf\x27\x1c", "a 7z archive, not a plan document"),
)
# Formats LibreOffice turns into .docx (legacy.py): magic number, what the file is, its usual suffix.
_CONVERTIBLE = (
    (OLE_MAGIC, "an old Word/Excel (.doc/.xls/.wps) or password-protected Office file", ".doc"),
    (b"{\\rtf", "an RTF file", ".rtf"),
)

_BOMS = (
    (b"\xef\xbb\xbf", "utf-8", "utf-8"),
    (b"\xff\xfe\x00\x00", "utf-32-le", "utf-32"),
    (b"\x00\x00\xfe\xff", "utf-32-be", "utf-32"),
    (b"\xff\xfe", "utf-16-le", "utf-16"),
    (b"\xfe\xff", "utf-16-be", "utf-16"),
)

# Encodings tried without a BOM, in order of preference when they score the same.
_CANDIDATES = (("utf-8", "utf-8"), ("gb18030", "gb18030"), ("big5", "big5"), ("cp950", "big5"))

_HTML_START = re.compile(rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html)\b",
                         re.IGNORECASE | re.DOTALL)
_HTML_SKELETON = re.compile(rb"<(?:html|head|body|meta\s+[^>]*charset)\b", re.IGNORECASE)
_HTML_BLOCK = re.compile(rb"<(?:p|div|br|table|tr|td|li|h[1-6])\b[^>]*>", re.IGNORECASE)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
_HAN = re.compile(r"[\u4e00-\u9fff]")


def decode(data: bytes, name: str) -> RawText:
    """Judge the format by content and return the text, one paragraph per line."""
    if not data.strip():
        raise ReaderError(f"{name}: the file is empty")
    if data.startswith(b"%PDF") or data[:1024].lstrip().startswith(b"%PDF"):
        from .pdf import pdf_text

        text, warnings = pdf_text(data, name)
        return _checked(RawText(text, "pdf", "binary", warnings), name)
    if data.startswith(b"PK\x03\x04") or data.startswith(b"PK\x05\x06"):
        from .docx import docx_text

        return _checked(RawText(docx_text(data, name), "docx", "binary"), name)
    for magic, what in _KNOWN_BINARIES:
        if data.startswith(magic):
            raise ReaderError(f"{name}: {what}")
    for magic, what, suffix in _CONVERTIBLE:
        if data.startswith(magic):
            from .docx import docx_text

            raw = RawText(docx_text(to_docx(data, name, what, suffix), name), "docx", "binary",
                          [f"{name}: converted to .docx by LibreOffice before reading"])
            return _checked(raw, name)
    if _looks_like_html(data):
        from .html import html_text

        text, encoding = html_text(data, name)
        return _checked(RawText(text, "html", encoding), name)
    text, encoding = decode_text(data, name)
    return _checked(RawText(text_task_tables(text), "txt", encoding), name)


def decode_text(data: bytes, name: str) -> tuple[str, str]:
    """Decode plain text: a BOM decides; otherwise the best-scoring strict decode wins."""
    for bom, codec, label in _BOMS:
        if data.startswith(bom):
            try:
                return _no_controls(data[len(bom):].decode(codec), name), label
            except UnicodeDecodeError:
                raise ReaderError(f"{name}: starts with a {label} mark but is not valid {label}") from None
    best: tuple[float, str, str] | None = None
    for codec, label in _CANDIDATES:
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        if label == "utf-8" and not _is_binary(text[:_SAMPLE]):
            return text, label  # strict UTF-8 of any length is almost never an accident
        score = text_score(text)
        if best is None or score > best[0]:
            best = (score, text, label)
    if best is None:
        best = _lenient(data)
    if best is None or best[0] < 0:
        raise ReaderError(f"{name}: not a plan document (binary data of no known format)")
    return best[1], best[2]


# A text damaged in a few places (a cut multi-byte character, a stray byte) is still read;
# more undecodable bytes than this share means it is not text at all.
MAX_BAD_BYTES_SHARE = 0.002


def _lenient(data: bytes) -> tuple[float, str, str] | None:
    """The candidate encoding that leaves the fewest undecodable bytes, if they are rare;
    the damaged spots become U+FFFD, which the cleaning stage drops."""
    best: tuple[int, str, str] | None = None
    for codec, label in _CANDIDATES[:3]:
        text = data.decode(codec, errors="replace")
        bad = text.count("\ufffd")
        if best is None or bad < best[0]:
            best = (bad, text, label)
    if best is None or best[0] > max(1, len(data) * MAX_BAD_BYTES_SHARE):
        return None
    return text_score(best[1]), best[1], best[2]


def text_score(text: str) -> float:
    """How much a decoded text looks like Chinese prose: the share of Han characters that are
    common ones; negative when control characters show it is binary data."""
    sample = text[:_SAMPLE]
    if not sample:
        return 0.0
    if _is_binary(sample):
        return -1.0
    han = _HAN.findall(sample)
    if not han:
        return 0.5  # plain ASCII/Latin: acceptable, but any real Chinese decode beats it
    common = _common_han()
    return sum(map(common.__contains__, han)) / len(han)


_SAMPLE = 20000  # characters enough to judge a decode


def _is_binary(sample: str) -> bool:
    """Control characters beyond a stray few: binary data, not text."""
    return len(_CONTROL.findall(sample)) > max(2, len(sample) // 200)


@cache
def _common_han() -> frozenset[str]:
    """The ~3,755 level-1 GB2312 characters and their traditional forms: the characters that
    make up almost all official prose, in either script."""
    simplified = bytes(
        byte for lead in range(0xB0, 0xD8) for trail in range(0xA1, 0xFF) for byte in (lead, trail)
    ).decode("gb2312", errors="ignore")
    traditional = bytes(
        byte for lead in range(0xA4, 0xC7) for trail in [*range(0x40, 0x7F), *range(0xA1, 0xFF)]
        for byte in (lead, trail)
    ).decode("big5", errors="ignore")
    return frozenset(simplified) | frozenset(traditional)


def _no_controls(text: str, name: str) -> str:
    if text_score(text) < 0:
        raise ReaderError(f"{name}: not a plan document (binary data of no known format)")
    return text


def _looks_like_html(data: bytes) -> bool:
    head = data[:8192]
    if _HTML_START.match(head) or _HTML_SKELETON.search(head):
        return True
    return len(_HTML_BLOCK.findall(head)) >= 3


def _checked(raw: RawText, name: str) -> RawText:
    if not raw.text.strip():
        raise ReaderError(f"{name}: the {raw.format} file holds no text")
    return raw

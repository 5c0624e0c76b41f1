"""A PDF's text layer to paragraphs, one per line.

pdflines gives positioned lines (pdfminer.six's, read faster); a paragraph wrapped by the
typesetter is put back together when a line runs to the right margin, does not end a sentence,
and the next line neither starts a list marker nor is indented. Page numbers and running headers/footers
(the same short line at the top or bottom of many pages) are dropped. A PDF without a
text layer is a scan and needs OCR, which the reader does not do.
"""

from __future__ import annotations

import logging
import re
import time
from collections import Counter
from dataclasses import dataclass

from .errors import ReaderError, TooLarge
from .pdfbounds import OutOfTime, bounded
from .pdflines import Line, page_lines

# pdfminer logs every oddity of a damaged file at WARNING; the user gets one line from us.
logging.getLogger("pdfminer").setLevel(logging.ERROR)

MAX_PAGES = 2000
LEAN = True  # pages read by pdflines' lean interpreter; False: by pdfminer's (the benchmark's baseline)
TIME_BUDGET_SECONDS = 120.0  # past this the pages read so far are kept, with a warning (checked inside a page)

_PAGE_NUMBER = re.compile(
    r"^(?:[-—–－~·\s]*\d{1,4}[-—–－~·\s]*"  # - 3 -, —3—, 3
    r"|第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?"  # 第3页, 第3页 共10页
    r"|\d{1,4}\s*/\s*\d{1,4}"  # 3/10
    r"|(?:page|p\.)\s*\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?)$",  # Page 3 of 10
    re.IGNORECASE,
)
_SENTENCE_END = "。！？；;：:…"  # not ASCII ?/!: in Chinese text "??" is mojibake residue
_CLOSERS = "”’」』）)》"  # a quote closes a sentence only when one ended inside it: …。”
_LIST_START = re.compile(
    r"^\s*(?:[一二三四五六七八九十百]+\s*[、.．]"
    r"|[(（]\s*[一二三四五六七八九十百\d]+\s*[)）]"
    r"|\d{1,3}\s*(?:[、．﹒]|\.(?!\d))"
    r"|[①-⑳]"
    r"|第[一二三四五六七八九十百\d]+[章节条部分]"
    r"|[•·●▪■◆-]\s)"
)


@dataclass
class _Line:
    text: str
    x0: float
    x1: float
    top: float
    height: float


def pdf_text(data: bytes, name: str) -> tuple[str, list[str]]:
    """The PDF's paragraphs and any warnings (pages that could not be read)."""
    try:
        pages, warnings = _read_pages(data, name)
        cut_short = False
    except TooLarge:
        raise
    except ReaderError as error:
        pages, warnings = _read_cut_short(data, name, error)
        cut_short = True
    if not any(line.text.strip() for page in pages for line in page):
        if warnings:
            raise ReaderError(f"{name}: a damaged PDF ({warnings[0]})")
        raise ReaderError(f"{name}: the PDF has no text layer (a scanned PDF?) — run OCR first")
    blank = sum(1 for page in pages if not page)
    if blank and not cut_short:  # a cut-short file's lost pages are blank too, and said so
        warnings.append(f"{name}: {blank} of {len(pages)} pages have no text layer (scanned?); "
                        f"their text is missing — run OCR on them")
    pages = _drop_running_lines(pages)
    return "\n".join(_paragraphs(pages)), warnings


def _read_pages(data: bytes, name: str) -> tuple[list[list[_Line]], list[str]]:
    pages: list[list[_Line]] = []
    warnings: list[str] = []
    started = time.monotonic()
    try:
        with bounded(name, TIME_BUDGET_SECONDS):
            for lines in page_lines(data, MAX_PAGES, lean=LEAN):
                pages.append(_ordered(lines))
                if time.monotonic() - started > TIME_BUDGET_SECONDS:
                    raise OutOfTime
            else:
                if len(pages) >= MAX_PAGES:
                    warnings.append(f"{name}: only the first {MAX_PAGES} pages were read")
    except OutOfTime:
        if not pages:
            raise TooLarge(f"{name}: refused: its first page took longer than {TIME_BUDGET_SECONDS:.0f} s",
                           f"处理超过 {TIME_BUDGET_SECONDS:.0f} 秒") from None
        warnings.append(f"{name}: stopped after {len(pages)} pages ({TIME_BUDGET_SECONDS:.0f} s)")
    except TooLarge:
        raise
    except Exception as error:  # pdfminer raises many types (PSEOF, PDFSyntaxError, KeyError…)
        message = _describe(error)
        if "password" in message.lower() or "encrypt" in message.lower():
            raise ReaderError(f"{name}: the PDF is password-protected") from None
        if not pages:
            raise ReaderError(f"{name}: a damaged PDF ({message})") from None
        warnings.append(f"{name}: the PDF is damaged after page {len(pages)}; the pages before it were read "
                        f"({message})")
    return pages, warnings


_CATALOG = re.compile(rb"(\d{1,10})\s+(\d{1,5})\s+obj\s*<<[^>]{0,300}?/Type\s*/Catalog\b")


def _read_cut_short(data: bytes, name: str, error: ReaderError) -> tuple[list[list[_Line]], list[str]]:
    """A download cut short loses the trailer at the end, and pdfminer finds no document.
    Its objects are still there: with a trailer naming the catalog, the complete pages read."""
    catalog = _CATALOG.search(data)
    if catalog is None or b"trailer" in data[-4096:]:
        raise error
    complete = data[: data.rfind(b"endobj") + len(b"endobj")]  # the half-written object goes
    trailer = b"\ntrailer\n<< /Root %s %s R >>\n%%%%EOF\n" % (catalog.group(1), catalog.group(2))
    try:
        pages, warnings = _read_pages(complete + trailer, name)
    except ReaderError:
        raise error from None
    if not any(page for page in pages):
        raise error
    return pages, [f"{name}: the PDF is cut short; only its complete pages were read", *warnings]


def _describe(error: Exception) -> str:
    text = str(error).strip().splitlines()
    return f"{type(error).__name__}: {text[0][:120]}" if text else type(error).__name__


def _ordered(lines: list[Line]) -> list[_Line]:
    """A page's lines top to bottom, left to right, page numbers dropped."""
    ordered = sorted((_Line(*line) for line in lines), key=lambda line: (-round(line.top), line.x0))
    return [line for line in ordered if not _PAGE_NUMBER.match(line.text)]


def _drop_running_lines(pages: list[list[_Line]]) -> list[list[_Line]]:
    """Drop a short line that stands at the top or bottom of at least half the pages
    (digits aside: "某市教育局 2024-3" and "某市教育局 2024-4" are one header)."""
    if len(pages) < 3:
        return pages
    counts: Counter[str] = Counter()
    for page in pages:
        edges = {_shape(line.text) for line in page[:2] + page[-2:] if len(line.text) <= 40}
        counts.update(edges)
    # A header stands once per page; a shape found all over the pages is content.
    everywhere = Counter(_shape(line.text) for page in pages for line in page)
    running = {shape for shape, count in counts.items()
               if count >= max(3, len(pages) // 2) and everywhere[shape] <= 1.5 * len(pages)}
    if not running:
        return pages
    return [[line for index, line in enumerate(page)
             if not ((index < 2 or index >= len(page) - 2) and _shape(line.text) in running)]
            for page in pages]


def _shape(text: str) -> str:
    return re.sub(r"\d+", "#", text.replace(" ", ""))


def _paragraphs(pages: list[list[_Line]]) -> list[str]:
    paragraphs: list[str] = []
    right = _right_margin(pages)
    lefts = [min((line.x0 for line in page), default=0.0) for page in pages]
    indents_paragraphs = _indents_paragraphs(pages, lefts, right)
    previous: _Line | None = None
    for page, left in zip(pages, lefts, strict=True):
        for line in page:
            if previous is not None and _continues(previous, right, line, left, indents_paragraphs):
                paragraphs[-1] = _glue(paragraphs[-1], line.text)
            else:
                paragraphs.append(line.text)
            previous = line
    return paragraphs


def _indents_paragraphs(pages: list[list[_Line]], lefts: list[float], right: float) -> bool:
    """Official documents indent each paragraph's first line by two characters; when this
    one does, a full line ending in 。 may still run on into an unindented next line. Lines
    after a short line certainly start paragraphs: most of them are indented, or few are."""
    starts = indented = 0
    previous: _Line | None = None
    for page, left in zip(pages, lefts, strict=True):
        for line in page:
            if previous is not None and previous.x1 < right - 1.5 * max(previous.height, 4.0):
                starts += 1
                indented += line.x0 > left + 1.2 * max(line.height, 4.0)
            previous = line
    return starts >= 1 and indented >= 0.5 * starts


def _right_margin(pages: list[list[_Line]]) -> float:
    """Where full lines end: a high percentile of the line ends over the whole document, so
    one line run into the margin (a long number, a URL) does not move it."""
    ends = sorted(line.x1 for page in pages for line in page)
    return ends[int(0.9 * (len(ends) - 1))] if ends else 0.0


def _continues(previous: _Line, right: float, line: _Line, left: float, indents_paragraphs: bool) -> bool:
    """True when `line` is the wrapped rest of `previous`'s paragraph."""
    char = max(previous.height, 4.0)
    runs_to_margin = previous.x1 >= right - 1.5 * char
    indented = line.x0 > left + 1.2 * char
    ends_sentence = not indents_paragraphs and previous.text.rstrip(_CLOSERS)[-1:] in _SENTENCE_END
    return (runs_to_margin and not indented and not ends_sentence
            and not _LIST_START.match(line.text))


def _glue(head: str, tail: str) -> str:
    """Chinese wraps anywhere and a number may be cut in two (203|5), so lines join without
    a space; only two Latin words broken at their space get it back."""
    if head[-1:].isascii() and head[-1:].isalpha() and tail[:1].isascii() and tail[:1].isalpha():
        return f"{head} {tail}"
    return head + tail

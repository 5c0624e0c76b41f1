"""An HTML page to text: visible content only, each block element on its own line.

Scripts, styles, the page's navigation, header, footer, side bars, forms and hidden
elements are dropped before any text is taken; what is left of the web furniture inside
the article (breadcrumbs, "上一篇") is the cleaning stage's job.
"""

from __future__ import annotations

import re

import lxml.html
from lxml import etree

from .decode import decode_text
from .errors import ReaderError
from .tables import task_table_lines

_DROPPED = ("script", "style", "nav", "header", "footer", "aside", "form", "noscript", "noframes",
            "iframe", "template", "select", "button", "head", "object", "embed", "svg", "canvas")
_BLOCKS = frozenset([
    "address", "article", "blockquote", "body", "caption", "center", "dd", "div", "dl", "dt", "figcaption",
    "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "li", "main", "ol", "p", "pre", "section", "table",
    "tbody", "td", "tfoot", "th", "thead", "title", "tr", "ul",
])
# class/id words of site furniture containers (<div class="breadcrumb">, id="footer").
_FURNITURE_NAME = re.compile(
    r"[\s_-](?:nav|navbar|menu|breadcrumbs?|crumbs?|footer|sidebar|share|toolbar|copyright|topbar)[\s_-]",
    re.IGNORECASE)
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.IGNORECASE)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
_SPACES = re.compile(r"[ \t\r\n\f\v]+")

# Declared charsets mapped to the decoder that reads every file labelled so (GB2312 pages
# routinely hold GBK characters; Big5 pages hold cp950 ones).
_CHARSET_ALIASES = {"gb2312": "gb18030", "gbk": "gb18030", "gb18030": "gb18030", "x-gbk": "gb18030",
                    "big5": "big5", "big5-hkscs": "big5hkscs", "cp950": "cp950", "utf8": "utf-8",
                    "utf-8": "utf-8"}


def html_text(data: bytes, name: str) -> tuple[str, str]:
    """The page's visible text, one block per line, and the encoding it was read with."""
    text, encoding = _decode(data, name)
    text = _XML_DECLARATION.sub("", text)
    try:
        root = lxml.html.document_fromstring(text)
    except (etree.ParserError, ValueError) as error:
        raise ReaderError(f"{name}: an HTML page that cannot be parsed ({error})") from None
    _drop_invisible(root)
    _read_task_tables(root)
    return _text_lines(root), encoding


def _read_task_tables(root: etree._Element) -> None:
    """A task table becomes its rows as numbered lines (tables.py); any other table stays cell by cell."""
    for table in reversed(list(root.iter("table"))):  # inner tables first: a layout table may hold one
        rows = [["".join(cell.itertext()) for cell in row.xpath("./td|./th")]
                for row in table.xpath("./tr|./thead/tr|./tbody/tr|./tfoot/tr")]
        lines = task_table_lines(rows)
        if lines is None or table.getparent() is None:
            continue
        replacement = etree.Element("div")
        for line in lines:
            etree.SubElement(replacement, "p").text = line
        replacement.tail = table.tail
        table.getparent().replace(table, replacement)


def _decode(data: bytes, name: str) -> tuple[str, str]:
    declared = _META_CHARSET.search(data[:4096])
    if declared and not data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        # Only Chinese and Unicode declarations are trusted: a page of Chinese text labelled
        # iso-8859-1 or windows-1252 decodes "successfully" to garbage.
        codec = _CHARSET_ALIASES.get(declared.group(1).decode("ascii").lower())
        if codec is not None:
            try:
                return data.decode(codec), "big5" if codec.startswith(("big5", "cp950")) else codec
            except UnicodeDecodeError:
                pass  # a wrong declaration is common: fall back to detection
    return decode_text(data, name)


def _drop_invisible(root: etree._Element) -> None:
    doomed = [element for element in root.iter() if isinstance(element.tag, str) and (
        (element.tag in _DROPPED and not _is_article_part(element))
        or _FURNITURE_NAME.search(f" {element.get('class', '')} {element.get('id', '')} ")
        or element.get("hidden") is not None
        or element.get("aria-hidden") == "true"
        or _HIDDEN_STYLE.search(element.get("style") or ""))]
    for element in doomed:
        if element.getparent() is not None:
            element.drop_tree()  # keeps the tail text, which belongs to the parent


def _is_article_part(element: etree._Element) -> bool:
    """An <article>'s own <header> holds its title; only the page's header/footer go."""
    return element.tag in ("header", "footer") and any(
        ancestor.tag in ("article", "main") for ancestor in element.iterancestors())


def _text_lines(root: etree._Element) -> str:
    lines: list[str] = []
    current: list[str] = []

    def flush():
        line = _SPACES.sub(" ", "".join(current)).strip()
        if line:
            lines.append(line)
        current.clear()

    for event, element in etree.iterwalk(root, events=("start", "end")):
        tag = element.tag if isinstance(element.tag, str) else None
        if event == "start":
            if tag in _BLOCKS:
                flush()
            if tag == "br":
                flush()
            if tag is not None and element.text:
                current.append(element.text)
        else:
            if tag in _BLOCKS:
                flush()
            if element.tail and element is not root:
                current.append(element.tail)
    flush()
    return "\n".join(lines)

"""A .docx to text: paragraphs in body order with Word's automatic list numbers written out.

python-docx does not show automatic numbering ("一、", "（一）", "1." that Word draws from
word/numbering.xml), yet those labels are the plan's structure, so the document is read
straight from its XML: each paragraph's numPr (or its style's) picks a list definition and
level, the per-level counters are kept the way Word keeps them, and the level's lvlText
("%1、", "（%2）") is filled in with each level's number format.

The zip is opened defensively: declared sizes and compression ratios are checked before
anything is inflated, and every member is read with a byte cap.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field

from lxml import etree

from .errors import ReaderError, TooLarge
from .tables import task_table_lines

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_W = f"{{{W}}}"

MAX_MEMBER_BYTES = 24 * 1024 * 1024  # document.xml of a 300-page plan is a few MB; lxml needs ~10x
MAX_TOTAL_BYTES = 64 * 1024 * 1024
MAX_RATIO = 200  # XML compresses ~10x; a ratio in the hundreds is a zip bomb
MAX_MEMBERS = 5000

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
                          remove_comments=True, remove_pis=True)

# Subtrees whose text is not the paragraph's visible text (deleted revisions, field codes,
# the fallback copy of drawings that mc:AlternateContent already gives once).
_SKIPPED = {f"{_W}del", f"{_W}instrText", f"{_W}delText", f"{{{MC}}}Fallback", f"{_W}pPr",
            f"{_W}rPr", f"{_W}footnoteReference", f"{_W}endnoteReference"}


def docx_text(data: bytes, name: str) -> str:
    """The document's paragraphs, one per line, numbering labels included."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise ReaderError(f"{name}: a damaged zip/.docx file ({error})") from None
    with archive:
        _check_sizes(archive, name)
        names = set(archive.namelist())
        if "word/document.xml" not in names:
            raise ReaderError(f"{name}: a zip archive, not a Word document (no word/document.xml)")
        document = _parse(archive, "word/document.xml", name)
        styles = _style_numbering(_parse(archive, "word/styles.xml", name)
                                  if "word/styles.xml" in names else None)
        numbering = Numbering(_parse(archive, "word/numbering.xml", name)
                              if "word/numbering.xml" in names else None, styles)
    body = document.find(f"{_W}body")
    if body is None:
        raise ReaderError(f"{name}: the Word document has no body")
    lines: list[str] = []
    for block in _blocks(body):
        tasks = task_table_lines(_table_rows(block)) if block.tag == f"{_W}tbl" else None
        if tasks is not None:
            lines += tasks
            continue
        for paragraph in _paragraphs([block]):
            text = _paragraph_text(paragraph)
            label = numbering.label(*_num_pr(paragraph, styles))  # an empty item still uses its number
            lines.append(_join_label(label, text) if text.strip() else "")
    return "\n".join(lines)


def _check_sizes(archive: zipfile.ZipFile, name: str) -> None:
    infos = archive.infolist()
    if len(infos) > MAX_MEMBERS:
        raise TooLarge(f"{name}: the .docx holds {len(infos)} files, far more than a document has",
                       f"{len(infos)} 个文件")
    total = 0
    for info in infos:
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > MAX_MEMBER_BYTES or total > MAX_TOTAL_BYTES or (
                ratio > MAX_RATIO and info.file_size > 1024 * 1024):
            raise TooLarge(f"{name}: refused: {info.filename} would inflate to {info.file_size // 2**20} MB "
                           f"(a zip bomb or a damaged .docx)", f"解压后 {info.file_size // 2**20} MB")


def _parse(archive: zipfile.ZipFile, member: str, name: str) -> etree._Element:
    try:
        with archive.open(member) as stream:
            raw = stream.read(MAX_MEMBER_BYTES + 1)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError, RuntimeError) as error:
        raise ReaderError(f"{name}: a damaged .docx ({member}: {error})") from None
    if len(raw) > MAX_MEMBER_BYTES:
        raise TooLarge(f"{name}: refused: {member} is larger than {MAX_MEMBER_BYTES // 2**20} MB",
                       f"解压后超过 {MAX_MEMBER_BYTES // 2**20} MB")
    try:
        root = etree.fromstring(raw, _PARSER)
    except etree.XMLSyntaxError as error:
        raise ReaderError(f"{name}: a damaged .docx ({member} is not well-formed XML: {error})") from None
    if root is None:
        raise ReaderError(f"{name}: a damaged .docx ({member} is empty)")
    return root


_WRAPPERS = frozenset(f"{_W}{tag}" for tag in ("sdt", "sdtContent", "customXml", "ins", "smartTag"))
_TABLE_PARTS = frozenset(f"{_W}{tag}" for tag in ("tbl", "tr", "tc"))


def _blocks(container: etree._Element):
    """The body's paragraphs and tables in reading order, through content controls and tracked insertions."""
    for child in container:
        if child.tag in _WRAPPERS:
            yield from _blocks(child)
        elif child.tag in (f"{_W}p", f"{_W}tbl"):
            yield child


def _table_rows(table: etree._Element) -> list[list[str]]:
    """Each row's cells, a cell's paragraphs joined (a merged cell's continuation is empty)."""
    return [["".join(_paragraph_text(p) for p in _paragraphs(cell)) for cell in row.iter(f"{_W}tc")
             if cell.getparent() is row or cell.getparent().tag in _WRAPPERS]
            for row in table.iter(f"{_W}tr") if row.getparent() is table or row.getparent().tag in _WRAPPERS]


def _paragraphs(container):
    """Paragraphs in reading order: body paragraphs, table cells row by row, content controls."""
    for child in container:
        tag = child.tag
        if tag == f"{_W}p":
            yield child
        elif tag in _WRAPPERS or tag in _TABLE_PARTS:
            yield from _paragraphs(child)


def _paragraph_text(paragraph: etree._Element) -> str:
    parts: list[str] = []
    _collect(paragraph, parts)
    return "".join(parts)


def _collect(element: etree._Element, parts: list[str]) -> None:
    for child in element:
        tag = child.tag
        if not isinstance(tag, str) or tag in _SKIPPED:
            continue
        if tag == f"{_W}t":
            parts.append(child.text or "")
        elif tag == f"{_W}tab":
            parts.append("\t")
        elif tag in (f"{_W}br", f"{_W}cr"):
            parts.append("\n")
        elif tag == f"{_W}noBreakHyphen":
            parts.append("-")
        elif tag == f"{_W}p":  # a text box's own paragraphs
            parts.append("\n")
            _collect(child, parts)
        else:
            _collect(child, parts)


def _join_label(label: str, text: str) -> str:
    if not label:
        return text
    text = text.lstrip()
    separator = " " if label[-1].isalnum() and text[:1].isascii() else ""
    return label + separator + text


# ---- numbering -------------------------------------------------------------------------------

def _attr(element: etree._Element | None, child: str, default: str | None = None) -> str | None:
    if element is None:
        return default
    found = element.find(f"{_W}{child}")
    if found is None:
        return default
    return found.get(f"{_W}val", default)


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


def _num_pr(paragraph: etree._Element, styles: dict[str, tuple[str | None, str | None]]) -> tuple[str | None, int]:
    """(numId, ilvl) from the paragraph's own numPr or from its style chain."""
    ppr = paragraph.find(f"{_W}pPr")
    num_pr = ppr.find(f"{_W}numPr") if ppr is not None else None
    num_id = _attr(num_pr, "numId")
    ilvl = _attr(num_pr, "ilvl")
    if num_id is None:
        style_id = _attr(ppr, "pStyle")
        if style_id in styles:
            num_id, style_ilvl = styles[style_id]
            ilvl = ilvl if ilvl is not None else style_ilvl
    return num_id, _int(ilvl, 0)


def _style_numbering(styles: etree._Element | None) -> dict[str, tuple[str | None, str | None]]:
    """styleId → (numId, ilvl) for paragraph styles that carry numbering, basedOn followed."""
    if styles is None:
        return {}
    own: dict[str, tuple[str | None, str | None]] = {}
    based_on: dict[str, str] = {}
    for style in styles.iter(f"{_W}style"):
        style_id = style.get(f"{_W}styleId")
        if not style_id:
            continue
        parent = _attr(style, "basedOn")
        if parent:
            based_on[style_id] = parent
        num_pr = style.find(f"{_W}pPr/{_W}numPr")
        if num_pr is not None:
            own[style_id] = (_attr(num_pr, "numId"), _attr(num_pr, "ilvl"))
    resolved: dict[str, tuple[str | None, str | None]] = {}
    for style_id in set(own) | set(based_on):
        seen, current = set(), style_id
        while current and current not in own and current not in seen:
            seen.add(current)
            current = based_on.get(current)
        if current in own:
            resolved[style_id] = own[current]
    return resolved


@dataclass
class Level:
    fmt: str = "decimal"
    text: str = "%1."
    start: int = 1
    legal: bool = False


@dataclass
class Numbering:
    """Word's list definitions and the running counters of each list."""

    root: etree._Element | None
    styles: dict[str, tuple[str | None, str | None]] = field(default_factory=dict)
    abstract: dict[str, dict[int, Level]] = field(default_factory=dict)
    nums: dict[str, tuple[str, dict[int, int], dict[int, Level]]] = field(default_factory=dict)
    counters: dict[str, dict[int, int]] = field(default_factory=dict)

    def __post_init__(self):
        if self.root is None:
            return
        style_links: dict[str, str] = {}
        for abstract in self.root.iter(f"{_W}abstractNum"):
            abstract_id = abstract.get(f"{_W}abstractNumId")
            self.abstract[abstract_id] = _levels(abstract)
            link = _attr(abstract, "numStyleLink")
            if link and not self.abstract[abstract_id]:
                style_links[abstract_id] = link
        for num in self.root.iter(f"{_W}num"):
            abstract_id = _attr(num, "abstractNumId")
            starts: dict[int, int] = {}
            levels: dict[int, Level] = {}
            for override in num.iter(f"{_W}lvlOverride"):
                ilvl = _int(override.get(f"{_W}ilvl"), 0)
                start = _attr(override, "startOverride")
                if start is not None:
                    starts[ilvl] = _int(start, 1)
                lvl = override.find(f"{_W}lvl")
                if lvl is not None:
                    levels[ilvl] = _level(lvl)
            self.nums[num.get(f"{_W}numId")] = (abstract_id, starts, levels)
        # A list built on a list style (numStyleLink) takes its levels from the definition
        # the style's own numbering points to.
        for abstract_id, style_id in style_links.items():
            linked_num = self.styles.get(style_id, (None, None))[0]
            if linked_num in self.nums:
                self.abstract[abstract_id] = self.abstract.get(self.nums[linked_num][0], {})

    def label(self, num_id: str | None, ilvl: int) -> str:
        if num_id is None or num_id == "0" or num_id not in self.nums:
            return ""
        abstract_id, starts, overrides = self.nums[num_id]
        levels = {**self.abstract.get(abstract_id, {}), **overrides}
        if ilvl not in levels:
            return ""
        # Lists sharing an abstract definition continue each other unless one restarts.
        key = f"num:{num_id}" if starts or overrides else f"abstract:{abstract_id}"
        counters = self.counters.setdefault(key, {})
        level = levels[ilvl]
        if ilvl in counters:
            counters[ilvl] += 1
        else:
            counters[ilvl] = starts.get(ilvl, level.start)
        for deeper in [lvl for lvl in counters if lvl > ilvl]:
            del counters[deeper]  # a higher level restarts the levels below it
        if level.fmt in ("bullet", "none"):
            return ""
        return _fill(level, levels, counters, starts)


def _levels(abstract: etree._Element) -> dict[int, Level]:
    return {_int(lvl.get(f"{_W}ilvl"), 0): _level(lvl) for lvl in abstract.findall(f"{_W}lvl")}


def _level(lvl: etree._Element) -> Level:
    return Level(fmt=_attr(lvl, "numFmt", "decimal") or "decimal",
                 text=_attr(lvl, "lvlText", "") or "",
                 start=_int(_attr(lvl, "start"), 1),
                 legal=lvl.find(f"{_W}isLgl") is not None)


def _fill(level: Level, levels: dict[int, Level], counters: dict[int, int], starts: dict[int, int]) -> str:
    out = level.text
    for index in range(9, 0, -1):  # %10 does not exist; go high to low so %1 never eats %1x
        placeholder = f"%{index}"
        if placeholder not in out:
            continue
        source = levels.get(index - 1, Level())
        value = counters.get(index - 1, starts.get(index - 1, source.start))
        fmt = "decimal" if level.legal else source.fmt  # isLgl: every number in Arabic digits
        out = out.replace(placeholder, format_number(value, fmt))
    return out


# ---- number formats --------------------------------------------------------------------------

_CN_DIGITS = "〇一二三四五六七八九"
_HEAVENLY_STEMS = "甲乙丙丁戊己庚辛壬癸"
_EARTHLY_BRANCHES = "子丑寅卯辰巳午未申酉戌亥"
_ROMAN = ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
          (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"))


def format_number(value: int, fmt: str) -> str:
    """Render a list counter the way Word does for the formats Chinese documents use."""
    if fmt in ("chineseCounting", "chineseCountingThousand", "japaneseCounting", "taiwaneseCounting",
               "chineseLegalSimplified", "taiwaneseCountingThousand", "koreanCounting"):
        return chinese_counting(value)
    if fmt == "ideographDigital" or fmt == "taiwaneseDigital":
        return "".join(_CN_DIGITS[int(d)] for d in str(value))
    if fmt == "ideographTraditional":
        return _HEAVENLY_STEMS[(value - 1) % 10]
    if fmt == "ideographZodiac":
        return _EARTHLY_BRANCHES[(value - 1) % 12]
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese"):
        return chr(0x2460 + value - 1) if 1 <= value <= 20 else str(value)
    if fmt in ("decimalEnclosedParen",):
        return f"({value})"
    if fmt in ("decimalEnclosedFullstop",):
        return f"{value}."
    if fmt in ("lowerLetter", "upperLetter"):
        letter = chr(ord("a") + (value - 1) % 26) * ((value - 1) // 26 + 1) if value > 0 else str(value)
        return letter.upper() if fmt == "upperLetter" else letter
    if fmt in ("lowerRoman", "upperRoman"):
        roman = _roman(value)
        return roman.upper() if fmt == "upperRoman" else roman
    if fmt == "decimalZero":
        return f"{value:02d}"
    return str(value)  # decimal, decimalFullWidth, decimalHalfWidth and anything unknown


def chinese_counting(value: int) -> str:
    """一, 十, 十一, 二十, 一百零一, 一千零二十 — the counting style of 一、 headings."""
    if value <= 0:
        return _CN_DIGITS[0] if value == 0 else str(value)
    if value >= 100000:
        return str(value)
    units = ((10000, "万"), (1000, "千"), (100, "百"), (10, "十"))
    out, rest, pending_zero = "", value, False
    for size, name in units:
        digit, rest = divmod(rest, size)
        if digit:
            if pending_zero:
                out += "零"
            out += _CN_DIGITS[digit] + name
            pending_zero = False
        elif out:
            pending_zero = True
    if rest:
        if pending_zero:
            out += "零"
        out += _CN_DIGITS[rest]
    if 10 <= value < 20:
        out = out[1:]  # 十一, not 一十一
    return out


def _roman(value: int) -> str:
    if value <= 0 or value >= 4000:
        return str(value)
    out = ""
    for size, letters in _ROMAN:
        while value >= size:
            out += letters
            value -= size
    return out


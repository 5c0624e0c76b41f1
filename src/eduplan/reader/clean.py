"""Plain text to clean, simplified-script lines: web furniture and preview junk removed.

The steps, in order: stray HTML tags and entities go; full-width digits, letters and
brackets become half-width and odd spaces plain ones; the text is converted to simplified
script (OpenCC t2s); spaces inside Chinese runs go; spam tokens glued into titles and
sentences (domains, gambling brands) and footnote marks are cut out; junk lines
(navigation menus, breadcrumbs, source/time lines, prev/next links, download prompts,
copyright lines, spam) are dropped; the bare page numbers of a document-preview page
("2、" cutting a sentence) are removed and the sentence joined again.

The junk vocabulary lives in data/junk.tsv; this module holds only general rules. Every
pattern is linear (no nested quantifiers), so clean() runs at several MB per second.
"""

from __future__ import annotations

import html
import operator
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

__all__ = ["CleanText", "clean", "to_simplified"]


@dataclass
class CleanText:
    lines: list[str]
    script: str  # simplified | traditional (what the source used)


# A share of Han characters t2s changes above which the source is traditional script: a
# simplified text loses well under 1% to variant forms, a traditional one 15-30%.
TRADITIONAL_SHARE = 0.05
SCRIPT_SAMPLE = 50_000  # characters enough to judge the script


def clean(text: str) -> CleanText:
    text = _normalise_chars(_strip_markup(text))
    simplified = to_simplified(text)
    # A short text is its own sample, converted already.
    share = _changed_share(text[:SCRIPT_SAMPLE], simplified if len(text) <= SCRIPT_SAMPLE else None)
    script = "traditional" if share >= TRADITIONAL_SHARE else "simplified"
    text = _SPACE_RUN_ANY.sub(_space_in_chinese, simplified)
    if "??" in text:
        text = _MOJIBAKE_MARKS.sub("", text)
    text = _junk().tokens.sub("", text)
    lines = [_SPACE_RUN.sub(" ", line).strip() for line in text.split("\n")]
    lines = [_file_name(line) for line in lines if line and not _is_symbols_only(line)]
    lines = _drop_junk_lines(lines)
    lines = _drop_menu_runs(lines)
    lines = _join_preview_fragments(lines)
    lines = [line for line in lines if not is_contents_line(line)]
    lines = _drop_repeated_head_blocks(lines)
    return CleanText(lines, script)


# ---- characters ------------------------------------------------------------------------------

def _char_map() -> dict[int, int | str | None]:
    table: dict[int, int | str | None] = {}
    for code in range(0xFF01, 0xFF5F):  # full-width ASCII forms
        char = chr(code - 0xFEE0)
        if char.isalnum() or char in "%()":
            table[code] = char
    for space in "\u3000\u00a0\u2002\u2003\u2009\u200a\u202f\u205f\t":
        table[ord(space)] = " "
    for gone in "\ufffd\u200b\u200c\u200d\u2060\ufeff\u00ad\x00":
        table[ord(gone)] = None
    for code in [*range(0x01, 0x09), *range(0x0E, 0x20), *range(0x7F, 0xA0), *range(0xE000, 0xF900)]:
        table[code] = None  # control characters and private-use glyphs (garbled fonts)
    table[ord("\r")] = "\n"
    for separator in "\u2028\u2029\x85\x0b\x0c\x1c\x1d\x1e":
        table[ord(separator)] = "\n"
    return table


_CHAR_MAP = _char_map()


def _char_class(codes) -> str:
    """A regex character class of the code points, consecutive ones as ranges."""
    ranges: list[list[int]] = []
    for code in sorted(codes):
        if ranges and code == ranges[-1][1] + 1:
            ranges[-1][1] = code
        else:
            ranges.append([code, code])
    return "[" + "".join(re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}"
                         for a, b in ranges) + "]+"


# str.translate looks every character up in the map; the few that need it are found by a regex instead.
_MAPPED_RUN = re.compile(_char_class(_CHAR_MAP))


def _normalise_chars(text: str) -> str:
    return _MAPPED_RUN.sub(lambda run: run.group().translate(_CHAR_MAP), text)


_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9:-]{0,30}(?:\s[^<>]{0,500})?/?>|<!--.{0,2000}?-->|<!\w[^<>]{0,200}>")
_ENTITY = re.compile(r"&(?:#\d{1,7}|#x[0-9A-Fa-f]{1,6}|[A-Za-z]{2,8});")
# A run of spaces with a Chinese (non-ASCII) character on either side goes; the search starts at
# the space itself, so the rest of the text costs nothing.
_SPACE_RUN_ANY = re.compile(r" +")
_SPACE_RUN = re.compile(r" {2,}")
# "??" beside Chinese is what is left of characters a converter could not encode.
_MOJIBAKE_MARKS = re.compile(r"(?<=[^\x00-\x7f])\?{2,}|(?<!\?)\?{2,}(?=[^\x00-\x7f])")
_SYMBOLS_ONLY = re.compile(r"^[\W_]*$")
# A line that is only a file name ("XX市2023年工作要点.docx") names the document: keep the name.
_FILE_NAME = re.compile(r"^([^/\\]{2,80}?)\.(?:docx?|pdf|wps|txt|pptx?)$", re.IGNORECASE)


def _strip_markup(text: str) -> str:
    if "<" in text:
        text = _TAG.sub("", text)
    if "&" in text:
        text = _ENTITY.sub(lambda match: html.unescape(match.group()), text)
    return text


def _space_in_chinese(run: re.Match[str]) -> str:
    text, start, end = run.string, run.start(), run.end()
    if (start and text[start - 1] > "\x7f") or (end < len(text) and text[end] > "\x7f"):
        return ""
    return run.group()


def _file_name(line: str) -> str:
    named = _FILE_NAME.match(line)
    return named.group(1) if named else line


def _is_symbols_only(line: str) -> bool:
    return bool(_SYMBOLS_ONLY.match(line))


@cache
def _converter():
    import opencc

    # "t2s" only: "tw2sp" also rewrites Taiwanese phrasing (新增 → 添加), which alters quotes.
    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    return _converter().convert(text) if text else text


def _changed_share(before: str, after: str | None = None) -> float:
    """The share of Han characters t2s changes in `before` (`after`: its conversion, if made already)."""
    after = to_simplified(before) if after is None else after
    if before == after:
        return 0.0
    han = _han_count(before)
    if not han:
        return 0.0
    if len(before) == len(after):
        changed = sum(map(operator.ne, before, after))
    else:  # a phrase conversion changed the length: count characters that are not shared
        changed = abs(_han_count(after) - han) + len(set(before) - set(after))
    return changed / han


_HAN_RUN = re.compile(r"[\u4e00-\u9fff]+")


def _han_count(text: str) -> int:
    return sum(map(len, _HAN_RUN.findall(text)))


# ---- junk lines ------------------------------------------------------------------------------

@dataclass
class _Junk:
    drop: _AnyOf
    furniture: _AnyOf
    spam: re.Pattern
    tokens: re.Pattern


@cache
def _junk() -> _Junk:
    rows: dict[str, list[str]] = {"drop": [], "furniture": [], "spam": [], "token": []}
    text = resources.files(__package__).joinpath("data/junk.tsv").read_text(encoding="utf-8")
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        kind, pattern, _what = line.split("\t")
        if kind in rows:
            rows[kind].append(_scoped(pattern))
    spam = "|".join(f"(?P<s{index}>{pattern})" for index, pattern in enumerate(rows["spam"]))
    return _Junk(_AnyOf(rows["drop"]), _AnyOf(rows["furniture"]),
                 re.compile(spam), re.compile("|".join(f"(?:{p})" for p in rows["token"])))


class _AnyOf:
    """Rows searched one by one: each row compiled alone lets the engine scan for its first
    character, which one alternation of dozens of rows cannot (it tries every row everywhere)."""

    def __init__(self, patterns: list[str]):
        self.patterns = [re.compile(pattern) for pattern in patterns]

    def search(self, line: str) -> bool:
        return any(pattern.search(line) for pattern in self.patterns)

def _scoped(pattern: str) -> str:
    """A leading (?i) applies to that row only once rows are joined into one alternation."""
    return f"(?i:{pattern[4:]})" if pattern.startswith("(?i)") else pattern


_SENTENCE_PUNCTUATION = re.compile(r"[。；;！？!?]|[，,].{8}")


def reads_as_sentence(line: str) -> bool:
    """A line of prose (a plan's sentence), as opposed to a label, menu or metadata line."""
    return len(line) >= 16 and bool(_SENTENCE_PUNCTUATION.search(line))


def _drop_junk_lines(lines: list[str]) -> list[str]:
    junk = _junk()
    kept = []
    for line in lines:
        bare = _BULLET.sub("", line)
        if junk.drop.search(bare):
            continue
        sentence = reads_as_sentence(bare)
        if (not sentence and len(bare) <= 100 and not _MARKER_START.match(bare)
                and junk.furniture.search(bare)):
            continue
        # Spam titles are strings of keywords without sentence punctuation; prose is not
        # searched, which also keeps the many-branch spam pattern off most of the text.
        if not sentence and _spam_hits(junk.spam, line) >= 2:
            continue
        kept.append(line)
    return kept


def _spam_hits(spam: re.Pattern, line: str) -> int:
    return len({match.lastgroup for match in spam.finditer(line)})


# ---- navigation menus ------------------------------------------------------------------------

_BULLET = re.compile(r"^[•·●▪◦■□◆◇▶►>»\-*|]+\s*")
_MARKER_START = re.compile(r"^(?:[一二三四五六七八九十]+[、.]|\(|\d|第[一二三四五六七八九十\d]+[章节条部分])")
_DATE_OR_ISSUER = re.compile(r"\d{4}年|\d{1,2}月\d{1,2}日|(?:局|厅|委|委员会|政府|办公室|中心)$")
_MENU_SEPARATORS = re.compile(r"\s*[|｜]\s*|\s{2,}")
MENU_ENTRY_MAX = 10  # characters in one entry of a site menu
MENU_RUN_MIN = 4  # consecutive short lines that make a menu rather than headings


def _is_menu_entry(line: str) -> bool:
    bare = _BULLET.sub("", line)
    return (0 < len(bare) <= MENU_ENTRY_MAX and not _MARKER_START.match(bare)
            and not _DATE_OR_ISSUER.search(bare) and not any(c in bare for c in "。，；：,;:？！?!"))


def _is_menu_line(line: str) -> bool:
    """One line of menu entries: 首页 | 新闻 | 政务公开."""
    parts = [part for part in _MENU_SEPARATORS.split(line) if part]
    return len(parts) >= 3 and all(_is_menu_entry(part) for part in parts)


def _drop_menu_runs(lines: list[str]) -> list[str]:
    """Menus stand above the article or below it: a run of short label lines there is
    dropped. Between the first and the last sentence short lines are the document's own
    (table cells, headings) and stay."""
    sentences = [index for index, line in enumerate(lines) if reads_as_sentence(line)]
    first, last = (sentences[0], sentences[-1]) if sentences else (len(lines), -1)
    kept: list[str] = []
    run: list[str] = []
    bulleted = 0
    for index, line in enumerate([*lines, None]):
        if line is not None and _is_menu_entry(line):
            run.append(line)
            bulleted += bool(_BULLET.match(line))
            continue
        outside = index <= first or index - len(run) > last
        # A run of short label lines is a menu; bullets make two enough.
        if not outside or (len(run) < MENU_RUN_MIN and not (len(run) >= 2 and bulleted == len(run))):
            kept.extend(run)
        run, bulleted = [], 0
        if line is not None and not ((index < first or index > last) and _is_menu_line(line)):
            kept.append(line)
    return kept


# ---- document-preview fragments --------------------------------------------------------------

_BARE_NUMBER = re.compile(r"^(\d{1,3})、(?=\S)")
_SENTENCE_END = "。！？!?；;…”」』"
_INLINE_HEADING = re.compile(r"[。；;]\s*(?:[一二三四五六七八九十]{1,3}、|\([一二三四五六七八九十]{1,3}\))")
_FIRST_CLAUSE = re.compile(r"[。；;！？!?]")
PREVIEW_RUN_MIN = 3
TITLE_CLAUSE_MAX = 40  # a real list item opens with a short title sentence


def _join_preview_fragments(lines: list[str]) -> list[str]:
    """A preview page shows each page's excerpt after a bare "N、": the numbers run 1, 2, 3…
    line after line and cut sentences. Such a run loses its numbers and is joined again."""
    out: list[str] = []
    index = 0
    while index < len(lines):
        run = _numbered_run(lines, index)
        if len(run) >= PREVIEW_RUN_MIN and _looks_like_preview(run):
            out.append("".join(_BARE_NUMBER.sub("", line, count=1) for line in run))
        else:
            out.extend(run or lines[index:index + 1])  # a real list is passed over whole: linear time
        index += max(len(run), 1)
    return out


def _numbered_run(lines: list[str], start: int) -> list[str]:
    first = _BARE_NUMBER.match(lines[start])
    if not first:
        return []
    run, expected, index = [], int(first.group(1)), start
    while index < len(lines):
        match = _BARE_NUMBER.match(lines[index])
        if not match or int(match.group(1)) != expected:
            break
        run.append(lines[index])
        expected += 1
        index += 1
    return run


def _looks_like_preview(run: list[str]) -> bool:
    texts = [_BARE_NUMBER.sub("", line, count=1) for line in run]
    count = len(texts)
    cut = sum(1 for text in texts if text[-1] not in _SENTENCE_END) / count
    long_opening = sum(1 for text in texts if _first_clause_length(text) > TITLE_CLAUSE_MAX) / count
    inline_headings = sum(1 for text in texts if _INLINE_HEADING.search(text)) / count
    mean_length = sum(len(text) for text in texts) / count
    return cut >= 0.5 and mean_length >= 50 and (long_opening >= 0.5 or inline_headings >= 0.25)


def _first_clause_length(text: str) -> int:
    match = _FIRST_CLAUSE.search(text)
    return match.start() if match else len(text)


# ---- tables of contents and repeated blocks --------------------------------------------------

# A table of contents' leader and page number: ……1, ......12, ---3. Headings lie between them.
_LEADER_PAGE = re.compile(r"(?:…+|[.·．]{3,}|-{3,})\s*\d{1,3}\s*")
_CONTENTS_TITLE = re.compile(r"^目\s*录\s*")
_LEADER_HINT = re.compile(r"(?=[….·．-])(?:…|[.·．]{3}|-{3})")  # the look-ahead: a line fails at once
_HEADING_MAX = 60
_NOT_IN_HEADING = re.compile(r"[。；;]")


def is_contents_line(line: str) -> bool:
    """A table of contents' line ("一、现实基础和发展形势……1", or several run together) or its
    heading 目录: the outline it repeats follows as the body. Read leader by leader, in one pass."""
    if not line.startswith("目") and not _LEADER_HINT.search(line):
        return False
    title = _CONTENTS_TITLE.match(line)
    position = title.end() if title else 0
    if position == len(line.rstrip()):
        return title is not None
    entries = 0
    for leader in _LEADER_PAGE.finditer(line, position):
        heading = line[position:leader.start()]
        if not 0 < len(heading.strip()) <= _HEADING_MAX or _NOT_IN_HEADING.search(heading):
            return False
        entries += 1
        position = leader.end()
    return entries > 0 and position == len(line)


# A page's abstract (摘要, 导读) repeats the body's opening paragraphs above it, often cut off
# with an ellipsis. Only the page head is looked at: that is where a site puts it, and it
# keeps the check linear in the length of the text.
HEAD_LINES = 40
REPEAT_MIN = 30  # characters a line needs before it can be called a repeat
_NOT_WORDS = re.compile(r"[\W_]+")
_ELLIPSIS_END = re.compile(r"(?:\.{2,}|…+)$")


@cache
def _abstract_label() -> re.Pattern[str]:
    text = resources.files(__package__).joinpath("data/junk.tsv").read_text(encoding="utf-8")
    rows = [line.split("\t")[1] for line in text.splitlines() if line.startswith("abstract\t")]
    return re.compile("|".join(f"(?:{row})" for row in rows) or r"(?!)")


def _head_words(line: str, line_words: str) -> str:
    """A head line's words without an abstract label or a closing ellipsis (most lines have neither)."""
    stripped = _abstract_label().sub("", line, count=1)
    if stripped.endswith((".", "…")):
        stripped = _ELLIPSIS_END.sub("", stripped)
    return line_words if stripped == line else _NOT_WORDS.sub("", stripped)


def _drop_repeated_head_blocks(lines: list[str]) -> list[str]:
    """Drop a line near the top whose words all recur later in the text, in order."""
    words = [_NOT_WORDS.sub("", line) for line in lines]
    bare = [_head_words(line, line_words) for line, line_words in zip(lines[:HEAD_LINES], words[:HEAD_LINES], strict=True)]
    if not any(len(text) >= REPEAT_MIN for text in bare):
        return lines
    text, ends, end = "".join(words), [], 0
    for line_words in words[:HEAD_LINES]:
        end += len(line_words)
        ends.append(end)
    kept = [line for index, line in enumerate(lines[:HEAD_LINES])
            if len(bare[index]) < REPEAT_MIN or text.find(bare[index], ends[index]) == -1]
    return kept + lines[HEAD_LINES:]

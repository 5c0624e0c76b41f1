"""Clean lines to documents: title, year, kind, preamble and the numbered item tree.

Markers are found by `markers.candidates` and accepted here only when they continue a
numbering sequence, which is what tells 2.5万, 2020. or a preview page's "2、" from a list:

* a style already open in the current branch takes the next number of its sibling list
  (a new style below it is closed first), so a section's return to (二) or 二、 is a sibling;
* a style not open in the branch nests under the deepest open item and must start a new
  list at 1, or run on from the last number of that style (tasks 1-84 across sections).

A marker inside a run of text counts only after a sentence ends (。；) or right after a
heading that has no full stop yet ("三、…行动(七)推进…"), the shape of flattened web text.

Documents: a title line (docinfo.match_title) starts one once the current document has
items; before that it replaces the page's own heading. A numbered heading naming another
year's plan or summary ("二、2021年工作要点"), or 一、 starting over at the top, starts one
too. Text before the first item is the preamble; page furniture without items is dropped.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field

from . import docinfo
from .markers import Candidate, candidates
from .model import Document, Item

_SENTENCE_END = "。；;！？!?"
_TERMINAL = _SENTENCE_END + "：:”’」』)）》…"
# A run this short with no sentence end is a heading, after which a marker may follow directly.
_HEADING_MAX = 60
# A line this long that stops mid-sentence was cut by a page break, not ended by a heading.
_FRAGMENT_MIN = 60
_DIGIT_STYLES = ("digit", "digit_paren", "digit_half_paren")
# "第二部分 2021年工作要点": a page's part heading, which may name a document.
_PART = re.compile(r"^第[一二三四五六七八九十]{1,2}部分[、:：.\s]*")
# Official documents (GB/T 9704) order levels 一、 (一) 1. (1); only the first is fixed here.
_TOP_STYLES = ("cn",)
_FOOTNOTE_AT_END = re.compile(r"(?:\[\d{1,3}\]|\s)+$")


@dataclass
class _Node:
    item: Item
    style: str
    parts: list[str] = field(default_factory=list)
    length: int = 0  # characters in parts, so a heading test never joins a long text

    def add(self, text: str, new_line: bool) -> None:
        before = len(self.parts)
        _add_text(self.parts, text, new_line)
        self.length += sum(len(part) for part in self.parts[before:])


def _add_text(parts: list[str], text: str, new_line: bool) -> None:
    if not text:
        return
    if new_line and parts and not _runs_on(parts[-1]):
        parts.append("\n")
    parts.append(text)


def _runs_on(previous: str) -> bool:
    """Does the next line continue this one's sentence (a line broken mid-sentence)?"""
    previous = previous.rstrip()
    if not previous or previous[-1] in _TERMINAL:
        return False
    # A short run without a full stop is a heading; a new line after it is a new paragraph.
    return "。" in previous or len(previous) >= _HEADING_MAX


class _DocumentBuilder:
    def __init__(self, title: docinfo.TitleLine | None = None, numbered: bool = False):
        self.title = title
        self.numbered = numbered  # opened by a numbered heading naming it ("一、2020年工作总结")
        self.byline: list[str] = []
        self.preamble: list[str] = []
        self.roots: list[_Node] = []
        self.stack: list[_Node] = []  # the open branch, top level first
        self.last_number: dict[str, int] = {}
        self.problem_parts: list[str] = []
        self.in_problems = False
        self.previous_line = ""
        self.nodes: list[_Node] = []  # every item, in document order
        self.signature: str | None = None  # the issuer named under the text

    @property
    def has_items(self) -> bool:
        return bool(self.roots)

    @property
    def is_numbered_text(self) -> bool:
        """Opened by a numbered heading naming it ("一、2025年工作总结") and holding only text."""
        return self.numbered and self.title is not None and any(p.strip() for p in self.preamble)

    @property
    def kind(self) -> str:
        return docinfo.kind_of(self.title.title if self.title else None)

    @property
    def is_summary(self) -> bool:
        return self.kind == "summary"

    @property
    def year(self) -> int | None:
        return (self.title.year if self.title else None) or docinfo.covered_year("".join(self.preamble))

    # -- lines -------------------------------------------------------------------------

    def restarts_sections(self, line: str) -> bool:
        """Does this line open a second "一、" list at the top, after 一、二、…? Numbering
        of the top level never restarts inside one document: a new one begins."""
        found = candidates(line[:12])
        if not found or found[0].position != "line_start" or found[0].style not in _TOP_STYLES:
            return False
        return (found[0].number == 1 and bool(self.stack) and self.stack[0].style == found[0].style
                and self.stack[0].item.number >= 2)

    def continues_list(self, line: str) -> bool:
        """Does the line open the next item of a list under way ("3.认真做好2031年工作总结")? Then it
        is that item, never a document's title, whatever kind phrase it ends with."""
        if not self.has_items:
            return False
        found = candidates(line[:12])
        return (bool(found) and found[0].position == "line_start" and found[0].number > 1
                and self._continues_numbering(found[0]))

    def take_trailing_preamble(self) -> list[str]:
        """The paragraphs at the end of this document that open the next one ("2021年是…"),
        taken out of the last item's text (or the problems list they ran into)."""
        if self.in_problems:
            self.problem_parts, moved = _split_off_preamble(self.problem_parts)
        elif self.nodes:
            node = self.nodes[-1]
            node.parts, moved = _split_off_preamble(node.parts)
            node.length = sum(len(part) for part in node.parts)
        else:
            return []
        return moved

    def feed(self, line: str) -> None:
        if not self.has_items and not self.preamble and docinfo.is_byline(line):
            self.byline.append(line)
            return
        if docinfo.is_date_line(line):
            return  # the date under a title or a signature
        if self.has_items and (issuer := docinfo.signature_issuer(line)):
            self.signature = issuer
            return
        found = candidates(line)
        position = 0
        if found and found[0].position == "line_start" and self._is_page_fragment(found[0]):
            position, found = found[0].end, found[1:]  # drop the preview's page number
        starts_item = bool(found) and found[0].start == position and self._acceptable(found[0], line, position)
        if self.is_summary and not starts_item and self._opens_problems(line[position:]):
            self.previous_line = line
            return
        new_line = True
        refused: dict[str, int] = {}  # per style, the last number refused in this line
        for candidate in found:
            # A list refused once in a line stays refused: after a rejected "(1)" in a
            # sentence, "；(2)" does not continue some earlier (1) list.
            continues_refused = refused.get(candidate.style) == candidate.number - 1
            if continues_refused or not self._acceptable(candidate, line, position):
                refused[candidate.style] = candidate.number
                continue
            self._add(line[position:candidate.start], new_line)
            self._open(candidate)
            position, new_line = candidate.end, False
        self._add(line[position:], new_line)
        self.previous_line = line

    def _opens_problems(self, line: str) -> bool:
        end = docinfo.problem_list_start(line)
        if end is None:
            return False
        self.in_problems = True
        _add_text(self.problem_parts, line[end:], True)
        return True

    def _add(self, text: str, new_line: bool) -> None:
        if self.in_problems:
            _add_text(self.problem_parts, text, True)
        elif self.stack:
            self.stack[-1].add(text, new_line)
        else:
            _add_text(self.preamble, text, new_line)

    # -- markers -----------------------------------------------------------------------

    def _acceptable(self, candidate: Candidate, line: str, position: int) -> bool:
        """Would this candidate open an item, given the text since the last one (from
        `position` in the line)?"""
        if candidate.position == "in_run" and not self._in_heading(line, position, candidate.start):
            return False
        return self._continues_numbering(candidate)

    def _continues_numbering(self, candidate: Candidate) -> bool:
        depth = self._open_depth(candidate.style)
        if depth is not None:
            previous = self.stack[depth].item.number
            allowed = {previous + 1}
            if candidate.position == "line_start":
                allowed |= {previous, previous + 2}  # a doubled or skipped number in the source
            return candidate.number in allowed
        if self.in_problems:
            return False  # a list under a problems heading is the problems, not items
        last = self.last_number.get(candidate.style)
        return candidate.number == 1 or (last is not None and candidate.number == last + 1)

    def _in_heading(self, line: str, position: int, start: int) -> bool:
        """Is the text since the open item's marker still a heading (no sentence yet)?"""
        if not self.stack or self.in_problems:
            return False
        node = self.stack[-1]
        if not 0 < node.length + start - position <= _HEADING_MAX:
            return False
        run = "".join(node.parts) + line[position:start]
        return not any(c in run for c in _SENTENCE_END + "\n")

    def _is_page_fragment(self, candidate: Candidate) -> bool:
        """A bare "2、" at a line start that continues no list, after a long line that stops
        mid-sentence, is a document preview's page number: the sentence runs on."""
        previous = _FOOTNOTE_AT_END.sub("", self.previous_line).rstrip()
        return (candidate.style in _DIGIT_STYLES and len(previous) >= _FRAGMENT_MIN
                and previous[-1] not in _TERMINAL and not self._continues_numbering(candidate))

    def _open_depth(self, style: str) -> int | None:
        for depth in range(len(self.stack) - 1, -1, -1):
            if self.stack[depth].style == style:
                return depth
        return None

    def _open(self, candidate: Candidate) -> None:
        self.in_problems = False
        depth = self._open_depth(candidate.style)
        if depth is None and candidate.style in _TOP_STYLES:
            depth = 0  # 一、 heads a document's sections; it never nests under a 1. list
        if depth is not None:
            del self.stack[depth:]
        node = _Node(Item(candidate.marker, candidate.number, "", ""), candidate.style)
        if self.stack:
            self.stack[-1].item.children.append(node.item)
        else:
            self.roots.append(node)
        self.stack.append(node)
        self.last_number[candidate.style] = candidate.number
        self.nodes.append(node)

    # -- result ------------------------------------------------------------------------

    def build(self) -> Document:
        for node in self.nodes:
            node.item.text = "".join(node.parts).strip()
            node.item.title = item_title(node.item.text)
        title = self.title.title if self.title else None
        named = [self.title.title, self.title.tail] if self.title else []
        kind, year = self._kind_and_year()
        document = Document(
            title=title, year=year, kind=kind,
            issuer=docinfo.find_issuer([*named, *self.byline]) or self.signature,
            preamble="".join(self.preamble).strip(), items=[node.item for node in self.roots],
        )
        if kind == "summary":
            document.problems = self._problems(document)
        return document

    def _kind_and_year(self) -> tuple[str, int | None]:
        """The title's kind when it says; else a section that looks back ("一、2009年工作回顾")
        makes a summary of that year (its later plan sections are read as plans); else the verbs."""
        said = docinfo.title_kind(self.title.title if self.title else None)
        if said is not None:
            return said, self.year
        for node in self.roots:
            if docinfo.heading_kind(item_title("".join(node.parts))) == "summary":
                return "summary", docinfo.heading_year(item_title("".join(node.parts))) or self.year
        text = "".join(self.preamble) + "".join(part for node in self.nodes for part in node.parts)
        return docinfo.text_kind(text), self.year

    def _problems(self, document: Document) -> list[str]:
        if self.problem_parts:
            return _split_problem_text("".join(self.problem_parts))
        for item in document.walk():
            end = docinfo.problem_heading_end(item.title)
            if end is None:
                continue
            if item.children:
                return [child.text for child in item.children]
            body_start = docinfo.problem_heading_end(item.text) or 0
            return _split_problem_text(item.text[body_start:])
        return []


def _split_off_preamble(parts: list[str]) -> tuple[list[str], list[str]]:
    """Split text parts before the last paragraph (not the first) that opens as a preamble."""
    paragraphs = "".join(parts).split("\n")
    starts = [i for i, p in enumerate(paragraphs) if i > 0 and docinfo.opens_with_covered_year(p)]
    if not starts:
        return parts, []
    return ["\n".join(paragraphs[:starts[-1]])], ["\n".join(paragraphs[starts[-1]:])]


def item_title(text: str) -> str:
    """The text up to the first 。 of its first line; a heading without 。 is its whole line."""
    first_line = text.split("\n", 1)[0]
    return first_line.split("。", 1)[0].strip().rstrip(":：,，;； ")


def _split_problem_text(text: str) -> list[str]:
    """一是…二是…; else one problem per numbered line; else one per sentence."""
    enumerated = docinfo.split_enumerated(text)
    if enumerated:
        return enumerated
    numbered = []
    for line in text.split("\n"):
        found = candidates(line)
        if found and found[0].position == "line_start":
            numbered.append(docinfo.tidy_problem(line[found[0].end:]))
    if len(numbered) >= 2:
        return [problem for problem in numbered if problem]
    return docinfo.split_sentences(text)


def outline(lines: list[str]) -> list[Document]:
    """Split clean lines into documents, each with its metadata and numbered item tree."""
    builders = [_DocumentBuilder()]
    previous = ""
    for raw in (part for line in lines for part in split_document_headings(line)):
        line, before = raw.strip(), previous
        if not line:
            continue
        previous = line
        heading = _document_heading(line, builders[-1])
        if heading is not None:
            if builders[-1].has_items or builders[-1].is_numbered_text:
                builders.append(_DocumentBuilder(heading, numbered=True))
            else:  # the page's one title named both documents; its issuer stays named
                current = builders[-1]
                if current.title:
                    heading = dataclasses.replace(heading, then=current.title.then)
                    current.byline.append(current.title.title)
                current.title, current.numbered = heading, True
            continue
        if builders[-1].restarts_sections(line):
            successor = _DocumentBuilder(builders[-1].title.then if builders[-1].title else None)
            successor.preamble = builders[-1].take_trailing_preamble()
            builders.append(successor)
        title = None if builders[-1].continues_list(line) else docinfo.match_title(line)
        if title is not None:
            _start_document(builders, title, before)
            line = title.rest  # a preamble (and more) the page ran on after the title
            if not line:
                continue
        builders[-1].feed(line)
    documents = [builder.build() for builder in builders]
    return _drop_page_furniture(documents, [builder.is_numbered_text for builder in builders])


# A numbered heading naming a document is short: the marker, a year, a kind phrase.
_HEADING_REACH = 40


def split_document_headings(line: str) -> list[str]:
    """A page flattened into one run ("…成效。一、2022年工作总结(一)党的建设…") is cut before and
    after each numbered heading that names a whole year's document, so that it stands on its
    own line as it did in the source."""
    if len(line) <= _HEADING_REACH or not docinfo.names_a_kind(line):
        return [line]
    found = candidates(line)
    cuts: list[int] = []
    for index, candidate in enumerate(found):
        if candidate.style not in _TOP_STYLES or candidate.position == "line_start":
            continue
        limit = found[index + 1].start if index + 1 < len(found) else len(line)
        end = _heading_end(line, candidate.end, min(limit, candidate.end + _HEADING_REACH))
        if end is not None:
            cuts += [candidate.start, end]
    if not cuts:
        return [line]
    bounds = [0, *cuts, len(line)]
    return [part for part in (line[a:b] for a, b in zip(bounds, bounds[1:], strict=False)) if part.strip()]


def _heading_end(line: str, start: int, limit: int) -> int | None:
    """Where a document title starting at start ends (before a full stop or the next marker)."""
    stop = next((i for i in range(start, limit) if line[i] in _SENTENCE_END + "，,"), limit)
    title = docinfo.match_title(line[start:stop])
    if title is None or title.year is None or title.rest:
        return None
    return stop + (1 if stop < len(line) and line[stop] in _SENTENCE_END else 0)


def _start_document(builders: list[_DocumentBuilder], title: docinfo.TitleLine, before: str) -> None:
    current = builders[-1]
    if current.has_items:
        if not (current.title and current.title.title == title.title):
            builders.append(_DocumentBuilder(title))
        # else: the document's own title again, a page header or footer
        return
    # A second title before any item: the earlier one was the page's own heading (or a
    # file name); what lay between them is page furniture.
    builders[-1] = _DocumentBuilder(title)
    if docinfo.signature_issuer(before):
        builders[-1].byline.append(before)  # the issuer on its own line above the title


def _document_heading(line: str, current: _DocumentBuilder) -> docinfo.TitleLine | None:
    """A numbered heading that names a whole document ("二、2021年工作要点" after a 2020
    summary) starts that document; a section of the current one ("二、2021年重点工作" in
    the 2021 plan) does not."""
    if len(line) > 40:
        return None
    part = _PART.match(line)
    found = candidates(line)
    if part:
        start = part.end()
    elif found and found[0].position == "line_start":
        start = found[0].end
    else:
        return None
    title = docinfo.match_title(line[start:])
    if title is None or title.year is None or title.rest:
        return None
    if current.title is None and not current.has_items:
        # Only a summary opens a two-document page; a plan's first section may well read
        # "一、2021年重点工作".
        return title if docinfo.kind_of(title.title) == "summary" else None
    if current.title is None and current.year is None:
        return None
    same = title.year == current.year and docinfo.kind_of(title.title) == current.kind
    if not current.has_items and not current.is_numbered_text:
        # Under a page title naming both documents, the first heading opens the first one.
        return title if same and current.title and current.title.then else None
    if not (current.numbered or (current.title and current.title.then)):
        # A summary under its own title closing on "三、2024年工作打算": that is its last section, not a second
        # document; only a page whose documents are its numbered parts (or whose title names both) splits there.
        return None
    return None if same else title


def _drop_page_furniture(documents: list[Document], numbered_texts: list[bool]) -> list[Document]:
    """Keep documents with a title, a year or items, and a numbered part of the page that holds only
    text ("一、2025年工作总结" and its paragraphs); a page with none keeps its one text."""
    kept = [d for d, numbered_text in zip(documents, numbered_texts, strict=True)
            if numbered_text or (d.items and (d.title or d.year or len(documents) == 1))]
    if kept:
        return kept
    text = "\n".join(d.preamble for d in documents if d.preamble)
    if not text and not any(d.title for d in documents):
        return []
    kept = next((d for d in documents if d.title), documents[0])
    kept.preamble = text
    return [kept]

"""Where sentences and clauses run, and which spans hold names rather than figures.

Shared by the extraction stages (quantities, deadlines, deliverables) so they cut text alike;
each stage asks for the same item's clauses and name spans, so the last few texts' are kept
(as tuples: no caller can change what the next one gets).
"""

from __future__ import annotations

import re
import sys
from bisect import bisect_right
from functools import cache, lru_cache
from importlib.resources import files

# A thousands separator (1,000) or a ratio (1:350) does not end a clause. Written as runs of
# ordinary characters joined by such separators: the engine takes a run in one step.
_CLAUSE_RUN = r"[^，,。；;！？!?：:\n]"
_CLAUSE = re.compile(rf"{_CLAUSE_RUN}+(?:(?<=\d)[,:∶](?=\d){_CLAUSE_RUN}*)*")
_SENTENCE = re.compile(r"[^。；;！？!?\n]+")
_BOOK_TITLE = re.compile(r"《[^《》\n]{0,120}》")
_BEYOND = sys.maxsize
_QUOTED = re.compile(r"[“\"]([^“”\"\n]{1,40})[”\"]")


Spans = tuple[tuple[int, int], ...]
_KEPT = 4  # texts whose spans are kept: an item's text is cut by every stage in turn, then not again


@lru_cache(maxsize=_KEPT)
def clauses(text: str) -> Spans:
    """(start, end) of each clause: text between ，；。：！？ (and line breaks)."""
    return tuple((m.start(), m.end()) for m in _CLAUSE.finditer(text) if m.group().strip())


def sentences(text: str) -> Spans:
    """(start, end) of each sentence: text between 。；！？ (and line breaks)."""
    return tuple((m.start(), m.end()) for m in _SENTENCE.finditer(text) if m.group().strip())


def enclosing(spans: Spans | list[tuple[int, int]], position: int) -> tuple[int, int] | None:
    """The span holding position, if any; spans sorted and not overlapping (a bisection, so
    long texts with many spans stay linear overall)."""
    index = bisect_right(spans, (position, _BEYOND)) - 1
    if index >= 0 and spans[index][0] <= position < spans[index][1]:
        return spans[index]
    return None


@cache
def table(name: str) -> dict[str, list[list[str]]]:
    """A data TSV as {first column: [remaining columns, …]}; '#' lines are comments."""
    text = files("eduplan.reader").joinpath("data", name).read_text(encoding="utf-8")
    rows: dict[str, list[list[str]]] = {}
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        first, *rest = line.split("\t")
        rows.setdefault(first, []).append(rest)
    return rows


def phrases(name: str, role: str) -> list[str]:
    """The second column of a role-first TSV (deliverables.tsv, indicators.tsv), longest first."""
    return sorted((row[0] for row in table(name).get(role, [])), key=len, reverse=True)


def alternation(words: list[str]) -> str:
    """A regex alternation trying the longest word first."""
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


@cache
def _slogan_pattern() -> re.Pattern[str]:
    return re.compile(alternation(phrases("indicators.tsv", "slogan")))


def _is_slogan(inner: str) -> bool:
    """A quoted run is a slogan when it opens with a numeral (“三全”, “5080”, “1+N”, “六个一”)."""
    first = inner.lstrip()[:1]
    return bool(first) and (first.isdigit() or first in "一二两三四五六七八九十百千万")


@cache
def _named_set_pattern() -> re.Pattern[str]:
    return re.compile(rf"[一二两三四五六七八九十]{{1,3}}项(?:{alternation(phrases('indicators.tsv', 'named_set'))})")


@lru_cache(maxsize=_KEPT)
def name_spans(text: str) -> Spans:
    """Spans whose numbers are names: 《titles》, numeral slogans in quotes, fixed slogans, named sets
    of rules (三项制度)."""
    spans = [(m.start(), m.end()) for m in _BOOK_TITLE.finditer(text)]
    spans += [(m.start(), m.end()) for m in _QUOTED.finditer(text) if _is_slogan(m.group(1))]
    spans += [(m.start(), m.end()) for m in _slogan_pattern().finditer(text)]
    if "项" in text:
        spans += [(m.start(), m.end()) for m in _named_set_pattern().finditer(text)]
    return tuple(_merged(sorted(spans)))


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Overlapping spans joined (a slogan inside a title), so a bisection can look them up."""
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def inside(spans: Spans, position: int) -> bool:
    """Whether position falls in one of name_spans()' spans."""
    return enclosing(spans, position) is not None

"""Documents a plan promises to issue: 出台《广州市校园安全条例》 → verb 出台, name 广州市校园安全条例.

Three shapes, all general:
  * an issuing verb, a few words at most (我市, 教育系统), then one or more 《names》:
    制定《A》《B》 and 制定印发《A》和《B》 give two;
  * 《name》 followed by an issuing verb (启动《…指南》修订);
  * an issuing verb and a name written without 《》 that ends its clause in a document word
    (出台市中考阅卷组织实施方案); "A规程和B规程" gives two.
《names》 after 落实 / 贯彻 / 实施 / 学习 exist already and are not deliverables.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from functools import cache

from .textspans import alternation, clauses, enclosing, phrases

_MAX_FILLER = 6  # 制定我市《…》, 修订教育系统《…》
_MAX_BARE_NAME = 45
_LONGEST_VERB = 4
_MIN_SPLIT_NAME = 4  # 指导意见和纲要: a bare 纲要 is the same document's second part, not a name
_TITLE = r"《(?P<name>[^《》\n]{2,120})》"
_JOINED_TITLES = re.compile(r"\s*(?:[、和及与]\s*)?《(?P<name>[^《》\n]{2,120})》")
_EXISTING_BEFORE = frozenset("新已")
_CLAUSE_END = re.compile(r"[，,。；;：:\n]")
_AND_REST = re.compile(r"\s*[和及]\s*(?P<rest>[^《》，,。；;]{2,45})$")


@dataclass(frozen=True)
class FoundDeliverable:
    start: int
    quote: str
    verb: str
    name: str


@cache
def _verb_title_pattern() -> re.Pattern[str]:
    verbs = alternation(phrases("deliverables.tsv", "verb"))
    return re.compile(rf"(?P<verb>{verbs})(?P<filler>[^《》，,。；;：:\s]{{0,{_MAX_FILLER}}}?)\s*{_TITLE}")


@cache
def _title_verb_pattern() -> re.Pattern[str]:
    post = alternation(phrases("deliverables.tsv", "post"))
    return re.compile(rf"{_TITLE}(?P<verb>{post})")


@cache
def _verb_pattern() -> re.Pattern[str]:
    return re.compile(alternation(phrases("deliverables.tsv", "verb")))


@cache
def _bare_name_end() -> re.Pattern[str]:
    """A document word closing the clause, maybe with a note in brackets: …蓝皮书(2017佛山报告)."""
    suffixes = alternation(phrases("deliverables.tsv", "suffix"))
    return re.compile(rf"(?:{suffixes})(?:\s*\([^()]*\))?\s*$")


def find_deliverables(text: str) -> list[FoundDeliverable]:
    """Titled documents are looked for in the whole text (a title may hold a comma); a bare
    name only in a clause that has no titled one."""
    titled = _titled(text)
    starts = sorted(d.start for d in titled)
    found = list(titled)
    for start, end in clauses(text):
        first = bisect_left(starts, start)
        if first == len(starts) or starts[first] >= end:
            found += _bare(text, start, end)
    return sorted(found, key=lambda d: d.start)


def _titled(text: str) -> list[FoundDeliverable]:
    found = []
    for match in _verb_title_pattern().finditer(text):
        if _verb_pattern().search(match.group("filler")) or _names_existing(text, match):
            continue
        names, last = _joined_titles(text, match)
        quote = text[match.start():last]
        found += [FoundDeliverable(match.start(), quote, match.group("verb"), n) for n in names]
    covered = sorted({(d.start, d.start + len(d.quote)) for d in found})
    for match in _title_verb_pattern().finditer(text):
        if enclosing(covered, match.start()) is None:
            found.append(FoundDeliverable(match.start(), match.group(), match.group("verb"), match.group("name")))
    return found


def _names_existing(text: str, match: re.Match[str]) -> bool:
    """新修订《…法》, 已出台《…》, 出台的《…》: a document that exists, not one to issue."""
    before = text[match.start() - 1:match.start()] if match.start() else ""
    return before in _EXISTING_BEFORE or match.group("filler").startswith("的")


def _joined_titles(text: str, match: re.Match[str]) -> tuple[list[str], int]:
    """The first 《name》 and any joined to it (《A》《B》, 《A》和《B》), plus a bare 和B after them."""
    names, last = [match.group("name")], match.end()
    while (joined := _JOINED_TITLES.match(text, last)) is not None:
        names.append(joined.group("name"))
        last = joined.end()
    clause_end = _CLAUSE_END.search(text, last)
    rest = _AND_REST.match(text, last, clause_end.start() if clause_end else len(text))
    if rest and _bare_name_end().search(rest.group("rest")):
        names.append(rest.group("rest").strip())
        last = rest.end()
    return names, last


@cache
def _bare_post_pattern() -> re.Pattern[str]:
    """A name without 《》 ending in a document word, closed by a post verb at the clause end."""
    suffixes = alternation(phrases("deliverables.tsv", "suffix"))
    post = alternation(phrases("deliverables.tsv", "post"))
    return re.compile(rf"(?P<name>[^《》]{{2,{_MAX_BARE_NAME}}}?(?:{suffixes}))(?P<verb>{post})(?:工作)?\s*$")


@cache
def _post_end_pattern() -> re.Pattern[str]:
    return re.compile(rf"(?:{alternation(phrases('deliverables.tsv', 'post'))})(?:工作)?\s*$")


@cache
def _lead_in_pattern() -> re.Pattern[str]:
    return re.compile(alternation(phrases("deliverables.tsv", "lead_in")))


def _bare_then_verb(text: str, start: int, end: int) -> list[FoundDeliverable]:
    """完成教育“十四五”规划编制: the name runs from after the last lead-in verb to the post verb."""
    clause = text[start:end].rstrip()
    if not _post_end_pattern().search(clause, max(0, len(clause) - 2 * _LONGEST_VERB)):
        return []  # most clauses: no post verb at the end, so the costlier name pattern is not tried
    match = _bare_post_pattern().search(clause, max(0, len(clause) - _MAX_BARE_NAME - 2 * _LONGEST_VERB))
    if match is None:
        return []
    name = match.group("name")
    lead_ins = list(_lead_in_pattern().finditer(name))
    if lead_ins:
        name = name[lead_ins[-1].end():]
    # 协会换届和章程修订: what is revised is the part after 和, here too short to name a document.
    _, joined, after = name.rpartition("和")
    if joined and not _bare_name_end().search(name[: len(name) - len(after) - 1]):
        name = after
    name = name.strip().strip("“”\"")
    return [FoundDeliverable(start + match.start(), clause[match.start():], match.group("verb"), name)] if len(name) > 2 else []


@cache
def _suffix_pattern() -> re.Pattern[str]:
    return re.compile(alternation(phrases("deliverables.tsv", "suffix")))


def _bare(text: str, start: int, end: int) -> list[FoundDeliverable]:
    """verb + a name without 《》 that runs to the clause end and ends in a document word."""
    if not _suffix_pattern().search(text, start, end):
        return []  # most clauses name no document: the verb and name patterns are not tried
    found = _bare_verb_first(text, start, end)
    return found or _bare_then_verb(text, start, end)


def _bare_verb_first(text: str, start: int, end: int) -> list[FoundDeliverable]:
    clause = text[start:end].rstrip()
    # Only a verb near the clause end can open a name short enough to be one.
    for verb in _verb_pattern().finditer(clause, max(0, len(clause) - _MAX_BARE_NAME - _LONGEST_VERB)):
        if clause[verb.start() - 1:verb.start()] in _EXISTING_BEFORE:
            continue
        name = clause[verb.end():].strip()
        if "《" in name or not 2 < len(name) <= _MAX_BARE_NAME or not _bare_name_end().search(name):
            continue
        names = _split_names(name)
        return [FoundDeliverable(start + verb.start(), clause[verb.start():], verb.group(), n) for n in names]
    return []


def _split_names(name: str) -> list[str]:
    """'A规程和B规程' → two names when each side ends in a document word."""
    for connector in "和及":
        left, sep, right = name.partition(connector)
        if sep and len(right.strip()) >= _MIN_SPLIT_NAME and _bare_name_end().search(left) \
                and _bare_name_end().search(right):
            return [left.strip(), right.strip()]
    return [name]

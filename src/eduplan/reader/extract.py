"""Targets, actuals, deadlines and deliverables found in a document's text.

In a plan every figure of an item is a target (with the deadline its sentence states); in a
summary figures are actuals. Outside the items, a plan's preamble gives targets only from
sentences that state goals (it often looks back on last year first); a summary's preamble
gives its opening figures as actuals.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from functools import cache

from . import docinfo
from .deadlines import FoundDeadline, find_deadlines
from .deliverables import find_deliverables
from .model import Actual, Deadline, Deliverable, Document, Item, Target
from .quantities import Quantity, find_quantities
from .responsibility import find_units
from .textspans import Spans, alternation, clauses, enclosing, phrases, sentences

_NOW_REACH = 40
_FULL_SENTENCE = re.compile(r"[^。！？!?\n]+")
_YEAR = re.compile(r"((?:19|20)\d\d)\s*年")


def annotate(document: Document) -> None:
    """Fill the targets, actuals, deadlines and deliverables of the document and its items."""
    for section in document.items:
        kind, year = _section_frame(section, document)
        for item in section.walk():
            _annotate_item(item, kind, year)
    preamble = document.preamble or ""
    if document.kind == "summary":
        document.actuals = [_actual(q) for q in find_quantities(preamble)]
    else:
        document.targets = _preamble_targets(preamble, document.year)


def _section_frame(section: Item, document: Document) -> tuple[str, int | None]:
    """The kind and year a top-level section is read in: a summary's closing section that plans the next
    year ("三、2024年工作打算", "明年工作思路") holds commitments for that year, as a plan does."""
    if document.kind == "summary":
        heading = section.title or ""
        title = docinfo.match_title(heading)
        if title is not None and not title.rest and docinfo.kind_of(title.title) == "plan":
            return "plan", title.year or (document.year + 1 if document.year else None)
        if docinfo.plans_ahead(heading, document.year):
            return "plan", docinfo.heading_year(heading) or (document.year + 1 if document.year else None)
    elif docinfo.looks_back(section.title or "", document.year):
        # A plan opening on "一、2022年工作回顾": that section reports what was done, in actuals.
        return "summary", docinfo.heading_year(section.title or "") or (document.year - 1 if document.year else None)
    return document.kind, document.year


def _annotate_item(item: Item, kind: str, year: int | None) -> None:
    text = item.text or ""
    deadlines = _Deadlines(find_deadlines(text, year))
    item.deadlines = [Deadline(d.quote, d.date, d.written or d.labelled) for d in deadlines]
    # A summary's documents were issued already: achievements, not deliverables.
    item.deliverables = [] if kind == "summary" else [Deliverable(d.quote, d.verb, d.name) for d in find_deliverables(text)]
    units = find_units(text)
    item.lead_units, item.support_units = units.lead, units.support
    quantities = find_quantities(text)
    spans = (clauses(text), sentences(text))
    if kind == "summary":
        planned = [q for q in quantities if _plans_ahead(text, spans[1], q)]
        item.actuals = [_actual(q) for q in quantities if q not in planned]
        item.targets = [_target(q, _own_deadline(spans, q, deadlines)) for q in planned]
        return
    item.targets = [_target(q, _own_deadline(spans, q, deadlines)) for q in quantities
                    if not _states_what_exists(text, spans[0], q)]


def _own_deadline(spans: tuple[Spans, Spans], quantity: Quantity,
                  deadlines: _Deadlines) -> FoundDeadline | None:
    """The deadline the target's own clause states, or one a leading clause of its sentence
    states for the whole sentence (到2023年底，全市…达到60%); a deadline of a neighbouring
    task in the same sentence (年内新审批…，新增学位5万个) does not carry over."""
    own = _stated_deadline(spans, quantity, deadlines)
    if own is not None and own.written:
        return own
    # The item's 完成时限：2027年8月31日 (a task table's column) is more precise than 年内.
    return deadlines.labelled or own


def _stated_deadline(spans: tuple[Spans, Spans], quantity: Quantity,
                     deadlines: _Deadlines) -> FoundDeadline | None:
    clause = enclosing(spans[0], quantity.start)
    sentence = enclosing(spans[1], quantity.start)
    if clause and (stated := _first_between(deadlines, clause[0], clause[1])):
        return deadlines.first_written(clause[0], clause[1]) or stated  # 年内，即2027年8月31日前
    if sentence:
        leading = [d for d in _all_between(deadlines, sentence[0], quantity.start) if _only_time(d)]
        if leading:
            return deadlines.first_written(sentence[0], quantity.start, _only_time) or leading[0]
    return None


class _Deadlines(list):
    """Found deadlines in text order, with their starts kept for bisection."""

    def __init__(self, found: list[FoundDeadline]):
        super().__init__(found)
        self.starts = [d.start for d in found]
        self.labelled = next((d for d in found if d.labelled), None)
        self.written = [d for d in found if d.written]
        self.written_starts = [d.start for d in self.written]

    def first_written(self, start: int, end: int, keep=None) -> FoundDeadline | None:
        """The first written date starting in [start, end) (that keep accepts): found by bisection, so a
        text of thousands of clauses each holding a 年内 stays linear."""
        for index in range(bisect_left(self.written_starts, start), len(self.written)):
            found = self.written[index]
            if found.start >= end:
                return None
            if keep is None or keep(found):
                return found
        return None


def _all_between(deadlines: _Deadlines, start: int, end: int) -> list[FoundDeadline]:
    """Deadlines starting in [start, end)."""
    return deadlines[bisect_left(deadlines.starts, start):bisect_left(deadlines.starts, end)]


def _first_between(deadlines: _Deadlines, start: int, end: int) -> FoundDeadline | None:
    found = _all_between(deadlines, start, end)
    return found[0] if found else None


def _only_time(deadline: FoundDeadline) -> bool:
    """The deadline's clause says nothing but when: 到2023年底 / 力争今年9月前."""
    rest = deadline.quote.replace(deadline.phrase, "", 1)
    return len(_lead_pattern().sub("", rest)) == 0


@cache
def _lead_pattern() -> re.Pattern[str]:
    return re.compile(rf"(?:{alternation(phrases('indicators.tsv', 'lead'))}|到|在|前|\s)+")


def _states_what_exists(text: str, clause_spans: Spans, quantity: Quantity) -> bool:
    """目前全市已有公办园120所: a plan describing the present, not a target."""
    clause = enclosing(clause_spans, quantity.start)
    # The words stand close before the figure; a bounded look keeps long clauses linear.
    return bool(clause) and bool(_now_pattern().search(text, max(clause[0], quantity.start - _NOW_REACH),
                                                        quantity.start))


def _plans_ahead(text: str, sentence_spans: Spans, quantity: Quantity) -> bool:
    """In a summary, 下一步…力争新增学位2万个 is a target, not an achievement."""
    sentence = enclosing(sentence_spans, quantity.start)
    return bool(sentence) and bool(_future_pattern().search(text, sentence[0], sentence[1]))


@cache
def _future_pattern() -> re.Pattern[str]:
    return re.compile(alternation(phrases("indicators.tsv", "future")))


@cache
def _now_pattern() -> re.Pattern[str]:
    return re.compile(alternation(phrases("indicators.tsv", "now")))


def _target(quantity: Quantity, deadline: FoundDeadline | None) -> Target:
    indicator = quantity.indicator
    if deadline and deadline.phrase in indicator and indicator != deadline.phrase:
        indicator = indicator.replace(deadline.phrase, "", 1)  # 9月底前完成3所 → 完成…
    return Target(quantity.quote, indicator, quantity.comparator, quantity.value, quantity.unit,
                  quantity.value_max, deadline.date if deadline else None)


def _actual(quantity: Quantity) -> Actual:
    return Actual(quantity.quote, quantity.indicator, quantity.value, quantity.unit)


@cache
def _goal_pattern() -> re.Pattern[str]:
    return re.compile(alternation(phrases("indicators.tsv", "goal")))


@cache
def _past_pattern() -> re.Pattern[str]:
    return re.compile(alternation(phrases("indicators.tsv", "past")))


def _preamble_targets(preamble: str, year: int | None) -> list[Target]:
    targets = []
    # Whole sentences (to 。): a goal word before a colon governs the list of goals after it
    # (主要目标是：A达到90%；B新增2万个), also in the next sentences of its paragraph (…达99%。完成
    # 新建改扩建项目36个。) as long as they do not look back.
    listing, previous_end = False, 0
    for start, end in _full_sentences(preamble):
        sentence = preamble[start:end]
        if "\n" in preamble[previous_end:start]:
            listing = False
        previous_end = end
        if _states_goals(sentence, year):
            listing = listing or _opens_goal_list(sentence)
        elif not (listing and _looks_ahead(sentence, year)):
            continue
        deadlines = _Deadlines(find_deadlines(sentence, year))
        spans = (clauses(sentence), sentences(sentence))
        targets += [_target(q, _own_deadline(spans, q, deadlines)) for q in find_quantities(sentence)]
    return targets


def _full_sentences(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in _FULL_SENTENCE.finditer(text) if m.group().strip()]


def _states_goals(sentence: str, year: int | None) -> bool:
    """A goal word and no look back: no past word and no year before the plan's own."""
    return bool(_goal_pattern().search(sentence)) and _looks_ahead(sentence, year)


def _looks_ahead(sentence: str, year: int | None) -> bool:
    if _past_pattern().search(sentence):
        return False
    return year is None or all(int(y) >= year for y in _YEAR.findall(sentence))


def _opens_goal_list(sentence: str) -> bool:
    """主要目标是：… / 预期目标：… — a goal word, then a colon opening the list."""
    goal = _goal_pattern().search(sentence)
    return goal is not None and any(c in sentence[goal.end():goal.end() + 6] for c in ":：")

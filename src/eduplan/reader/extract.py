"""Targets, actuals, deadlines and deliverables found in a document's text.

In a plan every figure of an item is a target (with the deadline its sentence states); in a
summary figures are actuals. Outside the items, a plan's preamble gives targets only from
sentences that state goals (it often looks back on last year first); a summary's preamble
gives its opening figures as actuals.
"""

from __future__ import annotations

import re
from functools import cache

from .deadlines import find_deadlines
from .deliverables import find_deliverables
from .model import Actual, Deadline, Deliverable, Document, Item, Target
from .quantities import Quantity, find_quantities
from .textspans import alternation, enclosing, phrases, sentences

_YEAR = re.compile(r"((?:19|20)\d\d)\s*年")


def annotate(document: Document) -> None:
    """Fill the targets, actuals, deadlines and deliverables of the document and its items."""
    for item in document.walk():
        _annotate_item(item, document)
    preamble = document.preamble or ""
    if document.kind == "summary":
        document.actuals = [_actual(q) for q in find_quantities(preamble)]
    else:
        document.targets = _preamble_targets(preamble, document.year)


def _annotate_item(item: Item, document: Document) -> None:
    text = item.text or ""
    deadlines = find_deadlines(text, document.year)
    item.deadlines = [Deadline(d.quote, d.date) for d in deadlines]
    item.deliverables = [Deliverable(d.quote, d.verb, d.name) for d in find_deliverables(text)]
    quantities = find_quantities(text)
    if document.kind == "summary":
        item.actuals = [_actual(q) for q in quantities]
        return
    spans = sentences(text)
    item.targets = [_target(q, _sentence_deadline(spans, q, deadlines)) for q in quantities]


def _sentence_deadline(spans, quantity: Quantity, deadlines) -> str | None:
    """The deadline stated in the target's own sentence, if any (the nearest one before it wins)."""
    sentence = enclosing(spans, quantity.start)
    if sentence is None:
        return None
    in_sentence = [d for d in deadlines if sentence[0] <= d.start < sentence[1]]
    before = [d for d in in_sentence if d.start <= quantity.start]
    pick = before[-1] if before else (in_sentence[0] if in_sentence else None)
    return pick.date if pick else None


def _target(quantity: Quantity, deadline: str | None) -> Target:
    return Target(quantity.quote, quantity.indicator, quantity.comparator, quantity.value, quantity.unit,
                  quantity.value_max, deadline)


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
    for start, end in sentences(preamble):
        sentence = preamble[start:end]
        if _states_goals(sentence, year):
            deadlines = find_deadlines(sentence, year)
            spans = [(0, len(sentence))]
            targets += [_target(q, _sentence_deadline(spans, q, deadlines)) for q in find_quantities(sentence)]
    return targets


def _states_goals(sentence: str, year: int | None) -> bool:
    """A goal word and no look back: no past word and no year before the plan's own."""
    if not _goal_pattern().search(sentence) or _past_pattern().search(sentence):
        return False
    return year is None or all(int(y) >= year for y in _YEAR.findall(sentence))

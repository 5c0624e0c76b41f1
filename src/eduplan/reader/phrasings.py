"""Targets that carry no measure word, from data/phrasings.tsv: a coefficient's bare figure
(差异系数控制在0.45以内) and an elimination (消除56人以上大班额 → the share of such classes ≤ 0 %)."""

from __future__ import annotations

import re
from functools import cache

from .textspans import alternation, phrases, table

_FIGURE = r"(?P<number>\d+(?:\.\d+)?)(?![\d.]|\s*(?:[%％]|个百分点))"


@cache
def _comparators() -> dict[str, tuple[str, str]]:
    """phrase → (comparator, position), from comparators.tsv."""
    return {phrase: (rest[0], rest[1]) for phrase, rows in table("comparators.tsv").items() for rest in rows}


@cache
def _coefficient_pattern() -> re.Pattern[str]:
    before = [p for p, (_, position) in _comparators().items() if position == "before"]
    after = [p for p, (_, position) in _comparators().items() if position == "after"]
    nouns = alternation(phrases("phrasings.tsv", "coefficient"))
    return re.compile(
        rf"(?P<indicator>[^，。；、,;：:\s\d]{{0,24}}?(?:{nouns}))(?P<before>{alternation(before)})?"
        rf"{_FIGURE}(?P<after>{alternation(after)})?"
    )


@cache
def _eliminations() -> dict[tuple[str, str], float]:
    return {
        (verb, noun): float(ceiling) for verb, noun, ceiling in table("phrasings.tsv").get("eliminate", [])
    }


@cache
def _eliminate_pattern() -> re.Pattern[str]:
    verbs = alternation(sorted({verb for verb, _ in _eliminations()}))
    nouns = alternation(sorted({noun for _, noun in _eliminations()}))
    # the classes named by their size (56人以上大班额): a bare 消除“大班额” states a policy, not a figure to judge
    return re.compile(rf"(?P<verb>{verbs})(?P<indicator>[^，。；、,;\d]{{0,6}}?\d+人[^，。；、,;]{{0,10}}?(?P<noun>{nouns}))")


@cache
def _phrasing_words() -> re.Pattern[str]:
    """The words one of the two phrasings needs: a coefficient's noun or an elimination's verb."""
    verbs = sorted({verb for verb, _ in _eliminations()})
    return re.compile(alternation(phrases("phrasings.tsv", "coefficient") + verbs))


def may_hold_phrasings(text: str) -> bool:
    """False when text holds neither phrasing: no clause of it need be searched."""
    return bool(_phrasing_words().search(text))


def coefficient_targets(text: str, start: int, end: int) -> list[tuple[int, int, float, str, str]]:
    """(start, end, value, comparator, indicator) of each coefficient target in text[start:end]."""
    found = []
    for match in _coefficient_pattern().finditer(text, start, end):
        comparator = "="
        if match.group("after"):
            comparator = _comparators()[match.group("after")][0]
        elif match.group("before"):
            comparator = _comparators()[match.group("before")][0]
        found.append(
            (match.start(), match.end(), float(match.group("number")), comparator, match.group("indicator"))
        )
    return found


def elimination_targets(text: str, start: int, end: int) -> list[tuple[int, int, float, str, str]]:
    """(start, end, ceiling, "<=", indicator) of each 消除 … 大班额 in text[start:end]."""
    found = []
    for match in _eliminate_pattern().finditer(text, start, end):
        ceiling = _eliminations().get((match.group("verb"), match.group("noun")))
        if ceiling is not None:
            found.append((match.start(), match.end(), ceiling, "<=", f"{match.group('indicator')}比例"))
    return found

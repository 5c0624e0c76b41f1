"""Deadlines: 年内 / 年底前 / 到2023年底 / 9月底前 / 上半年 → an ISO date.

The phrases live in data/deadlines.tsv with {Y} (a year), {M} (a month) and {D} (a day) placeholders.
A phrase inside a 《title》 is part of the name; a duration (三年内) is not a deadline; a
start (2021年开始…) has no phrase at all.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from functools import cache

from .numerals import chinese_to_int
from .textspans import clauses, enclosing, inside, name_spans, table

# A placeholder's group name (with the row's index), what it matches and the characters it can start with.
_PLACEHOLDERS = {
    "Y": ("y", r"(?:19|20)\d\d", "12"),
    "M": ("m", r"1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九]", "0-9一二三四五六七八九十"),
    "D": ("dd", r"3[01]|[12]\d|0?[1-9]", "0-9"),
}
# A count right before 年内/年底 makes a duration (三年内, 5年内), not a date.
_DURATION_BEFORE = re.compile(r"[\d一二两三四五六七八九十几多半]$")


_WORD_ROLES = ("start", "label")
_LABEL_REACH = 8  # characters between a label and its date ("完成时限：" and spaces)


@dataclass(frozen=True)
class FoundDeadline:
    start: int
    end: int
    phrase: str
    quote: str
    date: str
    labelled: bool = False  # introduced by 完成时限：… — the item's own deadline
    written: bool = False  # a calendar date as written (2027年8月31日, 2027-08-31), not 年内 / 年底


@cache
def _words(role: str) -> re.Pattern[str]:
    words = [pattern for pattern, values in table("deadlines.tsv").items() if values[0][0] == role]
    joined = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    if role == "label":
        return re.compile(rf"(?:{joined})\s*(?:为|是)?\s*[：:]?\s*(?:在|于)?\s*$")
    return re.compile(rf"\s*(?:{joined})")


@cache
def _patterns() -> tuple[re.Pattern[str], list[str]]:
    rows = sorted(((pattern, values) for pattern, values in table("deadlines.tsv").items()
                   if values[0][0] not in _WORD_ROLES), key=lambda row: len(row[0]), reverse=True)
    alternatives, month_days = [], []
    for index, (pattern, values) in enumerate(rows):
        alternatives.append(f"(?P<d{index}>{_regex(pattern, index)})")
        month_days.append(values[0][0])
    # Look-aheads on the character a phrase can start with, then on how it starts (一季 but not 一
    # alone, 2023年, 9月), let most positions, a figure's digits among them, fail at once instead
    # of trying every alternative.
    heads = {_head(pattern) for pattern, _ in rows}
    first = "".join(sorted({_PLACEHOLDERS[head[1]][2] if head.startswith("{") else re.escape(head[0])
                            for head in heads}))
    starts = "|".join(sorted((_regex(head) for head in heads), key=len, reverse=True))
    return re.compile(f"(?=[{first}])(?={starts})(?:{'|'.join(alternatives)})"), month_days


def _regex(pattern: str, index: int | None = None) -> str:
    """A row's phrase as a regex: its placeholders named with the row's index (unnamed without one)."""
    def placeholder(match: re.Match[str]) -> str:
        name, body, _ = _PLACEHOLDERS[match.group(1)]
        group = "?:" if index is None else f"?P<{name}{index}>"
        return f"({group}{body})\\s*"

    return re.sub(r"\\\{([YMD])\\\}", placeholder, re.escape(pattern))


def _head(pattern: str) -> str:
    """A phrase's start: its first two characters (一季 of 一季度; 一 alone is everywhere), or a
    leading placeholder and the character after it."""
    lead = re.match(r"\{[YMD]\}[^{]?|[^{]{1,2}", pattern)
    return lead.group() if lead else pattern


def find_deadlines(text: str, year: int | None) -> list[FoundDeadline]:
    """Every deadline phrase in text, dated; none without a year to date them by."""
    pattern, month_days = _patterns()
    names = name_spans(text)
    spans = clauses(text)
    found = []
    for match in pattern.finditer(text):
        if inside(names, match.start()) or _is_duration(text, match):
            continue
        date = _date(match, month_days, year)
        if date is None:
            continue
        labelled = bool(_words("label").search(text, max(0, match.start() - _LABEL_REACH), match.start()))
        written = _is_written_date(match.group())
        if written and not labelled and _words("start").match(text, match.end()):
            continue  # 2027年9月1日起施行: a start
        clause = enclosing(spans, match.start()) or (match.start(), match.end())
        found.append(FoundDeadline(match.start(), match.end(), match.group(), text[clause[0]:clause[1]].strip(), date,
                                   labelled, written))
    return found


_WRITTEN_DATE = re.compile(r"^(?:19|20)\d\d\s*[年\-/.]\s*(?:1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九])\s*(?:月|[\-/.]\s*\d)")


def _is_written_date(phrase: str) -> bool:
    """2027年8月31日 / 2027-08-31 / 2027年9月 name a day or month; 到2027年底 / 年内 name a year's end."""
    return bool(_WRITTEN_DATE.match(phrase))


def _is_duration(text: str, match: re.Match[str]) -> bool:
    start = match.start()
    return match.group()[0] == "年" and bool(_DURATION_BEFORE.search(text, max(0, start - 1), start))


def _date(match: re.Match[str], month_days: list[str], year: int | None) -> str | None:
    index = int(match.lastgroup[1:])
    groups = match.groupdict()
    stated_year = groups.get(f"y{index}")
    year = int(stated_year) if stated_year else year
    if year is None:
        return None
    month_day = month_days[index]
    if month_day not in ("end", "day") and not month_day.startswith("M-"):
        return f"{year}-{month_day}"
    month_text = groups[f"m{index}"]
    month = int(month_text) if month_text.isdigit() else chinese_to_int(month_text)
    if not month or not 1 <= month <= 12:
        return None
    last = calendar.monthrange(year, month)[1]
    if month_day == "day":
        day = int(groups[f"dd{index}"])
    elif month_day == "end":
        day = last
    else:  # "M-10": a fixed day of the month named (上旬, 中旬)
        day = int(month_day[2:])
    return f"{year}-{month:02d}-{day:02d}" if 1 <= day <= last else None

"""List markers (一、 (一) 1. (1) ①) found in a line, with their value and where they stand.

This module only *finds* candidates and says how strongly their position suggests a marker;
the outline stage accepts or rejects each one by the numbering sequence it would continue.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import Literal

Style = Literal["cn", "cn_paren", "digit", "digit_paren", "digit_half_paren", "circled"]
# Where a candidate stands: at the start of a line, right after a sentence ended, or inside a run.
Position = Literal["line_start", "after_sentence", "in_run"]


@dataclass(frozen=True)
class Candidate:
    style: Style
    marker: str  # as written, full-width digits and parentheses made half-width
    number: int
    start: int
    end: int  # the item's own text starts here (spaces after the marker skipped)
    position: Position


@dataclass(frozen=True)
class _Numerals:
    digits: dict[str, int]
    units: dict[str, int]
    circled: dict[str, int]
    whole: str  # measure words of things counted whole (人, 所): 2.56人 is "2." then 56人


@cache
def _numerals() -> _Numerals:
    digits, units, circled, whole = {}, {}, {}, {}
    table = files("eduplan.reader").joinpath("data", "markers.tsv").read_text(encoding="utf-8")
    for line in table.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        char, value, role = line.split("\t")
        {"digit": digits, "unit": units, "circled": circled, "whole": whole}[role][char] = int(value)
    return _Numerals(digits, units, circled, "".join(whole))


def chinese_number(text: str) -> int | None:
    """一→1, 十二→12, 二十→20, 九十九→99, 一百零五→105, 二〇二〇→2020; None if not a numeral."""
    numerals = _numerals()
    total, current, after_digit = 0, 0, False
    if not text:
        return None
    positional = not any(char in numerals.units for char in text)
    for char in text:
        if char in numerals.digits:
            if after_digit and not positional:
                return None  # 十一五 is a name, not a number
            digit = numerals.digits[char]
            # Digits in a row without any unit are positional (二〇二〇); with units a zero
            # only holds a place (一百零五).
            current = current * 10 + digit if after_digit else digit
            after_digit = positional or digit != 0
        elif char in numerals.units:
            total += (current or 1) * numerals.units[char]
            current, after_digit = 0, False
        else:
            return None
    return total + current


# Full-width digits and parentheses as the contract writes markers: half-width.
_HALF_WIDTH = str.maketrans({**{chr(0xFF10 + i): str(i) for i in range(10)},
                             "（": "(", "）": ")", "．": "."})

_SENTENCE_END = frozenset("。；;！？!?")
_LONG_LIST = 1000  # four-digit numbers: years, unless they open a line of a very long list
_LIST_INTRO = frozenset("：:")
# "…工作如下:一、…" / "主要任务:①…": these styles open a list right after a colon; a digit
# after a colon is too often a ratio or a time (1:350, 9:00) to count.
_AFTER_COLON_STYLES = frozenset({"cn", "cn_paren", "circled"})


@cache
def _marker_pattern() -> re.Pattern[str]:
    numerals = _numerals()
    cn = "".join(sorted(set(numerals.digits) | set(numerals.units)))
    circled = "".join(numerals.circled)
    whole = re.escape(numerals.whole)
    # One alternation, tried left to right at each position. Lookarounds keep numbers that
    # are not markers out: 2.5万 (a digit after the dot), v6., 第1, 1%, 2020-2021, 十一五、.
    # A digit after the dot is let in where the rest cannot be a decimal's tail: 2.56人 (no
    # one counts 2.56 people), 3.1.5万 (a decimal follows) and 1.2031年 (a year follows) are markers.
    # The look-ahead on a marker's first character lets the rest of the line fail at once.
    return re.compile(
        rf"(?=[(（{cn}\d{circled}])"
        rf"(?:(?P<cn_paren>[(（]\s?(?P<cn_paren_n>[{cn}]{{1,4}})\s?[)）])"
        rf"|(?P<digit_paren>[(（]\s?(?P<digit_paren_n>\d{{1,3}})\s?[)）])"
        rf"|(?<![{cn}第其初高])(?P<cn>(?P<cn_n>[{cn}]{{1,4}})\s?[、.．﹒](?![{cn}]))"
        rf"|(?<![\d.．﹒A-Za-z第-])(?P<digit>(?P<digit_n>\d{{1,4}})\s?[.．﹒、](?:(?![\d%％])|(?=\d{{1,3}}[{whole}])|(?=\d{{1,3}}[.．]\d)|(?=(?:19|20)\d\d\s?年)))"
        rf"|(?<![\d.．﹒A-Za-z(（第-])(?P<digit_half_paren>(?P<digit_half_paren_n>\d{{1,2}})[)）])"
        rf"|(?P<circled>[{circled}]))"
    )


def candidates(line: str) -> list[Candidate]:
    """Every marker-shaped run in the line, in order, with the position it stands in."""
    found = []
    for match in _marker_pattern().finditer(line):
        style: Style = match.lastgroup  # the outer group closes last
        written = match.group(style)
        number = _value(style, match.group(f"{style}_n") if style != "circled" else written)
        if number is None:
            continue
        position = _position(line, match.start(), style)
        if number >= _LONG_LIST and position != "line_start":
            continue  # 完成2020. is a year; item 1000 of a very long list stands at a line start
        end = match.end()
        while end < len(line) and line[end] in " \t\u3000":
            end += 1
        found.append(Candidate(style, _normalise(written), number, match.start(), end, position))
    return found


def _value(style: Style, text: str) -> int | None:
    if style in ("cn", "cn_paren"):
        return chinese_number(text)
    if style == "circled":
        return _numerals().circled.get(text)
    return int(text)


def _position(line: str, start: int, style: Style) -> Position:
    index = start - 1
    while index >= 0 and line[index] in " \t\u3000":  # no slicing: long lines stay linear
        index -= 1
    if index < 0:
        return "line_start"
    last = line[index]
    if last in _SENTENCE_END or (style in _AFTER_COLON_STYLES and last in _LIST_INTRO):
        return "after_sentence"
    if last in _CLOSING and _closes_a_note_after_a_sentence(line, index):
        return "after_sentence"  # …完成。（牵头单位：基础教育处）(二)提升质量
    return "in_run"


_CLOSING = frozenset(")）")
_NOTE_REACH = 120  # characters back to the note's opening bracket


def _closes_a_note_after_a_sentence(line: str, close: int) -> bool:
    """Does the bracket at close end a note that stands after a full stop: 。（牵头单位：…）"""
    opening = max(line.rfind("(", max(0, close - _NOTE_REACH), close), line.rfind("（", max(0, close - _NOTE_REACH), close))
    if opening <= 0:
        return False
    before = line[:opening].rstrip(" \t\u3000")
    return bool(before) and before[-1] in _SENTENCE_END


def _normalise(written: str) -> str:
    return written.translate(_HALF_WIDTH).replace(" ", "")

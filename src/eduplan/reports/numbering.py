"""Heading numbers of an official document: 一、 for the first level, （一） for the second."""

from __future__ import annotations

_DIGITS = "零一二三四五六七八九"


def chinese_number(number: int) -> str:
    """1 → 一, 10 → 十, 21 → 二十一, 105 → 一百零五 (headings never reach a thousand)."""
    if number < 10:
        return _DIGITS[number]
    if number < 20:
        return "十" + (_DIGITS[number % 10] if number % 10 else "")
    if number < 100:
        tens, ones = divmod(number, 10)
        return _DIGITS[tens] + "十" + (_DIGITS[ones] if ones else "")
    hundreds, rest = divmod(number, 100)
    if rest == 0:
        return _DIGITS[hundreds] + "百"
    middle = "零" if rest < 10 else ""
    tail = _DIGITS[rest] if rest < 10 else chinese_number(rest) if rest >= 20 else "一" + chinese_number(rest)
    return _DIGITS[hundreds] + "百" + middle + tail


def section_label(number: int) -> str:
    return f"{chinese_number(number)}、"


def task_label(number: int) -> str:
    return f"（{chinese_number(number)}）"

"""Numbers as plans write them: 2.5, 1,000, 十二, 两, 一百零五, with 万/亿/千 multiplied out."""

from __future__ import annotations

_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6,
           "七": 7, "八": 8, "九": 9}
_SMALL_UNITS = {"十": 10, "百": 100, "千": 1000}
_BIG_UNITS = {"万": 10_000, "亿": 100_000_000}

CHINESE_NUMERAL_CHARS = "".join(_DIGITS) + "".join(_SMALL_UNITS) + "".join(_BIG_UNITS)
MULTIPLIERS = {"千": 1000, **_BIG_UNITS}


def chinese_to_int(text: str) -> int | None:
    """十二→12, 两→2, 一百零五→105, 五万→50000, 二〇二〇→2020; None when not a numeral.

    A run without any digit (百千万) is a name, not a number.
    """
    if not text or not any(char in _DIGITS or char == "十" for char in text):
        return None
    if all(char in _DIGITS for char in text) and len(text) > 1:
        return int("".join(str(_DIGITS[char]) for char in text))  # 二〇二〇 reads digit by digit
    total, section, current = 0, 0, 0
    for char in text:
        if char in _DIGITS:
            current = _DIGITS[char]
        elif char in _SMALL_UNITS:
            section += (current or 1) * _SMALL_UNITS[char]
            current = 0
        elif char in _BIG_UNITS:
            total += (section + current or 1) * _BIG_UNITS[char]
            section, current = 0, 0
        else:
            return None
    return total + section + current


def arabic_to_number(text: str) -> float:
    """'1,000' → 1000.0, '2.5' → 2.5 (full-width digits already made half-width upstream)."""
    return float(text.replace(",", "").replace("，", ""))


def parse_number(text: str) -> float | None:
    """An Arabic or Chinese numeral as a float, or None."""
    text = text.strip()
    if not text:
        return None
    if text[0].isascii() and text[0].isdigit():
        try:
            return arabic_to_number(text)
        except ValueError:
            return None
    value = chinese_to_int(text)
    return None if value is None else float(value)


def plain(value: float) -> int | float:
    """An int when the value is integral (25.0 → 25), else the float rounded to hide float noise."""
    rounded = round(value, 6)
    return int(rounded) if rounded == int(rounded) else rounded

"""Figures in plan text: value, unit, comparator, the indicator they measure and their quote.

    find_quantities("全市新增公办幼儿园25所以上")
    → [Quantity(value=25, unit="所", comparator=">=", indicator="新增公办幼儿园", …)]

Only a number with a measure word (or %, 百分之…, 1:N) is a figure, so years, dates and
bare list numbers never qualify; editions (第三批), numbers in 《titles》 and numeral slogans
(“三全”, 四个意识) are skipped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import cache

from .numerals import MULTIPLIERS, parse_number, plain
from .phrasings import coefficient_targets, elimination_targets, may_hold_phrasings
from .textspans import alternation, clauses, inside, name_spans, phrases, table

# Each number starts at the start of its run (the look-behinds), so a long run of digits is
# read once instead of once per position.
_ARABIC = r"(?<![\d.])(?<!\d,)\d+(?:,\d{3})*(?:\.\d+)?"
_CHINESE = r"(?<![〇零一二两三四五六七八九十百千万亿])[〇零一二两三四五六七八九十百千万亿]+"
_NUMBER = rf"(?:{_ARABIC}|{_CHINESE})"
_NUMERAL = re.compile(r"[\d〇零一二两三四五六七八九十百千万亿]")
_RATE_KINDS = frozenset({"percent", "points"})
# Characters that, right before a number, make it part of something else: an edition (第三批),
# a code or version (Ipv6, C1C), a decimal already read, a footnote [1].
_NOT_A_COUNT_BEFORE = re.compile(r"[第届\w.\[]$", re.ASCII)  # 届: 十五届二次全会 is a session
# 第1、3、4名: the later numbers of a list of ranks are ranks too.
_RANKS_BEFORE = re.compile(r"第(?:[\d〇一二三四五六七八九十]{1,3}[、,，和及])+$")
_RANK_REACH = 24
_TIME_REFERENCE_BEFORE = ("前", "后")
_RANK_UNITS = frozenset({"名", "%"})
_CONNECTORS = "、和及与"
_TRAILING_DISTRIBUTOR = re.compile(r"(?:分别|均|都)$")  # A、B分别达到…: the indicator is A、B
_RESPECTIVELY = "分别"
_LEADING_FIGURE = re.compile(r"^[\d.,，．]+")
_JOINED_FIGURES = re.compile(r"\s*(?:和|与|及|、)\s*$")  # 2.1个和1.3个百分点: two figures, one measure
_COMPARISON_BASE = ("比上年", "比去年", "比上一年", "较上年", "较去年", "同比")
_QUOTE_MARKS = re.compile(r"[“”\"]")
_LIST_MARK = r"[\u2460-\u2473\u2474-\u2487]|[(（]\d{1,2}[)）]|\d{1,2}[)）]"
_LEADING_LIST_MARKS = re.compile(rf"^(?:{_LIST_MARK})+")
_SENTENCE_END = re.compile(r"[。；;！？!?\n]")
_UNIT_ALIASES = {"％": "%", "个百分点": "百分点"}


@dataclass(frozen=True)
class Quantity:
    start: int
    end: int
    value: int | float
    unit: str
    comparator: str
    value_max: int | float | None
    quote: str
    indicator: str


@dataclass(frozen=True)
class _Unit:
    kind: str
    counts_one: bool
    not_before: str  # regex alternation of words that make the unit part of another word


@dataclass(frozen=True)
class _Phrase:
    comparator: str
    position: str
    gap: int
    rate_only: bool


@cache
def _units() -> dict[str, _Unit]:
    return {unit: _Unit(row[0][0], row[0][1] == "yes", row[0][2] if len(row[0]) > 2 else "")
            for unit, row in table("units.tsv").items()}


def _unit_alternation() -> str:
    """Units, longest first, each refusing the words that would make it part of another word."""
    parts = []
    for unit in sorted(_units(), key=len, reverse=True):
        guard = _units()[unit].not_before
        parts.append(re.escape(unit) + (f"(?!{guard})" if guard else ""))
    return "|".join(parts)


@cache
def _comparator_phrases() -> dict[str, _Phrase]:
    found = {}
    for phrase, rows in table("comparators.tsv").items():
        comparator, position, gap, *rest = rows[0]
        found[phrase] = _Phrase(comparator, position, int(gap), bool(rest) and rest[0] == "rate")
    return found


@cache
def _quantity_pattern() -> re.Pattern[str]:
    after = [p for p, info in _comparator_phrases().items() if info.position == "after"]
    # Every reading starts with a numeral (百分之 with 百): the look-ahead lets the other characters fail at once.
    return re.compile(
        rf"(?={_NUMERAL.pattern})(?:(?P<pct_word>百分之)(?P<pct_number>{_NUMBER}|百)"
        rf"|(?<!\d)1\s*[:∶]\s*(?P<ratio>{_ARABIC})"
        rf"|(?P<ratio_reversed>{_ARABIC})\s*[:∶]\s*1(?![\d.])"
        rf"|(?P<low>{_NUMBER})(?:\s*[-－~～至到—–]\s*(?P<high>{_NUMBER}))?"
        rf"\s*(?P<multiplier>[万亿千])?\s*(?P<more>[余多])?\s*(?P<unit>{_unit_alternation()}))"
        rf"\s*(?P<after>{alternation(after)})?")


@cache
def _before_pattern() -> re.Pattern[str]:
    before = [p for p, info in _comparator_phrases().items() if info.position == "before"]
    return re.compile(alternation(before))


@cache
def _lead_pattern() -> re.Pattern[str]:
    # A year opening the clause (2017年全市完成…) dates the figure and is no part of the indicator.
    # A list mark (①, ⑵, (1), 1)) opening the clause counts the figure; it names nothing either.
    return re.compile(rf"^(?:{alternation(phrases('indicators.tsv', 'lead'))}|(?:19|20)\d\d\s*年度?|{_LIST_MARK}|\s)+")


@cache
def _change_pattern() -> re.Pattern[str]:
    return re.compile(rf"(?:{alternation(phrases('indicators.tsv', 'change'))})$")


@cache
def _rate_split_pattern() -> re.Pattern[str]:
    """Where 'A率和B率' splits: right after a rate word (and its note in brackets)."""
    rates = alternation(phrases("indicators.tsv", "rate"))
    return re.compile(rf"(?:{rates})(?:\([^()]*\))?(?P<connector>[{_CONNECTORS}])")


@dataclass(frozen=True)
class _Reading:
    start: int
    end: int
    number_start: int
    value: float
    value_max: float | None
    unit: str
    after: str | None
    more: bool


def find_quantities(text: str) -> list[Quantity]:
    """Every figure in text, in order; one sentence may give several (A率和B率达到95%)."""
    names = name_spans(text)
    phrased = may_hold_phrasings(text)
    found: list[Quantity] = []
    for clause_start, clause_end in clauses(text):
        if not _NUMERAL.search(text, clause_start, clause_end):
            continue  # every figure, with a measure word or without, has a numeral
        readings = [r for r in _readings(text, clause_start, clause_end) if not inside(names, r.number_start)]
        found += _quantities_in_clause(text, clause_start, clause_end, readings)
        if phrased:
            found += _phrased(text, clause_start, clause_end, names)
    return _with_subjects(text, sorted(found, key=lambda q: q.start))


def _phrased(text: str, start: int, end: int, names) -> list[Quantity]:
    """Targets with no measure word (phrasings.tsv): a coefficient's bare figure, a 消除 of large classes."""
    found = [Quantity(s, e, plain(value), "", comparator, None, _tidy_quote(text[s:e]), indicator.strip())
             for s, e, value, comparator, indicator in coefficient_targets(text, start, end)]
    found += [Quantity(s, e, plain(value), "%", comparator, None, _tidy_quote(text[s:e]), indicator)
              for s, e, value, comparator, indicator in elimination_targets(text, start, end)]
    return [q for q in found if not inside(names, q.start)]


def _with_subjects(text: str, quantities: list[Quantity]) -> list[Quantity]:
    """A figure with only a comparator or a comparison base before it measures the indicator named
    before it in the same sentence: 达到85%，比上年提高3个百分点 (the increase is the rate's);
    大班额比例降低1个百分点，控制在2%以内."""
    for index, quantity in enumerate(quantities):
        if quantity.indicator and not quantity.indicator.startswith(_COMPARISON_BASE):
            continue
        previous = quantities[index - 1] if index else None
        same_sentence = previous is not None and not _SENTENCE_END.search(text, previous.end, quantity.start)
        subject = _change_pattern().sub("", previous.indicator) if same_sentence else ""
        quantities[index] = replace(quantity, indicator=subject or quantity.indicator or quantity.quote)
    return quantities


@cache
def _size_before_pattern() -> re.Pattern[str]:
    return re.compile(rf"(?:{alternation(phrases('indicators.tsv', 'size_word'))})(?:在|为|达)?\s*$")


# Between a size threshold's class and the next threshold of a list: 的中学、
_NEXT_CLASS = re.compile(r"^的?[\u4e00-\u9fff]{1,8}[、和及与]$")
_SIZE_REACH = 8


def _is_size(text: str, start: int, reading: _Reading, previous_size: _Reading | None) -> bool:
    """学生规模1000人以上的中学、1200人以上的小学: both thresholds pick out schools."""
    if not reading.after:
        return False
    if _size_before_pattern().search(text, max(start, reading.start - _SIZE_REACH), reading.start):
        return True
    return (previous_size is not None and previous_size.unit == reading.unit
            and bool(_NEXT_CLASS.match(text[previous_size.end:reading.start])))


def _readings(text: str, start: int, end: int) -> list[_Reading]:
    readings = []
    previous_size = None
    for match in _quantity_pattern().finditer(text, start, end):
        reading = _read(match)
        if reading is None or _NOT_A_COUNT_BEFORE.search(text, max(0, match.start() - 1), match.start()):
            continue
        if _is_time_or_rank(text[max(0, match.start() - 1):match.start()], reading.unit):
            continue
        reach = max(start, match.start() - _RANK_REACH)
        if text.find("第", reach, match.start()) >= 0 and _RANKS_BEFORE.search(text, reach, match.start()):
            continue
        if reading.after and _size_class_pattern().match(text, reading.end, end):
            continue  # 消除56人及以上大班额: the threshold names the classes, it is no figure to reach
        if _is_size(text, start, reading, previous_size):
            previous_size = reading
            continue
        readings.append(reading)
    readings = _with_implied_units(text, start, end, readings)
    return _shared_units(text, readings)


@cache
def _implied_patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    nouns = alternation(list(table("implied_units.tsv")))
    scaled = rf"(?P<number>{_NUMBER})\s*(?P<multiplier>[万亿])(?P<more>[余多])?"
    return (
        # 35万教职工, 15万普通高中学生 (a few words may qualify the noun)
        re.compile(rf"{scaled}(?:名|个)?[\u4e00-\u9fff]{{0,4}}?(?P<noun>{nouns})"),
        # 学生29万, 培训人次逾40万: the figure closes the clause
        re.compile(rf"(?P<noun>{nouns})(?:达到|达|约|逾|近|超过|超|共计|共|为|突破)?{scaled}"
                   rf"(?=$|[，,。；;、\s)）和与及])"),
    )


def _with_implied_units(text: str, start: int, end: int, readings: list[_Reading]) -> list[_Reading]:
    """Add the counts whose unit is their noun's (35万教职工 → 人) where no measure word was read."""
    if text.find("万", start, end) < 0 and text.find("亿", start, end) < 0:
        return readings  # only a figure in 万 or 亿 takes its unit from a noun
    taken = [(r.number_start, r.end) for r in readings]
    implied = []
    for pattern in _implied_patterns():
        for match in pattern.finditer(text, start, end):
            number_start, number_end = match.start("number"), match.end("more") if match.group("more") else match.end("multiplier")
            value = parse_number(match.group("number"))
            if value is None or any(a < number_end and number_start < b for a, b in taken):
                continue
            if _NOT_A_COUNT_BEFORE.search(text, max(0, number_start - 1), number_start):
                continue
            unit = table("implied_units.tsv")[match.group("noun")][0][0]
            implied.append(_Reading(number_start, number_end, number_start, value * MULTIPLIERS[match.group("multiplier")],
                                    None, unit, None, bool(match.group("more"))))
            taken.append((number_start, number_end))
    return sorted(readings + implied, key=lambda r: r.start) if implied else readings


@cache
def _size_class_pattern() -> re.Pattern[str]:
    """A size threshold's class noun close after it, in the same clause (…普通中小学大班额)."""
    return re.compile(rf"的?[^，。；、,;]{{0,10}}?(?:{alternation(phrases('indicators.tsv', 'size_class'))})")


def _shared_units(text: str, readings: list[_Reading]) -> list[_Reading]:
    """分别提高2.1个和1.3个百分点: a figure joined to the next in percentage points, whose measure word 个
    merely begins that unit, is in percentage points too (2000人和2000人次 are two units, and stay so)."""
    for index in range(len(readings) - 1, 0, -1):
        first, second = readings[index - 1], readings[index]
        written = _LEADING_FIGURE.sub("", text[second.number_start:second.end])  # 个百分点, before normalising
        points = _units().get(written) is not None and _units()[written].kind == "points"
        if (points and first.unit and written != first.unit and written.startswith(first.unit)
                and _JOINED_FIGURES.match(text, first.end, second.number_start)):
            readings[index - 1] = replace(first, unit=second.unit)
    return readings


def _is_time_or_rank(before: str, unit: str) -> bool:
    """开学前14天 places a time; 排名前10名 / 前1% is a rank: neither is a target."""
    if before not in _TIME_REFERENCE_BEFORE:
        return False
    unit_info = _units().get(unit)
    return unit in _RANK_UNITS or (unit_info is not None and unit_info.kind == "time")


def _read(match: re.Match[str]) -> _Reading | None:
    after = match.group("after")
    if match.group("ratio") or match.group("ratio_reversed"):
        # 师生比1:13 and 生师比13:1 say the same: 13 to one.
        value = parse_number(match.group("ratio") or match.group("ratio_reversed"))
        return None if value is None else _Reading(match.start(), match.end(), match.start(), value, None,
                                                   "1:N", after, False)
    if match.group("pct_word"):
        number = match.group("pct_number")
        value = 100.0 if number == "百" else parse_number(number)  # 百分之百
        return None if value is None else _Reading(match.start(), match.end(), match.start(), value, None,
                                                   "%", after, False)
    low_text, unit = match.group("low"), match.group("unit")
    low, high = parse_number(low_text), parse_number(match.group("high") or "")
    if low is None or (match.group("high") and high is None):
        return None
    if not low_text[0].isdigit() and not match.group("high"):
        if low == 1 and not _units()[unit].counts_one:
            return None  # 一个平台, 一批学校: "a", not a figure
        if low_text == "二":
            return None  # a count of two says 两 (两期); 二期 / 二级 name a phase or a grade
    scale = MULTIPLIERS.get(match.group("multiplier") or "", 1)
    return _Reading(match.start(), match.end(), match.start(), low * scale,
                    None if high is None else high * scale, _UNIT_ALIASES.get(unit, unit), after,
                    bool(match.group("more")))


def _quantities_in_clause(text: str, clause_start: int, clause_end: int,
                          readings: list[_Reading]) -> list[Quantity]:
    quantities: list[Quantity] = []
    segment_start = clause_start
    respective = _RESPECTIVELY in text[clause_start:clause_end]
    spread: list[Quantity] = []  # one figure given to each of A率和B率, waiting for 分别's further figures
    for index, reading in enumerate(readings):
        following = readings[index + 1].start if index + 1 < len(readings) else clause_end
        segment_end = _split_point(text, reading.end, following) if index + 1 < len(readings) else clause_end
        found = _quantities_of(text, segment_start, segment_end, reading)
        if quantities and found and _only_connectors(text[readings[index - 1].end:reading.start]):
            found = [_as_listed_after(q, quantities[-1]) for q in found]
            if spread:  # A率和B率分别提高2个和1.5个百分点: the second figure is B's, not a second one for B
                taken = spread.pop(0)
                quantities.remove(taken)
                found = [replace(q, indicator=taken.indicator) for q in found]
        elif respective and len(found) > 1:
            spread = found[1:]
        quantities += found
        segment_start = segment_end
    return quantities


def _only_connectors(between: str) -> bool:
    return not between.strip(_CONNECTORS + " ")


def _as_listed_after(quantity: Quantity, previous: Quantity) -> Quantity:
    """分别不超过45人、50人: a figure listed right after another shares its comparator and,
    having no words of its own, its indicator."""
    comparator = previous.comparator if quantity.comparator == "=" else quantity.comparator
    return replace(quantity, comparator=comparator, indicator=previous.indicator)


def _split_point(text: str, after: int, before: int) -> int:
    """Where the text between two figures is cut: at the first 、/和 between them, else after the first."""
    for position in range(after, before):
        if text[position] in _CONNECTORS:
            return position
    return after


def _quantities_of(text: str, start: int, end: int, reading: _Reading) -> list[Quantity]:
    comparator, phrase_start = _comparator(text, start, reading)
    pre = text[start:phrase_start if phrase_start is not None else reading.number_start]
    post = text[reading.end:end]
    value_max = plain(reading.value_max) if reading.value_max is not None else None
    quote = _tidy_quote(text[start:end])
    parts = _rate_parts(pre)
    if len(parts) < 2:
        # nothing but a comparator before the figure (，控制在2%以内): "", the subject comes from _with_subjects
        indicator = _indicator(pre, post) or ("" if phrase_start is not None else quote)
        return [Quantity(reading.start, reading.end, plain(reading.value), reading.unit, comparator, value_max,
                         quote, indicator)]
    quantities = []
    for offset, indicator in parts:
        part_quote = quote if not quantities else _tidy_quote(text[start + offset:end])
        quantities.append(Quantity(reading.start, reading.end, plain(reading.value), reading.unit, comparator,
                                   value_max, part_quote, _indicator(indicator, "")))
    return quantities


def _comparator(text: str, start: int, reading: _Reading) -> tuple[str, int | None]:
    """The comparator and where its "before" phrase starts (to end the indicator there)."""
    kind = _units()[reading.unit].kind if reading.unit in _units() else "percent"
    phrase_start = _first_phrase_start(text, start, reading.number_start, kind in _RATE_KINDS)
    if reading.value_max is not None:
        return "between", phrase_start
    if reading.after:
        return _comparator_phrases()[reading.after].comparator, phrase_start
    chosen = None
    for match in _before_pattern().finditer(text, start, reading.number_start):
        info = _comparator_phrases()[match.group()]
        gap = len(text[match.end():reading.number_start].replace(" ", ""))
        if gap <= info.gap and (not info.rate_only or kind in _RATE_KINDS):
            chosen = info
    if chosen:
        return chosen.comparator, phrase_start
    return (">=" if reading.more else "="), phrase_start


def _first_phrase_start(text: str, start: int, number_start: int, is_rate: bool) -> int | None:
    """Where the first comparator phrase of two or more characters stands before the number
    (提升 only counts before a rate: 三年提升计划新增学位1.35万个 keeps its words)."""
    for match in _before_pattern().finditer(text, start, number_start):
        info = _comparator_phrases()[match.group()]
        if info.rate_only and not is_rate:
            continue
        if len(match.group()) >= 2 or match.end() == number_start:
            return match.start()
    return None


def _rate_parts(pre: str) -> list[tuple[int, str]]:
    """'义务教育巩固率和残疾儿童、少年入学率' → [(0, '义务教育巩固率'), (8, '残疾儿童、少年入学率')]."""
    parts, begin = [], 0
    for match in _rate_split_pattern().finditer(pre):
        parts.append((begin, pre[begin:match.start("connector")]))
        begin = match.end()
    if parts:
        parts.append((begin, pre[begin:]))
    return parts


def _indicator(pre: str, post: str) -> str:
    """The noun phrase measured: words before the figure (lead words and comparator cut off)
    plus the noun a count is of (新建40所公办学校 → 新建公办学校); quotation marks dropped."""
    pre = _TRAILING_DISTRIBUTOR.sub("", _lead_pattern().sub("", _QUOTE_MARKS.sub("", pre).strip()))
    pre = pre.rstrip(" 的为在各")
    post = _QUOTE_MARKS.sub("", post.split("”")[0]).strip().lstrip("的")
    post = "" if post[:1] in "，,。；;" else post[:30]
    return (pre + post).strip()


def _tidy_quote(quote: str) -> str:
    return _LEADING_LIST_MARKS.sub("", quote.strip().lstrip(_CONNECTORS + " ")).strip()

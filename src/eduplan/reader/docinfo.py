"""What a document says about itself: its title line, the year it covers, its kind, its
issuer and, for a summary, its list of shortcomings (存在问题). The words live in
data/outline.tsv; this module holds the small general rules around them.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

from .markers import chinese_number

_CJK = "\u4e00-\u9fff"
_YEAR = r"(?:19|20)\d{2}"
# A title is looked for only in the first characters of a line: it is short by nature.
TITLE_WINDOW = 120


@dataclass(frozen=True)
class TitleLine:
    title: str
    year: int | None
    rest: str  # what followed the title on its line (a flattened preamble), else ""
    tail: str = ""  # a note or page-title suffix after the title: (征求意见稿), _XX市教育局
    # "2020年工作总结和2021年工作要点": the title of the document that follows this one.
    then: TitleLine | None = None


@cache
def words() -> dict[str, tuple[str, ...]]:
    table = files("eduplan.reader").joinpath("data", "outline.tsv").read_text(encoding="utf-8")
    found: dict[str, list[str]] = defaultdict(list)
    for line in table.splitlines():
        if line.strip() and not line.startswith("#"):
            category, phrase = line.split("\t")
            found[category].append(phrase)
    return {category: tuple(phrases) for category, phrases in found.items()}


def _alternation(category: str) -> str:
    # Longest first, so 工作要点 wins over 要点.
    return "|".join(re.escape(p) for p in sorted(words()[category], key=len, reverse=True))


@cache
def _title_pattern() -> re.Pattern[str]:
    extensions = _alternation("file_extension")
    # pre: page junk before the title that holds no Chinese (a domain name, a preview's "1、").
    # title: an optional place/issuer run, an optional year, a short run, the kind phrase.
    # rest: nothing, a file extension, or the opening of a preamble the page ran on.
    return re.compile(
        rf"^(?P<pre>[^{_CJK}]{{0,30}}?)"
        rf"(?<!\d)(?P<title>(?P<lead>[{_CJK}X]{{0,24}}?)(?:(?P<year>{_YEAR})(?:\s?[-—–~至]\s?{_YEAR})?(?:\s?学?年度?)?)?[{_CJK}X]{{0,20}}?"
        rf"(?P<kind>{_alternation('title_kind')}))"
        rf"(?P<rest>(?P<tail>(?:{extensions})?\s*(?:[(（][^()（）]{{1,12}}[)）])?\s*(?:[-_|—]{{1,2}}.{{0,40}})?)$"
        rf"|(?={_YEAR}\s?年|一、|[(（]一[)）])|(?:{_alternation('title_rest')}).*)",
        re.IGNORECASE,
    )


@cache
def _kind_hint() -> re.Pattern[str]:
    return re.compile(_alternation("title_kind"))


def names_a_kind(text: str) -> bool:
    """Does the text hold a kind phrase (工作要点, 总结…) anywhere? A cheap test before a title search."""
    return _kind_hint().search(text) is not None


# A cover notice names the document in 《》: 关于印发《XX市2021年教育工作要点》的通知.
_NOTICE = re.compile(rf"^[^{_CJK}]{{0,30}}[{_CJK}X]{{0,20}}?关于(?:印发|下发|发布|转发)"
                     rf"《?(?P<inner>[^《》]{{4,60}}?)》?的?通知$")


_CHINESE_YEAR = re.compile(r"(?<![〇零一二三四五六七八九])([一二][〇零一二三四五六七八九]{3})(?=\s?年)")
_NOTED_YEAR = re.compile(rf"^[(（]({_YEAR})\s?年")


def match_title(line: str) -> TitleLine | None:
    """The document title a line holds (stripped of page junk around it), or None."""
    notice = _NOTICE.match(line)
    if notice:
        inner = match_title(notice.group("inner"))
        return TitleLine(inner.title, inner.year, "", line) if inner and not inner.rest else None
    head = line[:TITLE_WINDOW]
    if not _kind_hint().search(head):
        return None
    if _CHINESE_YEAR.search(head):  # 二〇二三年工作要点: the year in digits, as the rest of the reader reads it
        line = _CHINESE_YEAR.sub(lambda m: str(chinese_number(m.group(1))), line)
        head = line[:TITLE_WINDOW]
    combined = _combined_title(line) if any(c in head for c in "和及暨与") else None
    if combined is not None:
        return combined
    match = _title_pattern().match(head)
    if match is None:
        return None
    title = re.sub(r"\s+", "", match.group("title"))
    year = int(match.group("year")) if match.group("year") else None
    if year is None:
        # Without a year only an issuer-led title of a full kind phrase counts
        # (教体局重点工作安排意见), never a menu entry like 工作总结 or 年终总结.
        lead = title[: len(title) - len(match.group("kind"))]
        if len(match.group("kind")) < 4 or len(lead) < 2:
            return None
    if match.group("tail") is not None:  # a draft note, an extension or a page-title suffix
        tail = match.group("tail").strip()
        noted = _NOTED_YEAR.search(tail) if year is None else None  # 工作要点(2021年)
        return TitleLine(title, int(noted.group(1)) if noted else year, "", tail)
    return TitleLine(title, year, (head[match.end("title"):] + line[TITLE_WINDOW:]).strip())


_COMBINED = re.compile(rf"^(?P<first>.{{4,50}}?)(?:和|及|暨|与|以及)(?P<second>(?:{_YEAR})?.{{2,40}})$")


def _combined_title(line: str) -> TitleLine | None:
    """One heading naming two documents: 2020年工作总结和2021年工作要点, or 2020年工作总结和工作计划
    (the second then covers the year after the first)."""
    match = _COMBINED.match(line)
    if match is None:
        return None
    first = match_title(match.group("first"))
    if first is None or first.rest or first.year is None:
        return None
    named = match.group("second")
    second = match_title(named if re.match(_YEAR, named) else f"{first.year + 1}年{named}")
    if second is None or second.rest:
        return None
    return TitleLine(first.title, first.year, "", line, then=second)


def kind_of(title: str | None) -> str:
    return title_kind(title) or "plan"


def title_kind(title: str | None) -> str | None:
    """"summary" or "plan" as the title says, None when it does not say (no title, a speech,
    a 工作报告): then the document's shape decides (see text_kind)."""
    if not title:
        return None
    if any(word in title for word in words()["summary_word"]):
        return "summary"
    if any(word in title for word in words()["open_kind"]):
        return None
    return "plan"


def heading_kind(heading: str) -> str | None:
    """What a top-level section heading announces: a look back ("2009年工作回顾") or a plan
    ("2010年工作重点"); None for a topic heading."""
    head = heading[:30]
    if any(word in head for word in words()["review_heading"]):
        return "summary"  # first: 重点工作完成情况 reviews
    if any(word in head for word in words()["plan_heading"]):
        return "plan"
    return None


def heading_year(heading: str) -> int | None:
    match = re.search(rf"(?<!\d)({_YEAR})\s?年", heading[:30])
    return int(match.group(1)) if match else None


def looks_back(heading: str, year: int | None) -> bool:
    """Does a plan's section heading review a past year (一、2022年工作回顾, 过去一年工作成效)?"""
    if heading_kind(heading) != "summary":
        return False
    named = heading_year(heading)
    if named is not None:
        return year is None or named < year
    # Without a year only a plain review word counts: a plan's "及时总结推广经验" plans a summing-up.
    return any(word in heading[:30] for word in words()["review_without_year"])


def plans_ahead(heading: str, year: int | None) -> bool:
    """Does a summary's section heading plan the coming year (三、2024年工作打算, 下一步工作思路)?"""
    if heading_kind(heading) != "plan":
        return False
    named = heading_year(heading)
    if named is not None:
        return year is None or named > year
    return any(word in heading[:30] for word in words()["next_word"])


@cache
def _verb_patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    return re.compile(_alternation("summary_verb")), re.compile(_alternation("plan_verb"))


# Report verbs must outnumber commitment verbs by this much before an untitled text is a summary:
# plans mention what exists too (已建成…), summaries rarely promise.
SUMMARY_VERB_RATIO = 1.5
SUMMARY_VERB_MIN = 3


def text_kind(text: str) -> str:
    """A document's kind from its verbs: 完成、建成、已、累计 report; 要、将、力争、确保 commit."""
    summary_verbs, plan_verbs = _verb_patterns()
    reported = len(summary_verbs.findall(text))
    committed = len(plan_verbs.findall(text))
    return "summary" if reported >= SUMMARY_VERB_MIN and reported > SUMMARY_VERB_RATIO * committed else "plan"


@cache
def _covered_year_patterns() -> tuple[re.Pattern[str], ...]:
    """Strongest first: …年…总体要求, then …年是, then …年 followed by a listed word."""
    # Not the end of a range (2021-2025年) nor a year inside a quoted name (…规划》主要目标).
    year = rf"(?<![-—–~至\d])({_YEAR})\s?年"
    return (
        re.compile(rf"{year}[^。;；《》、]{{0,14}}?(?:{_alternation('covered_year_strong')})"),
        re.compile(rf"{year}\s?是"),
        re.compile(rf"{year}\s?(?:{_alternation('covered_year_next')})"),
    )


def covered_year(preamble: str) -> int | None:
    """The year a preamble says the plan covers: 2020年全市教育工作的总体要求 / 2023年是…"""
    for pattern in _covered_year_patterns():
        match = pattern.search(preamble)
        if match:
            return int(match.group(1))
    return None


def opens_with_covered_year(paragraph: str) -> bool:
    """Does a paragraph open as a preamble does: 2021年是… / 2021年全市教育工作的总体要求…"""
    return _covered_year_patterns()[-1].match(paragraph) is not None


@cache
def _issuer_pattern() -> re.Pattern[str]:
    places = "".join(words()["place_end"])
    return re.compile(rf"[{_CJK}X]{{1,12}}?[{places}](?:{_alternation('issuer_suffix')})")


def find_issuer(texts: list[str]) -> str | None:
    """The issuing body named in the title or byline (…市教育局), never a bare 市教育局."""
    for text in texts:
        match = _issuer_pattern().search(text)
        if match:
            return match.group(0)
    return None


def signature_issuer(line: str) -> str | None:
    """A closing line that is only the issuer's name (…市教育局), as a signature is."""
    if len(line) > 30 or any(c in line for c in "。,，;；:："):
        return None
    match = _issuer_pattern().search(line)
    return match.group(0) if match and line.rstrip().endswith(match.group(0)) else None


_DATE_LINE = re.compile(rf"^[(（]?\s?{_YEAR}\s?年\s?\d{{1,2}}\s?月(?:\s?\d{{1,2}}\s?日)?\s?[)）]?$")


def is_date_line(line: str) -> bool:
    """A line that is only a date (2021年3月1日), the date under a title or a signature."""
    return _DATE_LINE.match(line) is not None


def is_byline(line: str) -> bool:
    return len(line) <= 80 and "。" not in line and any(w in line for w in words()["byline"])


@cache
def _problem_heading() -> re.Pattern[str]:
    return re.compile(_alternation("problem_heading"))


def problem_heading_end(text: str, within: int = 40) -> int | None:
    """Where the list after a problems heading starts, if the text opens with one."""
    match = _problem_heading().search(text[:within])
    if match is None:
        return None
    # Skip the rest of the heading phrase: "存在以下问题:" / "存在的问题和不足。"
    tail = _HEADING_TAIL.match(text, match.end())
    return tail.end() if tail else match.end()


def problem_list_start(paragraph: str) -> int | None:
    """Where the shortcomings start in a paragraph that is a problems heading, in its own
    line ("存在的问题") or opening a list ("还存在以下问题:一是…"); None for a paragraph
    that only mentions problems ("针对存在问题,我们…")."""
    match = _problem_heading().search(paragraph[:24])
    if match is None:
        return None
    tail = _HEADING_TAIL.match(paragraph, match.end())
    end = tail.end() if tail else match.end()
    rest = paragraph[end:].lstrip()
    if tail is None and rest and not _ENUMERATOR.match(rest):
        return None
    return end


_HEADING_TAIL = re.compile(r"[^。;；,，\n是]{0,12}?[:：。]")
_ENUMERATOR = re.compile(r"([一二三四五六七八九十]{1,3})是")


def split_enumerated(text: str) -> list[str] | None:
    """一是…二是…三是… into its parts, in order; None when the text is not so enumerated."""
    cuts, expected = [], 1
    for match in _ENUMERATOR.finditer(text):
        at_boundary = match.start() == 0 or text[match.start() - 1] in "。;；:：,，\n "
        if at_boundary and chinese_number(match.group(1)) == expected:
            cuts.append((match.start(), match.end()))
            expected += 1
    if not cuts or (len(cuts) == 1 and cuts[0][0] != 0):
        return None
    # Each part ends at the next enumerator or at its paragraph's end (what follows the
    # list, such as next year's plans, is not a problem).
    parts = [text[body:(cuts[i + 1][0] if i + 1 < len(cuts) else len(text))].split("\n", 1)[0]
             for i, (_, body) in enumerate(cuts)]
    return [p for p in (tidy_problem(p) for p in parts) if p]


def split_sentences(text: str) -> list[str]:
    return [p for p in (tidy_problem(p) for p in re.split(r"(?<=[。;；])|\n", text)) if p]


def tidy_problem(part: str) -> str:
    return part.strip().strip("。;；,，").strip()

"""Plan targets linked to catalog indicators and judged: met / on track / at risk / missed / no data.

Linking (link_target) scores every catalog indicator against the target's indicator text by its
name and aliases (character-bigram overlap; a name inside the text scores by how much it covers),
refuses a stage mismatch (小学 vs 初中 …) or a qualifier (公办, 普惠 …) missing from both the indicator text and
the target's clause, and prefers indicators in the target's unit (a percentage never fits a 差异系数)
(data/linking.toml holds the filler, stage and delivery words and the unit groups; a count indicator
scores lower for a delivery: 完成33个学校建设项目 is not the stock of schools). It returns candidates with
scores; a person confirms or changes the link on the web.

Judging (judge) decides, for the city's value series of the linked indicator (for a 差异系数: its
worst county's, the 办法 judging each county), on the statistics of the year the deadline falls in
(its "deadline year"; those of later years do not count for it):
- no data:  no value for the latest statistics year up to the deadline year (for a 新增 target: for it
            and the year before), or none for the deadline year when later years are in;
- met:      the value satisfies the comparator (the deadline year's, or an earlier one already);
- missed:   the deadline year's value does not, and the deadline has passed; never before the
            deadline year's statistics are in (a deadline passed without them is still on track or
            at risk, "awaiting" that year);
- on track: not met, no deadline-year value yet, and the least-squares line through the last
            (up to four) yearly values, extended to the deadline year, satisfies it;
- at risk:  not met and the trend does not get there (or there are fewer than two years to draw a
            trend from), or the deadline year's value falls short before the deadline date.
The comparator's direction comes from the words (the reader reads 降至/控制在/消除/以内 as ceilings); a
bare "=" on a lower-is-better indicator (大班额比例为0) is a ceiling too.
A 新增 target (comparator "+", or an indicator text opening with 新增) is judged on the year-over-year difference; its trend is the trend of the level,
so the projected increase is projection(deadline year) − value(year before the latest).
The deadline is the target's own, else the end of the plan's year. Statistics of year Y are the
autumn census of Y, so a deadline from September of Y onward is measured by year Y's statistics.
An increase target's "=", "~" (约) or "+" means at least that increase (约: within 5 % below).
A plain "=" (评定示范校30所, 培养100名教师) is a count to deliver, so delivering more meets it too.
gap = value − target (for between: distance to the nearest bound, 0 inside).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import asdict, dataclass
from datetime import date
from functools import cache
from importlib.resources import files

from eduplan.reader.model import Target

from .catalog import catalog

STATUSES = ("met", "on_track", "at_risk", "missed", "no_data")
TREND_YEARS = 4
APPROX_TOLERANCE = 0.05  # "~" (左右): within 5 % of the target


@dataclass(frozen=True)
class Candidate:
    indicator_id: str
    name: str
    score: float
    unit_agrees: bool = True  # the target's unit (and measure noun: 学位) is the indicator's


@dataclass(frozen=True)
class Judgement:
    status: str
    indicator_id: str | None
    year: int | None  # the statistics year judged
    value: float | None  # the value judged (for 新增: the increase)
    target: float
    gap: float | None
    deadline: str
    projected: float | None = None
    reason: str = ""
    awaiting: int | None = None  # the deadline has passed; the statistics of this year (its deadline year) are not in

    def to_dict(self) -> dict:
        return asdict(self)


# ---------------------------------------------------------------- linking

@cache
def _linking() -> dict:
    return tomllib.loads(files("eduplan.indicators").joinpath("data/linking.toml").read_text("utf-8"))


def _normalise(text: str) -> str:
    text = re.sub(r"[\s\"“”‘’'《》（）()、，,。:：;；]", "", text)
    for word in sorted(_linking()["filler"], key=len, reverse=True):
        text = text.replace(word, "")
    return text


def _bigrams(text: str) -> set[str]:
    return {text[i:i + 2] for i in range(len(text) - 1)} or {text}


def _similarity(text: str, name: str) -> float:
    """Dice overlap of character bigrams; a name inside the text scores by how much of it it covers."""
    if not text or not name:
        return 0.0
    if name in text or text in name:
        return 0.5 + 0.5 * min(len(text), len(name)) / max(len(text), len(name))
    a, b = _bigrams(text), _bigrams(name)
    return 2 * len(a & b) / (len(a) + len(b))


def _stages(text: str) -> set[str]:
    return {stage for stage, words in _linking()["stages"].items() if any(w in text for w in words)}


def units_compatible(target_unit: str, indicator_unit: str) -> bool:
    """A target without a unit fits any indicator; a unitless indicator (a 差异系数) fits only such a target."""
    if not target_unit or target_unit == indicator_unit:
        return True
    if not indicator_unit:
        return False
    return any(target_unit in group and indicator_unit in group for group in _linking()["unit_groups"])


def measures_agree(text: str, item) -> bool:
    """A target measured in a noun no indicator of another unit counts (学位 is places, not 人 enrolled)."""
    return all(noun in " ".join(item.names) for noun in _linking()["measure_nouns"] if noun in text)


def is_increase(target: Target) -> bool:
    """新增 targets are judged on the year-over-year difference."""
    return target.comparator == "+" or (target.indicator or "").startswith(tuple(_linking()["increase_words"]))


def _lacks_qualifier(text: str, item) -> bool:
    """True when every name of the indicator carries a qualifier the text does not."""
    return any(all(q in name for name in item.names) and q not in text for q in _linking()["qualifiers"])


def link_target(target: Target, limit: int = 5) -> list[Candidate]:
    """Catalog indicators that may measure the target, best first, each with a score in (0, 1]."""
    raw = target.indicator or target.quote
    text = _normalise(raw)
    wanted_stages = _stages(raw)
    # The clause may name the qualifier the indicator text leaves out (其中骨干教师不低于交流总数的20%).
    context = f"{raw} {target.quote}"
    increase = is_increase(target)
    delivery = any(word in raw for word in _linking()["delivery_words"])
    scored = []
    for item in catalog().values():
        if _lacks_qualifier(context, item):
            continue
        item_stages = _stages(" ".join(item.names))
        if wanted_stages and item_stages and not wanted_stages & item_stages:
            continue
        score = max(_similarity(text, _normalise(name)) for name in item.names)
        if increase and item.kind != "count":
            score *= 0.5  # an increase is counted in schools, places, people
        if delivery and item.kind == "count":
            score *= 0.5
        agrees = units_compatible(target.unit, item.unit) and measures_agree(raw, item)
        if not agrees:
            score *= 0.6
        if score >= _linking()["min_score"]:
            scored.append(Candidate(item.id, item.name, round(score, 3), agrees))
    scored.sort(key=lambda c: -c.score)
    return scored[:limit]


# ---------------------------------------------------------------- judging

def satisfies(value: float, target: Target, direction: str = "higher") -> bool:
    """Whether a value meets the target; a bare "=" on a lower-is-better indicator is a ceiling."""
    op = target.comparator
    if is_increase(target):  # 新增 N (=, 约, 以上): an increase of at least N (about N: within 5 %)
        floor = target.value * (1 - APPROX_TOLERANCE) if op == "~" else target.value
        return value >= floor
    if op == ">=":
        return value >= target.value
    if op == "<=":
        return value <= target.value
    if op == "between":
        return target.value <= value <= (target.value_max if target.value_max is not None else target.value)
    if op == "~":
        return abs(value - target.value) <= APPROX_TOLERANCE * abs(target.value)
    slack = 1e-9 * max(1.0, abs(target.value))
    if direction == "lower":
        return value <= target.value + slack  # 大班额比例为0: at most
    return value >= target.value - slack  # "=": a count to deliver


def gap(value: float, target: Target) -> float:
    if target.comparator == "between" and target.value_max is not None:
        if value < target.value:
            return value - target.value
        return max(0.0, value - target.value_max)
    return value - target.value


def _trend_at(series: dict[int, float], year: int, upto: int) -> float | None:
    """The least-squares line through the last TREND_YEARS values up to `upto`, read at `year`."""
    points = sorted((y, v) for y, v in series.items() if y <= upto and v is not None)[-TREND_YEARS:]
    if len(points) < 2:
        return None
    n = len(points)
    mean_x = sum(y for y, _ in points) / n
    mean_y = sum(v for _, v in points) / n
    slope = sum((y - mean_x) * (v - mean_y) for y, v in points) / sum((y - mean_x) ** 2 for y, _ in points)
    return mean_y + slope * (year - mean_x)


def deadline_of(target: Target, plan_year: int | None) -> date | None:
    if target.deadline:
        try:
            return date.fromisoformat(target.deadline)
        except ValueError:
            pass
    return date(plan_year, 12, 31) if plan_year else None


def deadline_year(deadline: date) -> int:
    """The statistics year that measures a deadline: year Y's census is taken in the autumn of Y."""
    return deadline.year if deadline.month >= 9 else deadline.year - 1


def judge(target: Target, indicator_id: str | None, series: dict[int, float], as_of: date,
          plan_year: int | None = None) -> Judgement:
    """Judge a target against its linked indicator's yearly values (series: year → city value, for a
    差异系数 the worst county's: see judged_series).

    Only statistics years whose census is in by as_of count (year Y's from 1 October of Y), and
    none after the deadline year.
    """
    deadline = deadline_of(target, plan_year) or date(as_of.year, 12, 31)
    due = deadline_year(deadline)
    census_in = {y: v for y, v in series.items() if date(y, 10, 1) <= as_of}
    known = {y: v for y, v in census_in.items() if v is not None and y <= due}
    base = dict(status="no_data", indicator_id=indicator_id, year=None, value=None, target=target.value,
                gap=None, deadline=deadline.isoformat())
    if indicator_id is None:
        return Judgement(**base, reason="no catalog indicator is confidently linked to this target")
    if any(y > due for y in census_in) and due not in known:
        return Judgement(**base | {"year": due}, reason=f"no statistics for {due}, the year of the deadline")
    if not known:
        return Judgement(**base, reason="no statistics for this indicator yet")
    latest = max(known)
    value = known[latest]
    increase = is_increase(target)
    if increase:
        if latest - 1 not in known:
            return Judgement(**base | {"year": latest}, reason=f"an increase needs {latest - 1} as well as {latest}")
        value = known[latest] - known[latest - 1]
    direction = catalog()[indicator_id].direction if indicator_id in catalog() else "higher"
    base |= {"year": latest, "value": value, "gap": gap(value, target)}
    if satisfies(value, target, direction):
        return Judgement(**base | {"status": "met"})
    if latest == due:
        if as_of > deadline:
            return Judgement(**base | {"status": "missed"}, reason=f"the deadline {deadline} has passed")
        return Judgement(**base | {"status": "at_risk"}, reason=f"{due}'s statistics fall short")
    projected = _trend_at(known, due, latest)
    if projected is not None and increase:
        projected -= known[latest - 1]
    late = as_of > deadline
    base |= {"projected": projected, "awaiting": due if late else None}
    awaiting = f"; awaiting {due}'s statistics" if late else ""
    if projected is not None and satisfies(projected, target, direction):
        return Judgement(**base | {"status": "on_track"}, reason=f"the trend reaches {projected:.4g} by {due}{awaiting}")
    why = "too few years for a trend" if projected is None else f"the trend reaches only {projected:.4g} by {due}"
    return Judgement(**base | {"status": "at_risk"}, reason=why + awaiting)


def judged_series_sql() -> str:
    """indicator_id, year, value: what a target is judged on. The city's value, but for a 差异系数 the
    largest of its counties' (the 办法 judge each county; the city-wide cv is only descriptive), no data
    when any county's is (a worst's city value is already its worst county's)."""
    cvs = ", ".join(f"'{i.id}'" for i in catalog().values() if i.kind == "cv") or "''"
    return ("SELECT indicator_id, year, value FROM indicator_values "
            f"WHERE level = 'city' AND indicator_id NOT IN ({cvs}) UNION ALL "
            "SELECT indicator_id, year, CASE WHEN count(*) = count(value) THEN max(value) END FROM indicator_values "
            f"WHERE level = 'district' AND indicator_id IN ({cvs}) GROUP BY indicator_id, year")


def city_series(con, indicator_id: str) -> dict[int, float]:
    """The judged value of an indicator, year by year (from computed indicator_values)."""
    rows = con.execute(f"SELECT year, value FROM ({judged_series_sql()}) WHERE indicator_id = ?",
                       [indicator_id]).fetchall()
    return dict(rows)


def confident_link(candidates: list[Candidate] | tuple[Candidate, ...], unit: str) -> str | None:
    """The link judged before a person confirms one: the best candidate, scoring high enough, in the
    target's unit and measure, and ahead of the next (a tie between indicators is no confident choice)."""
    best = next(iter(candidates), None)
    if best is None or best.score < _linking()["judge_min_score"] or not best.unit_agrees:
        return None
    if len(candidates) > 1 and candidates[1].score >= best.score:
        return None
    return best.indicator_id if units_compatible(unit, catalog()[best.indicator_id].unit) else None


def judge_plan(con, plan, as_of: date) -> list[dict]:
    """Every target of a read plan: its best link (if any), candidates, and judgement."""
    results = []
    for document in plan.documents:
        targets = list(document.targets) + [t for item in document.walk() for t in item.targets]
        for target in targets:
            candidates = link_target(target)
            chosen = confident_link(candidates, target.unit)
            series = city_series(con, chosen) if chosen else {}
            judgement = judge(target, chosen, series, as_of, document.year)
            results.append({"quote": target.quote, "indicator": target.indicator,
                            "candidates": [asdict(c) for c in candidates], **judgement.to_dict()})
    return results

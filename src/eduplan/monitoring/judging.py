"""Ledger targets linked to catalog indicators and judged against the city's computed values.

A target's link is the person's confirmed choice (TargetLink) or else the reader's confident
automatic link. Judging reads only city-level values (a 差异系数's worst county's), loaded once per
statistics version for all indicators, so a page judging a whole plan costs one small query at any scale.

A target no indicator measures with data (培训教师5000人次) is judged on the latest value a unit
reported for it (a progress report's TargetValue, up to as_of): met by the same comparator rules,
else missed once its deadline has passed and at risk before. There is no trend to project from
monthly reports, so such a target is never "on track". Every page, the dashboard and the summary
judge through judge_targets, so they agree.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from django.utils import timezone

from eduplan.indicators import targets as linking
from eduplan.indicators.catalog import catalog
from eduplan.indicators.targets import Candidate, Judgement
from eduplan.reader.model import Target as ReadTarget

from . import statistics

STATUSES = linking.STATUSES


@dataclass(frozen=True)
class TargetJudgement:
    target_id: int
    indicator_id: str | None
    indicator_name: str | None
    confirmed: bool  # a person chose (or refused) the link
    candidates: tuple[Candidate, ...]
    judgement: Judgement
    source: str = "indicator"  # what was judged: "indicator" (city statistics), "reported" (a unit's report), ""

    @property
    def status(self) -> str:
        return self.judgement.status


def as_read_target(target) -> ReadTarget:
    """A ledger Target in the reader's shape, which the linker and judge take."""
    return ReadTarget(quote=target.quote, indicator=target.indicator, comparator=target.comparator,
                      value=target.value, unit=target.unit, value_max=target.value_max,
                      deadline=target.deadline.isoformat() if target.deadline else None)


@lru_cache(maxsize=4096)
def _candidates(indicator: str, quote: str, comparator: str, value: float, unit: str) -> tuple[Candidate, ...]:
    read = ReadTarget(quote=quote, indicator=indicator, comparator=comparator, value=value, unit=unit)
    return tuple(linking.link_target(read))


def candidates(target) -> tuple[Candidate, ...]:
    return _candidates(target.indicator, target.quote, target.comparator, target.value, target.unit)


def automatic_link(target) -> str | None:
    """The confident automatic link the reader would judge on, or None."""
    return linking.confident_link(candidates(target), target.unit)


_series_lock = threading.Lock()
_series_cache: dict = {"version": None, "series": {}}


def city_series() -> dict[str, dict[int, float]]:
    """indicator id → {year: city value}, for every computed indicator; empty without statistics."""
    version = statistics.version()
    with _series_lock:
        if version is not None and _series_cache["version"] == version:
            return _series_cache["series"]
    series: dict[str, dict[int, float]] = {}
    with statistics.reading() as con:
        if con is not None:
            for indicator_id, year, value in _city_rows(con):
                series.setdefault(indicator_id, {})[year] = value
    with _series_lock:
        _series_cache.update(version=version, series=series)
    return series


def _city_rows(con) -> list[tuple]:
    import duckdb

    try:
        return con.execute(linking.judged_series_sql()).fetchall()
    except duckdb.CatalogException:  # statistics loaded but never computed
        return []


def judge_targets(targets: Iterable, as_of: dt.date | None = None) -> dict[int, TargetJudgement]:
    """target id → its link and judgement. Pass targets with `link` and `task__plan` selected."""
    as_of = as_of or timezone.localdate()
    series = city_series()
    names = {key: item.name for key, item in catalog().items()}
    targets = list(targets)
    reported = latest_reported(targets, as_of)
    judged = {}
    for target in targets:
        link = confirmed_link(target)
        indicator_id = (link.indicator_id or None) if link else automatic_link(target)
        read = as_read_target(target)
        judgement = linking.judge(read, indicator_id, series.get(indicator_id, {}), as_of, target.task.plan.year)
        source = "indicator"
        if judgement.status == "no_data":
            source = ""
            if target.id in reported:
                judgement, source = judge_reported(read, *reported[target.id], as_of, target.task.plan.year), "reported"
        judged[target.id] = TargetJudgement(target.id, indicator_id, names.get(indicator_id), link is not None,
                                            candidates(target), judgement, source)
    return judged


def latest_reported(targets: list, as_of: dt.date) -> dict[int, tuple[float, dt.date]]:
    """target id → (value, report period) of the latest report up to as_of that states its value."""
    from eduplan.ledger.models import TargetValue

    rows = (TargetValue.objects.filter(target_id__in=[t.id for t in targets], report__period__lte=as_of)
            .order_by("-report__period", "-report_id", "-id").values_list("target_id", "value", "report__period"))
    latest: dict[int, tuple[float, dt.date]] = {}
    for target_id, value, period in rows:
        latest.setdefault(target_id, (value, period))
    return latest


def judge_reported(read: ReadTarget, value: float, period: dt.date, as_of: dt.date, plan_year: int | None) -> Judgement:
    """A unit's reported value against the target (no trend: met, else missed after the deadline, at risk before)."""
    deadline = linking.deadline_of(read, plan_year) or dt.date(as_of.year, 12, 31)
    base = dict(indicator_id=None, year=period.year, value=value, target=read.value,
                gap=linking.gap(value, read), deadline=deadline.isoformat())
    if linking.satisfies(value, read):
        return Judgement(status="met", **base, reason=f"reported for {period:%Y-%m}")
    if as_of > deadline:
        return Judgement(status="missed", **base, reason=f"reported for {period:%Y-%m}; the deadline {deadline} has passed")
    return Judgement(status="at_risk", **base, reason=f"reported for {period:%Y-%m}; not yet reached")


def confirmed_link(target):
    """The person's TargetLink for the target, or None (a missing reverse one-to-one raises)."""
    from django.core.exceptions import ObjectDoesNotExist

    try:
        return target.link
    except ObjectDoesNotExist:
        return None


def confirm_link(user, target, indicator_id: str) -> None:
    """Record a person's choice: a catalog indicator id, or "" for "no indicator measures this"."""
    from eduplan.ledger.services import audit

    from .models import TargetLink

    if indicator_id and indicator_id not in catalog():
        raise ValueError(f"unknown indicator {indicator_id!r}")
    before = confirmed_link(target)
    TargetLink.objects.update_or_create(target=target, defaults={"indicator_id": indicator_id, "confirmed_by": user})
    audit(user, "link_indicator", task=target.task,
          before={"target": target.indicator, "indicator": before.indicator_id if before else automatic_link(target)},
          after={"target": target.indicator, "indicator": indicator_id})

"""The indicator catalog (data/catalog.toml), loaded once and checked for consistency."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files

from .errors import IndicatorError
from .schema import tables

KINDS = ("ratio", "count", "cv", "worst")
DEFAULT_SCOPE = ("district", "city")
DIRECTIONS = ("higher", "lower")


@dataclass(frozen=True)
class Part:
    """One summed quantity: Σ expr over the rows of `table` where `where` holds."""

    table: str
    expr: str
    where: str = "TRUE"


@dataclass(frozen=True)
class Threshold:
    op: str  # ">=" or "<="
    value: float


@dataclass(frozen=True)
class Indicator:
    id: str
    name: str
    kind: str
    unit: str
    direction: str
    aliases: tuple[str, ...] = ()
    numerator: Part | None = None
    denominator: Part | None = None
    factor: float = 1.0
    of: str | None = None  # for a cv: the ratio whose spread across schools it measures
    of_all: tuple[str, ...] = ()  # for a worst: the cvs whose largest it is
    threshold: Threshold | None = None
    source: str | None = None
    note: str | None = None
    scope: tuple[str, ...] = DEFAULT_SCOPE  # the org-unit levels the threshold is a standard for
    empty_numerator_is_no_data: bool = False  # 生师比 with no pupils: nothing to measure, not 0
    names: tuple[str, ...] = field(default=(), repr=False)  # name + aliases, for linking

    def to_dict(self) -> dict:
        return {
            "id": self.id, "name": self.name, "kind": self.kind, "unit": self.unit,
            "direction": self.direction, "aliases": list(self.aliases),
            "threshold": None if self.threshold is None else {"op": self.threshold.op, "value": self.threshold.value},
            "source": self.source, "note": self.note, "scope": list(self.scope),
        }

    def judged_at(self, level: str) -> bool:
        """Whether the threshold is a standard for an org unit of this level (a school is judged only
        where the document sets the standard for each school)."""
        return self.threshold is not None and level in self.scope

    @property
    def needs_both_sides(self) -> bool:
        """A ratio whose two sides must both be reported by every school it covers: over two school
        tables, or two columns of the same rows. A numerator filter narrower than the denominator's on
        one table (classes of 56 and more) legitimately has no rows, and means 0."""
        if self.kind != "ratio" or tables()[self.denominator.table].unit != "school":
            return False
        return self.numerator.table != self.denominator.table or self.numerator.where == self.denominator.where


def _part(spec: dict | None) -> Part | None:
    if spec is None:
        return None
    return Part(spec["table"], spec["expr"], spec.get("where", "TRUE"))


def _indicator(spec: dict) -> Indicator:
    threshold = spec.get("threshold")
    return Indicator(
        id=spec["id"], name=spec["name"], kind=spec["kind"], unit=spec.get("unit", ""),
        direction=spec["direction"], aliases=tuple(spec.get("aliases", ())),
        numerator=_part(spec.get("numerator")), denominator=_part(spec.get("denominator")),
        factor=float(spec.get("factor", 1)), of=spec.get("of"), of_all=tuple(spec.get("of_all", ())),
        scope=tuple(spec.get("scope", DEFAULT_SCOPE)),
        empty_numerator_is_no_data=bool(spec.get("empty_numerator_is_no_data", False)),
        threshold=Threshold(threshold["op"], float(threshold["value"])) if threshold else None,
        source=spec.get("source"), note=spec.get("note"),
        names=(spec["name"], *spec.get("aliases", ())),
    )


@cache
def catalog() -> dict[str, Indicator]:
    """Every indicator by id, in catalog order."""
    raw = tomllib.loads(files("eduplan.indicators").joinpath("data/catalog.toml").read_text("utf-8"))
    indicators = [_indicator(spec) for spec in raw["indicator"]]
    by_id = {i.id: i for i in indicators}
    if len(by_id) != len(indicators):
        raise IndicatorError("catalog.toml: an indicator id is used twice")
    for item in indicators:
        _check(item, by_id)
    return by_id


def _check(item: Indicator, by_id: dict[str, Indicator]) -> None:
    """A catalog mistake should fail loudly at load time, not as odd SQL later."""
    problems = []
    if item.kind not in KINDS:
        problems.append(f"kind {item.kind!r}")
    if item.direction not in DIRECTIONS:
        problems.append(f"direction {item.direction!r}")
    if any(level not in ("school", "district", "city") for level in item.scope):
        problems.append(f"scope {item.scope!r}")
    if item.kind == "cv":
        if by_id.get(item.of) is None or by_id[item.of].kind != "ratio":
            problems.append(f"`of` must name a ratio, not {item.of!r}")
    elif item.kind == "worst":
        if not item.of_all or any(by_id.get(i) is None or by_id[i].kind != "cv" for i in item.of_all):
            problems.append(f"`of_all` must name cvs, not {item.of_all!r}")
    else:
        parts = [item.numerator] + ([item.denominator] if item.kind == "ratio" else [])
        if any(p is None for p in parts):
            problems.append("a numerator (and, for a ratio, a denominator) is required")
        problems += [f"unknown table {p.table!r}" for p in parts if p and p.table not in tables()]
    if problems:
        raise IndicatorError(f"catalog.toml: indicator {item.id}: " + "; ".join(problems))


def indicator(indicator_id: str) -> Indicator:
    try:
        return catalog()[indicator_id]
    except KeyError:
        raise IndicatorError(f"no indicator {indicator_id!r} in the catalog") from None

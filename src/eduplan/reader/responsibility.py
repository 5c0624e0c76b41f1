"""The units that answer for a task: 牵头单位 (lead) and 配合单位 (support), as a task's text or
its table row names them. The labels live in data/responsibility.tsv.

    find_units("…（牵头单位：基础教育处；配合单位：教师工作处、发展规划处）")
    → Units(lead=["基础教育处"], support=["教师工作处", "发展规划处"])
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from .textspans import alternation, phrases

_NAME_SEPARATORS = re.compile(r"[、，,/／]|\s+")
_NAME_MAX = 30  # a unit's name is short; more is a sentence that happened to follow a label


@dataclass
class Units:
    lead: list[str] = field(default_factory=list)
    support: list[str] = field(default_factory=list)


@cache
def _label_pattern() -> re.Pattern[str]:
    labels = [
        *phrases("responsibility.tsv", "lead"),
        *phrases("responsibility.tsv", "support"),
        *phrases("responsibility.tsv", "shared"),
    ]
    # The list runs to the end of its clause: ；。 a closing bracket or a line end; a short note in
    # brackets (（牵头）) belongs to the name before it.
    # It stops before the next label too (牵头单位：市教育局，配合单位：市财政局).
    any_label = alternation(labels)
    return re.compile(
        rf"(?P<label>{any_label})\s*[：:]\s*"
        rf"(?P<names>(?:(?!{any_label})(?:[^；;。（()）\n：:]|[(（][^()（）\n]{{1,6}}[)）])){{1,200}})"
    )


@cache
def _roles() -> dict[str, str]:
    return {
        label: role for role in ("lead", "support", "shared") for label in phrases("responsibility.tsv", role)
    }


@cache
def _mark_pattern() -> re.Pattern[str]:
    return re.compile(rf"[(（](?:{alternation(phrases('responsibility.tsv', 'mark'))})[)）]")


def find_units(text: str) -> Units:
    """The lead and support units a task names, each once, in the order written."""
    units = Units()
    if not any(text.find(colon) >= 0 for colon in "：:"):
        return units  # every label is followed by a colon
    for match in _label_pattern().finditer(text):
        role = _roles()[match.group("label")]
        names = match.group("names")
        if role == "shared":
            marked = _marked_names(names)
            lead = [name for name, leads in marked if leads]
            _extend(units.lead, lead or [name for name, _ in marked])
            _extend(units.support, [name for name, leads in marked if not leads] if lead else [])
        else:
            _extend(getattr(units, role), _names(names))
    return units


def _marked_names(names: str) -> list[tuple[str, bool]]:
    """责任单位：市教育局（牵头）、市发改委 → [(市教育局, True), (市发改委, False)]."""
    marks = _mark_pattern()
    return [(marks.sub("", name), bool(marks.search(name))) for name in _split(names)]


def _names(names: str) -> list[str]:
    return [_mark_pattern().sub("", name) for name in _split(names)]


def _split(names: str) -> list[str]:
    parts = (part.strip(" 等") for part in _NAME_SEPARATORS.split(names))
    return [part for part in parts if part and len(part) <= _NAME_MAX]


def _extend(into: list[str], names: list[str]) -> None:
    into.extend(name for name in names if name and name not in into)

"""The reader's output: a Plan holding one or more documents, each a numbered tree.

These dataclasses are the typed form of the `eduplan.parse/1` contract
(see docs/plan-format.md); `Plan.to_dict()` gives exactly that JSON shape.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

SCHEMA = "eduplan.parse/1"

Comparator = Literal[">=", "<=", "=", "~", "between", "+"]
Kind = Literal["plan", "summary"]


@dataclass
class Target:
    """A quantitative commitment: 全市新增公办幼儿园25所以上 → >= 25 所."""

    quote: str
    indicator: str
    comparator: Comparator
    value: float
    unit: str
    value_max: float | None = None
    deadline: str | None = None


@dataclass
class Actual:
    """An achieved figure, mostly in summaries: 公办幼儿园在园幼儿占比51.11%."""

    quote: str
    indicator: str
    value: float
    unit: str


@dataclass
class Deadline:
    quote: str
    date: str  # ISO yyyy-mm-dd
    # A calendar date as written (2027年8月31日, 2027-08-31) or under 完成时限: it beats 年内 / 年底.
    explicit: bool = False


@dataclass
class Deliverable:
    """A document to be issued: 出台《广州市校园安全条例》."""

    quote: str
    verb: str
    name: str


@dataclass
class Item:
    marker: str
    number: int
    title: str
    text: str
    targets: list[Target] = field(default_factory=list)
    actuals: list[Actual] = field(default_factory=list)
    deadlines: list[Deadline] = field(default_factory=list)
    deliverables: list[Deliverable] = field(default_factory=list)
    # The units that answer for the task: 牵头单位 (lead) and 配合单位 (support), as named in its text.
    lead_units: list[str] = field(default_factory=list)
    support_units: list[str] = field(default_factory=list)
    children: list[Item] = field(default_factory=list)

    def walk(self):
        """Yield this item and every descendant, in document order."""
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass
class Document:
    title: str | None
    year: int | None
    kind: Kind
    issuer: str | None = None
    preamble: str = ""
    targets: list[Target] = field(default_factory=list)
    actuals: list[Actual] = field(default_factory=list)
    items: list[Item] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def walk(self):
        """Yield every item of the tree, in document order."""
        for item in self.items:
            yield from item.walk()


@dataclass
class Source:
    name: str
    format: Literal["txt", "html", "docx", "pdf"]
    encoding: str
    script: Literal["simplified", "traditional"]


@dataclass
class Plan:
    source: Source
    documents: list[Document] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    cleaned: str = ""  # the cleaned text the documents were read from (the ledger's draft shows it)

    def to_dict(self) -> dict[str, Any]:
        """The `eduplan.parse/1` object (warnings are reported on stderr, not here)."""
        return {
            "schema": SCHEMA,
            "source": asdict(self.source),
            "documents": [_document_dict(d) for d in self.documents],
        }


_DOCUMENT_KEYS = ("title", "issuer", "year", "kind", "preamble", "targets", "actuals", "items", "problems")
_ITEM_KEYS = ("marker", "number", "title", "text", "targets", "actuals", "deadlines", "deliverables",
              "lead_units", "support_units", "children")


def _document_dict(document: Document) -> dict[str, Any]:
    raw = asdict(document)
    return {key: raw[key] for key in _DOCUMENT_KEYS} | {"items": [_item_dict(i) for i in document.items]}


def _item_dict(item: Item) -> dict[str, Any]:
    raw = asdict(item)
    ordered = {key: raw[key] for key in _ITEM_KEYS}
    ordered["children"] = [_item_dict(c) for c in item.children]
    return ordered

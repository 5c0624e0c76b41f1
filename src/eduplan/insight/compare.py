"""Two plans side by side: which tasks carry over, which are new or dropped, and which targets
were tightened (收紧), loosened (放宽), kept, added or dropped.

Tightened means more demanding, read by the comparator: a floor raised (≥50% → ≥55%) or a ceiling
lowered (大班额 ≤1% → ≤0.5%); a count to reach (= 12所 → = 15所) is a floor.

Works on reader Documents of any two years or cities. A summary's achieved figures (actuals)
stand in for its targets, so last year's 总结 against this year's 要点 shows whether the new
target is above or below what was reached.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import asdict, dataclass, field
from functools import cache
from importlib import resources
from typing import Any, Literal

from ..reader.model import Document, Item
from .similarity import assign_one_to_one, bigrams, cosine, inverse_document_frequency, tfidf

Change = Literal["tightened", "loosened", "unchanged", "new", "dropped"]
CEILINGS = ("<=",)  # comparators whose lower value asks more


@dataclass
class Figure:
    """A target, or a summary's achieved value, with the task it belongs to."""

    indicator: str
    comparator: str  # a target's comparator, or "actual"
    value: float
    unit: str
    task: str
    value_max: float | None = None
    task_index: int = -1


@dataclass
class TaskPair:
    a: str
    b: str
    score: float


@dataclass
class TargetChange:
    change: Change
    a: Figure | None
    b: Figure | None
    score: float = 0.0


@dataclass
class Comparison:
    a_title: str
    b_title: str
    pairs: list[TaskPair] = field(default_factory=list)
    only_a: list[str] = field(default_factory=list)
    only_b: list[str] = field(default_factory=list)
    targets: list[TargetChange] = field(default_factory=list)

    def pair_of(self, title_a: str) -> str | None:
        return next((pair.b for pair in self.pairs if pair.a == title_a), None)

    def changes(self, kind: Change) -> list[TargetChange]:
        return [change for change in self.targets if change.change == kind]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@cache
def settings() -> dict[str, Any]:
    text = resources.files("eduplan.insight").joinpath("data", "compare.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


def compare(a: Document, b: Document) -> Comparison:
    tasks_a, tasks_b = tasks_of(a), tasks_of(b)
    figures_a, figures_b = figures_of(a, tasks_a), figures_of(b, tasks_b)
    name_scores = figure_name_scores(figures_a, figures_b)
    # A shared indicator is evidence that two tasks are the same work under different words
    # (名师名校长培养成效明显 / 提升教师专业素养 both count 培养市级名师).
    threshold = settings()["targets"]["threshold"]
    evidence = {(figures_a[i].task_index, figures_b[j].task_index) for score, i, j in name_scores
                if score >= threshold}
    matched = match_tasks(tasks_a, tasks_b, evidence)
    comparison = Comparison(a_title=_title(a), b_title=_title(b))
    comparison.pairs = [TaskPair(tasks_a[i].title, tasks_b[j].title, _shown(score)) for i, j, score in matched]
    paired_a = {i for i, _, _ in matched}
    paired_b = {j for _, j, _ in matched}
    comparison.only_a = [task.title for i, task in enumerate(tasks_a) if i not in paired_a]
    comparison.only_b = [task.title for j, task in enumerate(tasks_b) if j not in paired_b]
    same_task = {(i, j) for i, j, _ in matched}
    comparison.targets = compare_figures(figures_a, figures_b, name_scores, same_task)
    return comparison


def _title(document: Document) -> str:
    return document.title or f"{document.year or ''} {document.kind}".strip()


# --- tasks ---------------------------------------------------------------------------------

def tasks_of(document: Document) -> list[Item]:
    """The leaves of the tree (in a sectioned plan the numbered tasks, in a flat plan its items),
    without a summary's own closing parts (存在问题, 下一步打算), which are not tasks."""
    not_a_task = re.compile(settings()["tasks"]["not_a_task"])
    return [item for item in document.walk() if not item.children and not not_a_task.match(item.title)]


def match_tasks(tasks_a: list[Item], tasks_b: list[Item],
                evidence: set[tuple[int, int]] = frozenset()) -> list[tuple[int, int, float]]:
    return assign_one_to_one(task_scores(tasks_a, tasks_b, evidence), settings()["tasks"]["threshold"])


def task_scores(tasks_a: list[Item], tasks_b: list[Item],
                evidence: set[tuple[int, int]] = frozenset()) -> list[tuple[float, int, int]]:
    """Similarity of every pair: weighted cosine of title bigrams and of body-text bigrams,
    plus a bonus where the two tasks share an indicator."""
    config = settings()["tasks"]
    titles = [bigrams(without_generic_words(task.title)) for task in tasks_a + tasks_b]
    texts = [bigrams(without_generic_words(task.text or task.title)) for task in tasks_a + tasks_b]
    title_idf, text_idf = inverse_document_frequency(titles), inverse_document_frequency(texts)
    title_vectors = [tfidf(counts, title_idf) for counts in titles]
    text_vectors = [tfidf(counts, text_idf) for counts in texts]
    offset = len(tasks_a)
    scores = []
    for i in range(len(tasks_a)):
        for j in range(len(tasks_b)):
            score = (config["title_weight"] * cosine(title_vectors[i], title_vectors[offset + j])
                     + config["text_weight"] * cosine(text_vectors[i], text_vectors[offset + j]))
            if (i, j) in evidence:
                score += config["shared_indicator_bonus"]
            scores.append((score, i, j))
    return scores


@cache
def _generic_words() -> re.Pattern:
    words = sorted(set(settings()["tasks"]["generic_words"]), key=len, reverse=True)
    return re.compile("|".join(map(re.escape, words)))


def without_generic_words(text: str) -> str:
    """Generic verbs replaced by a break, so no bigram spans the gap they leave."""
    return _generic_words().sub("，", text)


# --- targets -------------------------------------------------------------------------------

def figures_of(document: Document, tasks: list[Item]) -> list[Figure]:
    """Targets of every task; for a summary, its achieved figures too (they are its 'targets')."""
    figures = []
    for index, task in enumerate(tasks):
        for item in task.walk():
            figures.extend(Figure(t.indicator, t.comparator, t.value, t.unit, task.title, t.value_max, index)
                           for t in item.targets)
            if document.kind == "summary":
                figures.extend(Figure(x.indicator, "actual", x.value, x.unit, task.title, None, index)
                               for x in item.actuals)
    return _one_per_indicator(figures)


def _one_per_indicator(figures: list[Figure]) -> list[Figure]:
    """The reader may name two figures alike (分别…17个、104个): keep the first, the rest are ambiguous."""
    seen: set[tuple[str, str]] = set()
    kept = []
    for figure in figures:
        key = (indicator_key(figure.indicator), unit_key(figure.unit))
        if key not in seen:
            seen.add(key)
            kept.append(figure)
    return kept


def figure_name_scores(a: list[Figure], b: list[Figure]) -> list[tuple[float, int, int]]:
    """Cosine of the indicator names of every pair in the same unit (a % never matches a 所)."""
    vectors_a = [_name_vector(figure.indicator) for figure in a]
    vectors_b = [_name_vector(figure.indicator) for figure in b]
    return [(cosine(vectors_a[i], vectors_b[j]), i, j)
            for i, left in enumerate(a) for j, right in enumerate(b)
            if unit_key(left.unit) == unit_key(right.unit)]


def compare_figures(a: list[Figure], b: list[Figure], name_scores: list[tuple[float, int, int]],
                    same_task: set[tuple[int, int]]) -> list[TargetChange]:
    config = settings()["targets"]
    scores = [(score + (config["same_task_bonus"] if (a[i].task_index, b[j].task_index) in same_task else 0),
               i, j) for score, i, j in name_scores]
    matched = assign_one_to_one(scores, config["threshold"])
    changes = [TargetChange(_direction(a[i], b[j]), a[i], b[j], _shown(score)) for i, j, score in matched]
    paired_a = {i for i, _, _ in matched}
    paired_b = {j for _, j, _ in matched}
    changes += [TargetChange("dropped", figure, None) for i, figure in enumerate(a)
                if i not in paired_a and figure.comparator != "actual"]
    changes += [TargetChange("new", None, figure) for j, figure in enumerate(b)
                if j not in paired_b and figure.comparator != "actual"]
    return changes


def _shown(score: float) -> float:
    """Bonuses may lift a score past 1; the table shows a similarity, so it stops at 1."""
    return round(min(score, 1.0), 3)


def _direction(a: Figure, b: Figure) -> Change:
    """收紧 when B asks more than A by the target's comparator (B's, or A's when B states an achieved value)."""
    if abs(a.value - b.value) < 1e-9:
        return "unchanged"
    comparator = b.comparator if b.comparator != "actual" else a.comparator
    higher_asks_more = comparator not in CEILINGS
    return "tightened" if (b.value > a.value) == higher_asks_more else "loosened"


def _name_vector(name: str):
    # Plain bigram counts (no IDF): indicator names are short and each bigram matters.
    return tfidf(bigrams(indicator_key(name)), {})


@cache
def _edge_patterns() -> tuple[re.Pattern, re.Pattern]:
    words = settings()["indicator_names"]
    prefixes = "|".join(map(re.escape, sorted(words["strip_prefixes"], key=len, reverse=True)))
    suffixes = "|".join(map(re.escape, sorted(words["strip_suffixes"], key=len, reverse=True)))
    return re.compile(f"^(?:{prefixes})+"), re.compile(f"(?:{suffixes})+$")


def indicator_key(name: str) -> str:
    prefix, suffix = _edge_patterns()
    stripped = suffix.sub("", prefix.sub("", name.strip()))
    return stripped or name.strip()


@cache
def _unit_classes() -> dict[str, str]:
    return {unit: group[0] for group in settings()["units"]["same"] for unit in group}


def unit_key(unit: str) -> str:
    return _unit_classes().get(unit, unit)

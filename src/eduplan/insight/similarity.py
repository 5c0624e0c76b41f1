"""Character-bigram TF-IDF vectors and cosine similarity for Chinese titles and texts.

Chinese has no spaces, and a word segmenter would need a dictionary download; overlapping
character bigrams catch most shared words (学前 教育 普惠) and need nothing but the text.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence

_HAN_RUN = re.compile(r"[\u4e00-\u9fff]+")

Vector = dict[str, float]


def bigrams(text: str) -> Counter[str]:
    """Bigrams inside runs of Han characters (punctuation and figures break a run)."""
    counts: Counter[str] = Counter()
    for run in _HAN_RUN.findall(text):
        if len(run) == 1:
            counts[run] += 1
        counts.update(run[i:i + 2] for i in range(len(run) - 1))
    return counts


def inverse_document_frequency(corpus: Iterable[Counter[str]]) -> dict[str, float]:
    documents = list(corpus)
    seen: Counter[str] = Counter()
    for counts in documents:
        seen.update(counts.keys())
    total = len(documents)
    return {term: math.log((1 + total) / (1 + frequency)) + 1 for term, frequency in seen.items()}


def tfidf(counts: Counter[str], idf: dict[str, float]) -> Vector:
    vector = {term: (1 + math.log(count)) * idf.get(term, 1.0) for term, count in counts.items()}
    norm = math.sqrt(sum(weight * weight for weight in vector.values()))
    return {term: weight / norm for term, weight in vector.items()} if norm else {}


def cosine(left: Vector, right: Vector) -> float:
    if len(left) > len(right):
        left, right = right, left
    return sum(weight * right.get(term, 0.0) for term, weight in left.items())


def assign_one_to_one(scores: Sequence[tuple[float, int, int]], threshold: float) -> list[tuple[int, int, float]]:
    """Greedy one-to-one assignment: best pair first, each side used once, pairs under threshold left out.

    Greedy rather than optimal (Hungarian) on purpose: the best-scoring pair is the one a reader
    would also pair first, and the result is easy to explain in a table.
    """
    used_left: set[int] = set()
    used_right: set[int] = set()
    pairs = []
    for score, left, right in sorted(scores, key=lambda s: (-s[0], s[1], s[2])):
        if score < threshold:
            break
        if left in used_left or right in used_right:
            continue
        used_left.add(left)
        used_right.add(right)
        pairs.append((left, right, score))
    return sorted(pairs)

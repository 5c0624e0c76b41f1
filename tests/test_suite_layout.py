"""The suite's own layout: pytest's default import mode imports test modules by basename."""

from collections import Counter
from pathlib import Path


def test_test_modules_have_unique_basenames():
    names = Counter(path.name for path in Path(__file__).parent.rglob("test_*.py"))
    assert [name for name, count in names.items() if count > 1] == []

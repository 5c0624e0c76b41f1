"""The reader against the hand-made answer keys in ../shared/eval/gold-dev, scored by the
project's official scorer. The figures the issue asks for are the assertions."""

from __future__ import annotations

import importlib.util
import json

import pytest

from eduplan.reader import read

pytestmark = pytest.mark.shared


@pytest.fixture(scope="module")
def dev_summary(shared_dir, tmp_path_factory):
    scorer = _load_scorer(shared_dir / "eval" / "score.py")
    gold_dir = shared_dir / "eval" / "gold-dev"
    total = None
    for gold_path in sorted(gold_dir.glob("*.json")):
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        prediction = read(shared_dir / "seeds" / gold["file"]).to_dict()
        counts = scorer.score(gold, prediction)
        total = counts if total is None else {k: total[k] + counts[k] for k in total}
    if total is None:
        pytest.skip(f"no answer keys in {gold_dir}")
    return scorer.summary(total)


def _load_scorer(path):
    spec = importlib.util.spec_from_file_location("eduplan_dev_scorer", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_gold_item_is_found_and_nothing_else(dev_summary):
    assert dev_summary["items_f1"] == 1.0, dev_summary


def test_targets_are_found(dev_summary):
    assert dev_summary["targets_f1"] >= 0.95, dev_summary


def test_comparators_are_right(dev_summary):
    assert dev_summary["comparator_acc"] >= 0.95, dev_summary


def test_deliverables_are_found(dev_summary):
    assert dev_summary["deliverables_f1"] >= 0.9, dev_summary


def test_documents_year_and_kind(dev_summary):
    gold_docs = dev_summary["documents"].split("/")[1]
    assert dev_summary["documents"] == f"{gold_docs}/{gold_docs}", dev_summary
    assert dev_summary["meta_ok"] == int(gold_docs), dev_summary

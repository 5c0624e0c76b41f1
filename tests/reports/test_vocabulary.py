"""One vocabulary for a target's verdict and an item's state (issue 16, item 9): the dashboard, the item page,
the reports page, the summary .docx and the ledger's export say the same words; docs/glossary.md lists them."""

from __future__ import annotations

from pathlib import Path

from django.utils import translation

from eduplan.dashboard.figures import JUDGEMENT_LABELS
from eduplan.ledger.models import Task
from eduplan.monitoring.display import STATUS_LABELS
from eduplan.reports.layout import labels
from eduplan.reports.web import JUDGEMENT_WORDS

GLOSSARY = Path(__file__).resolve().parents[2] / "docs" / "glossary.md"
WORDS = {
    "met": "已达成",
    "on_track": "进度正常",
    "at_risk": "存在风险",
    "missed": "未达成",
    "no_data": "无数据",
}


def test_every_place_words_a_verdict_the_same():
    with translation.override("zh-hans"):
        for source in (
            JUDGEMENT_LABELS,
            JUDGEMENT_WORDS,
            {k: word for k, (word, _) in STATUS_LABELS.items()},
            labels()["judgements"],
        ):
            assert {key: str(word) for key, word in source.items()} == WORDS


def test_the_monthly_report_names_a_closed_item_as_the_ledger_does():
    with translation.override("zh-hans"):
        assert labels()["statuses"]["done"] == str(Task.Status.CLOSED.label)
        assert labels()["statuses"]["suspended"] == str(Task.Status.SUSPENDED.label)


def test_the_glossary_lists_the_words():
    text = GLOSSARY.read_text(encoding="utf-8")
    for word in (*WORDS.values(), "收紧", "放宽", "缺报", "序号", "逾期", "预警"):
        assert word in text, word

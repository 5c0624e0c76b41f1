"""Clauses and sentences: where the extraction stages cut an item's text."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from eduplan.reader.textspans import clauses, sentences

# The rule as first written: any character but a clause mark, or a separator between two digits.
_RULE = re.compile(r"(?:[^，,。；;！？!?：:\n]|(?<=\d)[,:∶](?=\d))+")


def test_a_thousands_separator_and_a_ratio_stay_inside_their_clause():
    text = "新增学位1,000个，师生比1:350；完成。"
    assert [text[start:end] for start, end in clauses(text)] == ["新增学位1,000个", "师生比1:350", "完成"]


@given(st.text(alphabet=st.sampled_from(list("12,:∶，。；a \n中")), max_size=30))
def test_clauses_are_cut_as_the_rule_says(text):
    assert clauses(text) == tuple((m.start(), m.end()) for m in _RULE.finditer(text) if m.group().strip())


def test_spans_are_kept_as_tuples_no_caller_can_change():
    text = "一是推进改革；二是加强管理。"
    assert isinstance(clauses(text), tuple) and clauses(text) is clauses(text)
    assert isinstance(sentences(text), tuple)
    assert sentences(text) == ((0, 6), (7, 13))

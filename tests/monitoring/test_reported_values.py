"""Targets no indicator measures with data are judged on the latest value a unit reported."""

from __future__ import annotations

import datetime as dt

from eduplan.ledger import services
from eduplan.ledger.models import Target
from eduplan.monitoring.judging import judge_targets


def _judge(plan, as_of):
    """indicator text → judgement, for every target of the plan."""
    targets = list(Target.objects.filter(task__plan=plan).select_related("task__plan"))
    judged = judge_targets(targets, as_of)
    return {t.indicator: judged[t.id] for t in targets}


def _groups_target(plan, people) -> Target:
    """组建教育集团10个, its lead unit (基础教育处) signed for so it may report."""
    target = Target.objects.get(task__plan=plan, indicator__contains="教育集团")
    services.sign(people["basic"], target.task.assignments.get(org=people["basic"].org))
    return target


def test_without_a_report_an_unmeasured_target_has_no_data(plan, people):
    judged = _judge(plan, dt.date(2024, 6, 30))
    groups = judged[_groups_target(plan, people).indicator]
    assert (groups.status, groups.source) == ("no_data", "")


def test_the_latest_reported_value_judges_it(plan, people):
    target = _groups_target(plan, people)  # 组建教育集团10个: "=" 10 个, due by the end of 2024
    task = target.task
    services.report(people["basic"], task, progress="组建6个", values={target.id: 6}, period=dt.date(2024, 5, 1))
    services.report(people["basic"], task, progress="组建11个", values={target.id: 11},
                    period=dt.date(2024, 9, 1))
    # In June only May's 6 is known: below 10 before the deadline → at risk, gap 6 − 10 = −4.
    june = _judge(plan, dt.date(2024, 6, 30))[target.indicator]
    assert (june.status, june.source, june.judgement.value, june.judgement.gap) == ("at_risk", "reported", 6, -4)
    # In October September's 11 is the latest: a count to deliver, 11 ≥ 10 → met.
    october = _judge(plan, dt.date(2024, 10, 31))[target.indicator]
    assert (october.status, october.judgement.value) == ("met", 11)


def test_a_value_below_target_after_the_deadline_is_missed(plan, people):
    target = _groups_target(plan, people)
    services.report(people["basic"], target.task, progress="组建8个", values={target.id: 8},
                    period=dt.date(2024, 11, 1))
    after = _judge(plan, dt.date(2025, 1, 15))[target.indicator]
    assert (after.status, after.judgement.value) == ("missed", 8)

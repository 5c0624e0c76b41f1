"""`eduplan serve --demo`: the demo city's statistics are seeded, and its plan shows all five judgements today."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from eduplan.demo.ledger_demo import USERS, seed_statistics, set_up
from eduplan.ledger.models import Org, Target, User
from eduplan.monitoring import statistics
from eduplan.monitoring.judging import judge_targets
from eduplan.monitoring.models import TargetLink

pytestmark = pytest.mark.django_db


@pytest.fixture
def fast(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _statuses() -> set[str]:
    targets = Target.objects.select_related("link", "task__plan")
    return {judged.status for judged in judge_targets(targets).values()}


def test_demo_plan_shows_all_five_judgements(fast, stats_path):
    set_up()
    assert stats_path.exists()
    assert _statuses() == {"met", "on_track", "at_risk", "missed", "no_data"}
    assert TargetLink.objects.filter(confirmed_by__username="office").count() == 1  # as an office user would


@pytest.mark.parametrize("today", [dt.date(2027, 1, 3), dt.date(2026, 6, 30), dt.date(2031, 12, 31)])
def test_five_judgements_whatever_the_date(fast, stats_path, monkeypatch, today):
    monkeypatch.setattr(timezone, "localdate", lambda *args: today)
    set_up()
    assert _statuses() == {"met", "on_track", "at_risk", "missed", "no_data"}
    plan_year = Target.objects.select_related("task__plan").first().task.plan.year
    assert plan_year == today.year


def test_seeding_keeps_an_existing_file(stats_path):
    assert seed_statistics()
    stamp = statistics.version()
    assert not seed_statistics()  # present: an imported year is never overwritten
    assert statistics.version() == stamp
    with statistics.reading() as con:
        years = [row[0] for row in con.execute("SELECT DISTINCT year FROM indicator_values ORDER BY year").fetchall()]
    last = timezone.localdate().year - 1
    assert years == list(range(last - 5, last + 1))


def test_the_demo_school_user_sees_its_own_school(fast, stats_path):
    set_up()
    school = User.objects.get(username=next(u for u, role, *_ in USERS if role == User.Role.SCHOOL))
    with statistics.reading() as con:
        for org in Org.objects.filter(kind="school"):
            name = con.execute("SELECT name FROM schools WHERE school_code = ? ORDER BY year DESC LIMIT 1",
                               [org.code]).fetchone()
            assert name == (org.name,), org.code
    assert school.org.kind == "school"


def test_the_fitness_target_is_judged_from_the_demo_pupils_scores_on_the_dashboard_and_in_the_summary(
        fast, stats_path):
    """达到55%以上 (学生体质健康优良率) links to fitness_good_rate and is judged on the city's value, computed
    from the demo pupils' scores; 提升一个百分点 (unit 百分点) is still judged on what units report."""
    from django.urls import reverse

    from eduplan.reports.from_ledger import summary_from_ledger
    from web_clients import client_as

    set_up()
    rates = list(Target.objects.filter(indicator="中小学生体质健康测试优良率").select_related("task__plan"))
    assert [t.comparator for t in rates] == ["+", ">="]
    increase, level = rates
    judged = judge_targets(rates)
    assert judged[increase.pk].indicator_id is None
    verdict = judged[level.pk]
    with statistics.reading() as con:
        city = dict(con.execute("SELECT year, value FROM indicator_values WHERE indicator_id = 'fitness_good_rate' "
                                "AND level = 'city'").fetchall())
    assert verdict.indicator_id == "fitness_good_rate" and verdict.source == "indicator"
    assert verdict.judgement.value == city[max(city)]
    assert verdict.status in ("met", "on_track", "at_risk", "missed")

    leader = User.objects.get(username=next(u for u, role, *_ in USERS if role == User.Role.LEADER))
    listed = client_as(leader).get(reverse("dashboard:items"), {"judgement": verdict.status}).context["judged"]
    assert level in [target for target, _ in listed]

    [result] = [r for r in summary_from_ledger(level.task.plan).targets() if r.quote == level.quote]
    assert result.achieved == pytest.approx(verdict.judgement.value) and result.judgement == verdict.status

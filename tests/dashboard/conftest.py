"""A small ledger and a hand-made statistics file for the dashboard; every expected figure is counted
by hand in the tests' comments from the tables below.

Tasks of the published plan (today = the test's local date):
  name  status     due       lead      co-op  reports                 target (kg_public_share ≥ …)
  T1    active     today-10  basic     d1     this month              ≥ 50 (plan year)        met
  T2    active     today+5   basic     —      none                    ≥ 55 by 2028-12-31      on_track
  T3    reviewing  today+20  teachers  —      last month              ≥ 60 by 2028-12-31      at_risk
  T4    closed     today-30  teachers  —      none                    —
  T5    suspended  today+40  basic     —      none                    —
  T6    active     today+60  d2        —      four months ago         ≥ 60 by 2025-12-31      missed
                                                                      + 巩固率 ≥ 95 (no values) no_data
A draft plan holds T8 (draft, lead basic, target ≥ 10): it must never be counted.
City values of kg_public_share: 2023 46, 2024 48, 2025 50, 2026 52 (trend +2 a year → 56 in 2028).
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from eduplan.dashboard import districts
from eduplan.indicators.schema import connect, register_city
from eduplan.ledger.models import Assignment, Org, Plan, ProgressReport, Target, Task, User
from eduplan.monitoring import judging, statistics
from eduplan.monitoring.models import TargetLink
from web_clients import client_as

STATS_YEAR = 2026
CITY_SERIES = {2023: 46.0, 2024: 48.0, 2025: 50.0, 2026: 52.0}
# (level, unit, indicator, value) for the statistics year
DISTRICT_VALUES = [
    ("district", "D1", "kg_public_share", 55.0), ("district", "D2", "kg_public_share", 45.0),
    ("city", "C", "compulsory_big_class_share", 0.5),
    ("district", "D1", "compulsory_big_class_share", 0.0), ("district", "D2", "compulsory_big_class_share", 6.0),
]


@pytest.fixture(autouse=True)
def _isolated(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EDUPLAN_STATS_DB = tmp_path / "absent.duckdb"
    _forget_statistics()
    yield
    _forget_statistics()


def _forget_statistics():
    statistics.reset_cache()
    districts.reset_cache()
    judging._series_cache.update(version=None, series={})


@pytest.fixture
def stats(settings, tmp_path):
    """A statistics file with computed values only: a city C (测试市) with districts D1 东区 and D2 西区."""
    path = tmp_path / "statistics.duckdb"
    con = connect(path)
    register_city(con, "C", "测试市", [("D1", "东区"), ("D2", "西区")])
    con.execute("CREATE TABLE indicator_values (year INTEGER, level VARCHAR, unit_code VARCHAR, "
                "indicator_id VARCHAR, numerator DOUBLE, denominator DOUBLE, value DOUBLE)")
    rows = [(year, "city", "C", "kg_public_share", value) for year, value in CITY_SERIES.items()]
    rows += [(STATS_YEAR, *row) for row in DISTRICT_VALUES]
    con.executemany("INSERT INTO indicator_values VALUES (?, ?, ?, ?, NULL, NULL, ?)", rows)
    con.close()
    settings.EDUPLAN_STATS_DB = path
    _forget_statistics()
    return path


@pytest.fixture
def units(db):
    bureau = Org.objects.create(kind=Org.Kind.BUREAU, code="B", name="滨江市教育局")
    made = {"bureau": bureau}
    for code, name in (("supervision", "督查室"), ("basic", "基础教育处"), ("teachers", "教师工作处")):
        made[code] = Org.objects.create(kind=Org.Kind.DEPARTMENT, code=code, name=name, parent=bureau)
    for code, name in (("d1", "江东区"), ("d2", "江北区")):
        made[code] = Org.objects.create(kind=Org.Kind.DISTRICT, code=code, name=name, parent=bureau)
    made["s1"] = Org.objects.create(kind=Org.Kind.SCHOOL, code="s1", name="江东区第一中学", parent=made["d1"])
    return made


USERS = {"leader": ("leader", "bureau"), "office": ("office", "supervision"), "admin": ("admin", "bureau"),
         "basic": ("department", "basic"), "teachers": ("department", "teachers"),
         "jiangdong": ("district", "d1"), "school": ("school", "s1")}


@pytest.fixture
def users(units):
    return {name: User.objects.create_user(name, password="pw", role=role, org=units[unit])
            for name, (role, unit) in USERS.items()}


@pytest.fixture
def page(users):
    """page("office") -> a Django test client logged in as that user."""
    return lambda name: client_as(users[name])


def _task(plan, position, status, due_days, lead, *, co=None, reports=(), today):
    task = Task.objects.create(plan=plan, position=position, title=f"T{position} 任务", status=status,
                               due_date=today + dt.timedelta(days=due_days))
    given = timezone.now() - dt.timedelta(days=200)  # long enough ago that reports are owed (lights.owes_report)
    Assignment.objects.create(task=task, org=lead, role=Assignment.Role.LEAD, status=Assignment.Status.SIGNED,
                              created_at=given)
    if co is not None:
        Assignment.objects.create(task=task, org=co, role=Assignment.Role.COOPERATE, status=Assignment.Status.SIGNED,
                                  created_at=given)
    for months_ago in reports:
        first = today.replace(day=1)
        for _ in range(months_ago):
            first = (first - dt.timedelta(days=1)).replace(day=1)
        ProgressReport.objects.create(task=task, org=lead, period=first, progress="按计划推进")
    return task


def _target(task, value, indicator_id, deadline=None):
    target = Target.objects.create(task=task, indicator="公办园在园幼儿占比", comparator=">=", value=value, unit="%",
                                   deadline=deadline)
    TargetLink.objects.create(target=target, indicator_id=indicator_id)
    return target


@pytest.fixture
def ledger(users, units):
    today = timezone.localdate()
    plan = Plan.objects.create(title="2026年工作要点", year=STATS_YEAR, status=Plan.Status.PUBLISHED)
    S = Task.Status
    tasks = {
        "T1": _task(plan, 1, S.ACTIVE, -10, units["basic"], co=units["d1"], reports=[0], today=today),
        "T2": _task(plan, 2, S.ACTIVE, 5, units["basic"], today=today),
        "T3": _task(plan, 3, S.REVIEWING, 20, units["teachers"], reports=[1], today=today),
        "T4": _task(plan, 4, S.CLOSED, -30, units["teachers"], today=today),
        "T5": _task(plan, 5, S.SUSPENDED, 40, units["basic"], today=today),
        "T6": _task(plan, 6, S.ACTIVE, 60, units["d2"], reports=[4], today=today),
    }
    far, past = dt.date(2028, 12, 31), dt.date(2025, 12, 31)
    targets = {
        "met": _target(tasks["T1"], 50, "kg_public_share"),
        "on_track": _target(tasks["T2"], 55, "kg_public_share", far),
        "at_risk": _target(tasks["T3"], 60, "kg_public_share", far),
        "missed": _target(tasks["T6"], 60, "kg_public_share", past),
        "no_data": _target(tasks["T6"], 95, "retention_rate"),
    }
    draft = Plan.objects.create(title="草稿计划", year=STATS_YEAR)
    tasks["T8"] = _task(draft, 1, S.DRAFT, 3, units["basic"], today=today)
    _target(tasks["T8"], 10, "kg_public_share")
    return {"plan": plan, "tasks": tasks, "targets": targets, "today": today}

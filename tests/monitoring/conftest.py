"""Monitoring fixtures: a small demo city's statistics in a temporary file, ledger users whose units are
real org units of those statistics, and a published plan whose targets link to catalog indicators."""

from __future__ import annotations

import datetime as dt

import pytest
from stats_city import HOME, OTHER, SMALL, YEARS, school_in

from eduplan.demo.statistics import DemoSpec, generate
from eduplan.indicators.engine import compute
from eduplan.indicators.schema import connect
from eduplan.ledger import services
from eduplan.ledger.models import Assignment, Org, User
from eduplan.ledger.plan_import import import_plan
from eduplan.monitoring import statistics
from web_clients import client_as

PLAN = """滨江市教育局2024年工作要点

一、学前教育
1.推动学前教育普及普惠。公办幼儿园在园幼儿占比达到52%以上，普惠性幼儿园在园幼儿占比保持在85%以上。
二、义务教育
2.推进优质均衡。义务教育阶段大班额比例控制在1%以内，组建教育集团10个。
"""
ROLES = {"leader": ("leader", "bureau"), "office": ("office", "supervision"), "admin": ("admin", "bureau"),
         "basic": ("department", "basic"), "home": ("district", HOME), "other": ("district", OTHER),
         "school": ("school", "school")}


@pytest.fixture
def stats_path(settings, tmp_path):
    """An absent statistics file: pages show their empty state."""
    path = tmp_path / "statistics.duckdb"
    settings.EDUPLAN_STATS_DB = path
    statistics.reset_cache()
    yield path
    statistics.reset_cache()


@pytest.fixture
def small_city(stats_path):
    """Three computed years of a small demo city; returns the path."""
    con = connect(stats_path)
    generate(con, DemoSpec(years=YEARS, scale=SMALL))
    compute(con)
    con.close()
    statistics.reset_cache()
    return stats_path


@pytest.fixture
def people(db, small_city, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    bureau = Org.objects.create(kind="bureau", code="3399", name="滨江市教育局")
    units = {"bureau": bureau}
    for code, name in (("supervision", "督查室"), ("basic", "基础教育处")):
        units[code] = Org.objects.create(kind="department", code=code, name=name, parent=bureau)
    for code, name in ((HOME, "江东区"), (OTHER, "江北区")):
        units[code] = Org.objects.create(kind="district", code=code, name=name, parent=bureau)
    units["school"] = Org.objects.create(kind="school", code=school_in(small_city, HOME), name="江东区学校",
                                         parent=units[HOME])
    return {name: User.objects.create_user(name, password="pw", role=role, org=units[unit])
            for name, (role, unit) in ROLES.items()} | {"_units": units}


@pytest.fixture
def plan(people):
    office, units = people["office"], people["_units"]
    plan = import_plan(office, PLAN.encode(), "plan.txt")
    services.publish_plan(office, plan)
    due = dt.date.today() + dt.timedelta(days=60)
    for task in plan.tasks.all():
        services.assign(office, task, units["basic"], Assignment.Role.LEAD, due)
        services.assign(office, task, units[HOME], Assignment.Role.COOPERATE, due)
    return plan


@pytest.fixture
def page(people):
    """page("office") → a test client logged in as that user."""
    return lambda name: client_as(people[name])

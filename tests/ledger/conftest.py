"""Ledger fixtures: a small city, one user per role, and a published plan read from a small plan text."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from eduplan.ledger import services
from eduplan.ledger.models import Assignment, Org, Task, User
from eduplan.ledger.plan_import import import_plan
from eduplan.ledger.tokens import issue
from web_clients import client_as

PLAN_TEXT = """滨江市教育局2024年工作要点

一、扩大优质教育资源
（一）学前教育
1.增加普惠学位。年内新建改扩建公办幼儿园12所，新增学位3600个。
2.提升保教质量。开展幼儿园保教质量评估，6月底前完成全部公办园评估。
（二）义务教育
3.推进优质均衡。新增义务教育学位8000个，组建教育集团10个。
二、建设教师队伍
4.加强师德建设。开展师德专题教育，年内培训教师5000人次。
"""

ROLE_UNITS = {"leader": "bureau", "office": "supervision", "basic": "basic", "teachers": "teachers",
              "jiangdong": "d1", "jiangbei": "d2", "school": "s1", "admin": "bureau"}
ROLES = {"leader": User.Role.LEADER, "office": User.Role.OFFICE, "basic": User.Role.DEPARTMENT,
         "teachers": User.Role.DEPARTMENT, "jiangdong": User.Role.DISTRICT, "jiangbei": User.Role.DISTRICT,
         "school": User.Role.SCHOOL, "admin": User.Role.ADMIN}


@pytest.fixture
def city(db):
    bureau = Org.objects.create(kind=Org.Kind.BUREAU, code="B", name="滨江市教育局")
    units = {"bureau": bureau}
    for key, name in (("supervision", "督查室"), ("basic", "基础教育处"), ("teachers", "教师工作处")):
        units[key] = Org.objects.create(kind=Org.Kind.DEPARTMENT, code=key, name=name, parent=bureau)
    units["d1"] = Org.objects.create(kind=Org.Kind.DISTRICT, code="d1", name="江东区", parent=bureau)
    units["d2"] = Org.objects.create(kind=Org.Kind.DISTRICT, code="d2", name="江北区", parent=bureau)
    units["s1"] = Org.objects.create(kind=Org.Kind.SCHOOL, code="s1", name="江东区第一中学", parent=units["d1"])
    return units


@pytest.fixture
def users(city):
    made = {}
    for name, role in ROLES.items():
        made[name] = User.objects.create_user(name, password="pw", role=role, org=city[ROLE_UNITS[name]],
                                              email=f"{name}@example.test")
    return made


@pytest.fixture
def plan_text() -> str:
    return PLAN_TEXT


@pytest.fixture
def draft_plan(users):
    return import_plan(users["office"], PLAN_TEXT.encode(), "plan.txt")


@pytest.fixture
def plan(draft_plan, users, city):
    """Published; task 1 led by 基础教育处 with 江东区 co-operating, task 2 given to 江北区 only."""
    office = users["office"]
    services.publish_plan(office, draft_plan)
    first, second = list(draft_plan.tasks.order_by("position"))[:2]
    due = timezone.localdate() + dt.timedelta(days=60)
    services.assign(office, first, city["basic"], Assignment.Role.LEAD, due)
    services.assign(office, first, city["d1"], Assignment.Role.COOPERATE, due)
    services.assign(office, second, city["d2"], Assignment.Role.LEAD, due)
    return draft_plan


@pytest.fixture
def task(plan) -> Task:
    return plan.tasks.order_by("position").first()


@pytest.fixture
def signed_task(task, users) -> Task:
    services.sign(users["basic"], task.assignments.get(org__code="basic"))
    return task


@pytest.fixture
def page(users):
    """page("office") -> a Django test client logged in as that demo user."""
    return lambda name: client_as(users[name])


@pytest.fixture
def api(users):
    """api("office") -> a DRF client sending that user's token."""

    def login(name: str) -> APIClient:
        client = APIClient()
        key, _ = issue(users[name])
        client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        return client

    return login


@pytest.fixture(autouse=True)
def _fast_passwords(settings, tmp_path):
    """PBKDF2 at full strength costs ~0.3 s per user; tests need no real hashing. Uploads go to tmp."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

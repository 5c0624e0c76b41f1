"""The demo city in the ledger: units, one user per role, the sample plan published and months of progress.

Dates are laid out relative to today so the lights show every colour whenever the demo runs.
"""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from eduplan.demo.city import BUREAU_NAME, CITY_CODE, DEPARTMENTS, DISTRICTS
from eduplan.ledger import services
from eduplan.ledger.models import Assignment, Org, Plan, ProgressReport, Request, Task, User
from eduplan.ledger.plan_import import import_plan
from eduplan.samples import sample_path

SCHOOLS_PER_DISTRICT = ("第一中学", "实验小学")
# (username, role, unit code, display name); the password is printed, never stored in the repository.
USERS = (
    ("leader", User.Role.LEADER, CITY_CODE, "局领导"),
    ("office", User.Role.OFFICE, f"{CITY_CODE}-supervision", "督查室"),
    ("basic", User.Role.DEPARTMENT, f"{CITY_CODE}-basic", "基础教育处"),
    ("teachers", User.Role.DEPARTMENT, f"{CITY_CODE}-teachers", "教师工作处"),
    ("jiangdong", User.Role.DISTRICT, DISTRICTS[0].code, DISTRICTS[0].name),
    ("school", User.Role.SCHOOL, f"{DISTRICTS[0].code}-01", "学校"),
    ("admin", User.Role.ADMIN, CITY_CODE, "管理员"),
)
DEMO_PASSWORD = "binjiang2024"
LEAD_DEPARTMENTS = ("basic", "teachers", "moral", "preschool", "vocational", "facilities", "finance", "policy")


def create_city() -> dict[str, Org]:
    bureau, _ = Org.objects.get_or_create(code=CITY_CODE, defaults={"kind": Org.Kind.BUREAU, "name": BUREAU_NAME})
    orgs = {"bureau": bureau}
    for key, name in DEPARTMENTS:
        orgs[key], _ = Org.objects.get_or_create(code=f"{CITY_CODE}-{key}", defaults={
            "kind": Org.Kind.DEPARTMENT, "name": name, "parent": bureau})
    for district in DISTRICTS:
        unit, _ = Org.objects.get_or_create(code=district.code, defaults={
            "kind": Org.Kind.DISTRICT, "name": district.name, "parent": bureau})
        orgs[district.code] = unit
        for number, school in enumerate(SCHOOLS_PER_DISTRICT, start=1):
            Org.objects.get_or_create(code=f"{district.code}-{number:02d}", defaults={
                "kind": Org.Kind.SCHOOL, "name": f"{district.name}{school}", "parent": unit})
    return orgs


def create_users(password: str = DEMO_PASSWORD) -> list[tuple[str, str, str]]:
    created = []
    for username, role, code, name in USERS:
        user, _ = User.objects.get_or_create(username=username)
        user.role, user.org, user.first_name = role, Org.objects.get(code=code), name
        user.email = f"{username}@binjiang.example"
        user.is_staff = user.is_superuser = role == User.Role.ADMIN
        user.set_password(password)
        user.save()
        created.append((username, user.get_role_display(), password))
    return created


def _month_starts(first: dt.date, last: dt.date):
    month = first.replace(day=1)
    while month <= last:
        yield month
        month = (month + dt.timedelta(days=32)).replace(day=1)


@transaction.atomic
def populate(seed: int = 7) -> Plan:
    """Import and publish the sample plan, assign every item, add reports: red, yellow, green and grey."""
    rng = random.Random(seed)
    orgs = create_city()
    office = User.objects.get(username="office")
    plan = import_plan(office, sample_path("plan").read_bytes(), sample_path("plan").name)
    services.publish_plan(office, plan)
    today = timezone.localdate()
    districts = [orgs[d.code] for d in DISTRICTS]
    tasks = list(plan.tasks.order_by("position"))
    for index, task in enumerate(tasks):
        lead = orgs["basic"] if index % 3 == 0 else orgs[LEAD_DEPARTMENTS[index % len(LEAD_DEPARTMENTS)]]
        # a spread of due dates: some passed, some this week, most later this year
        task.due_date = today + dt.timedelta(days=(-20, 4, 60, 120, 200)[index % 5])
        task.save(update_fields=["due_date"])
        services.assign(office, task, lead, Assignment.Role.LEAD, task.due_date)
        for district in rng.sample(districts, 2 if index % 2 else 1):
            services.assign(office, task, district, Assignment.Role.COOPERATE, task.due_date)
        if index % 2 == 0:
            services.assign(office, task, orgs[DISTRICTS[0].code], Assignment.Role.COOPERATE, task.due_date)
        _progress(task, today, rng, reported=index % 4 != 1)
    _close_some(tasks[-3:], office)
    return plan


def _progress(task: Task, today: dt.date, rng: random.Random, reported: bool) -> None:
    start = today - dt.timedelta(days=150)
    for assignment in task.assignments.select_related("org"):
        assignment.status, assignment.signed_at = Assignment.Status.SIGNED, timezone.now() - dt.timedelta(days=150)
        assignment.save(update_fields=["status", "signed_at"])
    lead = task.assignments.get(role=Assignment.Role.LEAD)
    months = list(_month_starts(start, today if reported else today - dt.timedelta(days=75)))
    targets = list(task.targets.all())
    for step, period in enumerate(months, start=1):
        entry = ProgressReport.objects.create(
            task=task, org=lead.org, period=period, author=User.objects.filter(org=lead.org).first(),
            progress=f"{period.month}月：按计划推进“{task.title}”，完成阶段工作{step}项。",
            next_steps="继续推进，按月报送进展。", problems="" if rng.random() < 0.6 else "经费和人员仍需协调。")
        for target in targets:
            entry.values.create(target=target, value=round(target.value * step / (len(months) + 1), 1))


def _close_some(tasks: list[Task], office: User) -> None:
    for task in tasks:
        lead = task.assignments.get(role=Assignment.Role.LEAD)
        Request.objects.create(task=task, kind=Request.Kind.CLOSE, reason="已完成全部工作", status=Request.Status.APPROVED,
                               prior_state=services.snapshot(task), reviewed_by=office, reviewed_at=timezone.now(),
                               requested_by=User.objects.filter(org=lead.org).first())
        task.status = Task.Status.CLOSED
        task.save(update_fields=["status"])


def set_up(reset: bool = False) -> list[tuple[str, str, str]]:
    """Create the city and users, and the demo plan unless one is already there."""
    create_city()
    users = create_users()
    if reset:
        Plan.objects.all().delete()
    if not Plan.objects.exists():
        # the demo's own assignment notices stay in the app: no flood of console e-mails at start-up
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
            populate()
    return users

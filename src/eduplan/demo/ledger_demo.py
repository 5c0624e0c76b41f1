"""The demo city in the ledger: units, one user per role, the sample plan published and months of progress.

Dates are laid out relative to today so the lights show every colour whenever the demo runs.

The plan's targets are judged against the demo city's statistics (指标监测), and the demo must show
all five judgements (met, on track, at risk, missed, no data) whatever today's date is. Decision:
- Time moves, the figures do not. The statistics are the demo city's six calibrated years
  (2019-2024 of eduplan.demo.statistics), relabelled to end the year before today: the current
  year's autumn census is not yet published, so the bureau works from last year's figures. The
  sample plan (for 2024) is imported with every "20xx年" moved by the same shift, so it is this
  year's plan. Each target is then judged on the same numbers on any date: a target the figures
  satisfy is met; an unmet one, due at the end of this year (one statistics year after the latest),
  is on track or at risk by the same trend line.
- Missed needs a deadline in the past: the targets of an item already overdue are due with the
  item (the office records the item's due date on them), so an unmet one there is missed.
- No data: targets no catalog indicator measures (培训班, 示范校 …).
- Links the automatic linker gets wrong or cannot settle are confirmed as an office user would
  (DEMO_LINKS), through the same call the web form uses, so they appear in the audit trail.
The statistics are seeded only when the statistics file is absent: an imported year is never
overwritten by the demo.
"""

from __future__ import annotations

import datetime as dt
import random
import re

from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from eduplan.demo.city import BUREAU_NAME, CITY_CODE, DEPARTMENTS, DISTRICTS
from eduplan.ledger import services
from eduplan.ledger.models import Assignment, Org, Plan, ProgressReport, Request, Target, Task, User
from eduplan.ledger.plan_import import import_plan
from eduplan.samples import sample_path

# Each district's first junior and senior middle school, with the codes and names they have in the
# demo statistics (district code, the level's rank 3 or 4, school number), so a school user sees its own rows.
SCHOOLS_PER_DISTRICT = (("3", "中学"), ("4", "高级中学"))
DEMO_SCHOOL_NUMBER = 1
# (username, role, unit code, display name); the password is printed, never stored in the repository.
USERS = (
    ("leader", User.Role.LEADER, CITY_CODE, "局领导"),
    ("office", User.Role.OFFICE, f"{CITY_CODE}-supervision", "督查室"),
    ("basic", User.Role.DEPARTMENT, f"{CITY_CODE}-basic", "基础教育处"),
    ("teachers", User.Role.DEPARTMENT, f"{CITY_CODE}-teachers", "教师工作处"),
    ("jiangdong", User.Role.DISTRICT, DISTRICTS[0].code, DISTRICTS[0].name),
    ("school", User.Role.SCHOOL, f"{DISTRICTS[0].code}3{DEMO_SCHOOL_NUMBER:04d}", "学校"),
    ("admin", User.Role.ADMIN, CITY_CODE, "管理员"),
)
DEMO_PASSWORD = "binjiang2024"
SAMPLE_PLAN_YEAR = 2024
# target indicator text (as the reader reads it) → the office's choice; "" is "no indicator measures this"
DEMO_LINKS = {"骨干教师": "backbone_exchange_share"}
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
        for rank, suffix in SCHOOLS_PER_DISTRICT:
            Org.objects.get_or_create(code=f"{district.code}{rank}{DEMO_SCHOOL_NUMBER:04d}", defaults={
                "kind": Org.Kind.SCHOOL, "name": f"{district.name}第{DEMO_SCHOOL_NUMBER}{suffix}", "parent": unit})
    return orgs


KEPT_PASSWORD = "（未改动 unchanged）"


def create_users(password: str = DEMO_PASSWORD) -> list[tuple[str, str, str]]:
    """The demo's users, each created once. A user already there is left exactly as it is: the demo never
    gives an account back its public password or its rights (audit H3)."""
    created = []
    for username, role, code, name in USERS:
        user = User.objects.filter(username=username).first()
        if user is not None:
            created.append((username, user.get_role_display(), KEPT_PASSWORD))
            continue
        user = User(username=username, role=role, org=Org.objects.get(code=code), first_name=name,
                    email=f"{username}@binjiang.example", is_staff=role == User.Role.ADMIN,
                    is_superuser=role == User.Role.ADMIN)
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
    today = timezone.localdate()
    text, name = this_years_plan(today)
    plan = import_plan(office, text.encode("utf-8"), name)
    services.publish_plan(office, plan)
    districts = [orgs[d.code] for d in DISTRICTS]
    tasks = list(plan.tasks.order_by("position"))
    for index, task in enumerate(tasks):
        lead = orgs["basic"] if index % 3 == 0 else orgs[LEAD_DEPARTMENTS[index % len(LEAD_DEPARTMENTS)]]
        # a spread of due dates: some passed, some this week, most later this year
        task.due_date = today + dt.timedelta(days=(-20, 4, 60, 120, 200)[index % 5])
        task.save(update_fields=["due_date"])
        if not task.assignments.filter(role=Assignment.Role.LEAD).exists():  # the plan named none (牵头单位)
            services.assign(office, task, lead, Assignment.Role.LEAD, task.due_date)
        task.assignments.update(due_date=task.due_date)
        for district in rng.sample(districts, 2 if index % 2 else 1):
            services.assign(office, task, district, Assignment.Role.COOPERATE, task.due_date)
        if index % 2 == 0:
            services.assign(office, task, orgs[DISTRICTS[0].code], Assignment.Role.COOPERATE, task.due_date)
        _progress(task, today, rng, reported=index % 4 != 1)
        if task.due_date < today:  # its targets were due with it
            task.targets.filter(deadline__isnull=True).update(deadline=task.due_date)
    _close_some(tasks[-3:], office)
    _confirm_links(plan, office)
    _date_back(plan, today)
    return plan


def _date_back(plan: Plan, today: dt.date) -> None:
    """The demo's history as if it had been lived: the plan published and its units given their items when
    reporting began, each report made in its own month (a past month's 月报 counts what was in by its end)."""
    start = timezone.make_aware(dt.datetime.combine(today - dt.timedelta(days=150), dt.time(9)))
    Plan.objects.filter(pk=plan.pk).update(published_at=start)
    Assignment.objects.filter(task__plan=plan).update(created_at=start)
    now = timezone.now()
    for report in ProgressReport.objects.filter(task__plan=plan).only("id", "period"):
        made = timezone.make_aware(dt.datetime.combine(report.period + dt.timedelta(days=14), dt.time(10)))
        ProgressReport.objects.filter(pk=report.pk).update(created_at=min(made, now))


def this_years_plan(today: dt.date) -> tuple[str, str]:
    """The sample plan moved to today's year: every "20xx年" shifted by the same number of years."""
    shift = today.year - SAMPLE_PLAN_YEAR
    text = re.sub(r"(?<!\d)(20\d\d)(?=年)", lambda m: str(int(m.group(1)) + shift), sample_path("plan").read_text("utf-8"))
    return text, sample_path("plan").name.replace(str(SAMPLE_PLAN_YEAR), str(today.year))


def _confirm_links(plan: Plan, office: User) -> None:
    from eduplan.monitoring.judging import confirm_link

    for target in Target.objects.filter(task__plan=plan, indicator__in=DEMO_LINKS).select_related("task__plan"):
        confirm_link(office, target, DEMO_LINKS[target.indicator])


def seed_statistics(today: dt.date | None = None) -> bool:
    """The demo city's statistics into settings.EDUPLAN_STATS_DB, unless the file exists; True if seeded."""
    from eduplan.demo.statistics import seed_file
    from eduplan.monitoring import statistics

    seeded = seed_file(statistics.stats_path(), today or timezone.localdate())
    statistics.reset_cache()
    return seeded


def _progress(task: Task, today: dt.date, rng: random.Random, reported: bool) -> None:
    start = today - dt.timedelta(days=150)
    for assignment in task.assignments.select_related("org"):
        assignment.status, assignment.signed_at = Assignment.Status.SIGNED, timezone.now() - dt.timedelta(days=150)
        assignment.save(update_fields=["status", "signed_at"])
    lead = task.assignments.get(role=Assignment.Role.LEAD)
    months = list(_month_starts(start, today if reported else today - dt.timedelta(days=75)))
    # units that stopped reporting never stated their targets' values either: those targets stay "no data"
    # unless an indicator measures them
    targets = list(task.targets.all()) if reported else []
    reach = rng.choice((0.7, 0.9, 1.05))  # where the unit's figures end up: short of the target, or past it
    for step, period in enumerate(months, start=1):
        entry = ProgressReport.objects.create(
            task=task, org=lead.org, period=period, author=User.objects.filter(org=lead.org).first(),
            progress=f"{period.month}月：按计划推进“{task.title}”，完成阶段工作{step}项。",
            next_steps="继续推进，按月报送进展。", problems="" if rng.random() < 0.6 else "经费和人员仍需协调。")
        for target in targets:
            entry.values.create(target=target, value=_reported_figure(target, reach * step / len(months)))


def _reported_figure(target, share: float) -> float:
    """A share of the target as a unit would report it: counts whole (7所, not 6.8所), rates to one decimal."""
    value = target.value * share
    return round(value, 1) if target.unit in ("%", "百分点") or not float(target.value).is_integer() else round(value)


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
    seed_statistics()
    if reset:
        Plan.objects.all().delete()
    if not Plan.objects.exists():
        # the demo's own assignment notices stay in the app: no flood of console e-mails at start-up
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
            populate()
    return users

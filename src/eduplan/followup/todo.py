"""我的待办: what waits on the user, by kind, each with its rows (item, unit, a note) and a link.

A unit (科室, 区县) sees what its own unit must do; the office what it must review or chase; a leader the
批示 not yet acted on. Counts are the rows' lengths: the nav badge and the page agree by construction.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Exists, F, Func, IntegerField, OuterRef, Subquery
from django.urls import reverse

from eduplan.ledger import policy
from eduplan.ledger.models import Assignment, Comment, ProgressReport, Request, Task, User

from .clock import month_start, previous_month_start
from .models import InstructionAnswer

OPEN = (Task.Status.ACTIVE, Task.Status.REVIEWING)
RETURNED_SHOWN_DAYS = 14  # a returned request stays on the list this long, or until a new one is filed


@dataclass
class Row:
    task: Task
    unit: str = ""
    note: str = ""
    url: str = ""

    def __post_init__(self):
        self.url = self.url or reverse("ledger:task", args=[self.task.pk])


@dataclass
class Section:
    key: str
    title: str
    hint: str
    rows: list[Row] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.rows)


def _open_assignments(org=None):
    found = (
        Assignment.objects.filter(task__status__in=OPEN, task__plan__status="published")
        .select_related("task", "org")
        .order_by("task__due_date", "task__plan_id", "task__position")
    )
    return found.filter(org=org) if org is not None else found


def _reported(period: dt.date):
    return Exists(ProgressReport.objects.filter(task=OuterRef("task"), org=OuterRef("org"), period=period))


def unsigned(org=None):
    return _open_assignments(org).filter(status=Assignment.Status.PENDING)


def to_sign(org=None) -> list[Row]:
    return [
        Row(a.task, a.org.name, f"{a.get_role_display()} · 时限 {a.due_date or '—'}") for a in unsigned(org)
    ]


def unreported(today: dt.date, org=None):
    """Signed, open, and nothing reported for this month yet."""
    return (
        _open_assignments(org)
        .filter(status=Assignment.Status.SIGNED)
        .annotate(done=_reported(month_start(today)))
        .filter(done=False)
    )


def to_report(today: dt.date, org=None) -> list[Row]:
    return [Row(a.task, a.org.name, f"{today:%Y年%-m月}进展未报送") for a in unreported(today, org)]


def missed_last_month(today: dt.date, org=None):
    """Signed before last month began and no report for last month: a grace month for new assignments."""
    return (
        _open_assignments(org)
        .filter(status=Assignment.Status.SIGNED, signed_at__date__lt=previous_month_start(today))
        .annotate(done=_reported(previous_month_start(today)))
        .filter(done=False)
    )


def to_catch_up(today: dt.date, org=None) -> list[Row]:
    last = previous_month_start(today)
    return [
        Row(a.task, a.org.name, f"{last:%Y年%-m月}进展缺报，请补报") for a in missed_last_month(today, org)
    ]


def returned_requests(today: dt.date, org):
    since = today - dt.timedelta(days=RETURNED_SHOWN_DAYS)
    newer = Request.objects.filter(task=OuterRef("task"), requested_at__gt=OuterRef("requested_at"))
    return (
        Request.objects.filter(
            status=Request.Status.RETURNED,
            reviewed_at__date__gte=since,
            task__assignments__org=org,
            task__assignments__role=Assignment.Role.LEAD,
        )
        .exclude(Exists(newer))
        .select_related("task")
    )


def returned(today: dt.date, org) -> list[Row]:
    return [
        Row(r.task, org.name, f"{r.get_kind_display()}申请被退回：{r.review_note}")
        for r in returned_requests(today, org)
    ]


def open_instructions(org=None, author=None):
    """Leaders' 批示 on open items that the lead unit has not answered."""
    answered = InstructionAnswer.objects.filter(
        comment=OuterRef("pk"),
        org__assignments__task=OuterRef("task"),
        org__assignments__role=Assignment.Role.LEAD,
    )
    found = (
        Comment.objects.filter(author__role=User.Role.LEADER, task__status__in=OPEN)
        .exclude(Exists(answered))
        .select_related("task", "author")
        .order_by("created_at", "id")
    )
    if org is not None:
        found = found.filter(task__assignments__org=org, task__assignments__role=Assignment.Role.LEAD)
    if author is not None:
        found = found.filter(author=author)
    return found


def _instruction_rows(comments) -> list[Row]:
    return [
        Row(
            c.task,
            "",
            f"{c.author}批示：{c.text}",
            reverse("ledger:task", args=[c.task_id]) + "#instructions",
        )
        for c in comments
    ]


def pending_requests():
    return (
        Request.objects.filter(status=Request.Status.PENDING).select_related("task").order_by("requested_at")
    )


def to_review() -> list[Row]:
    return [Row(r.task, "", f"{r.get_kind_display()}申请：{r.reason}") for r in pending_requests()]


def unassigned() -> list[Row]:
    lead = Assignment.objects.filter(task=OuterRef("pk"), role=Assignment.Role.LEAD)
    tasks = (
        Task.objects.filter(status__in=OPEN, plan__status="published")
        .exclude(Exists(lead))
        .order_by("plan_id", "position")
    )
    return [Row(task, "", "尚未交办牵头单位") for task in tasks]


def without_accounts() -> list[Row]:
    """Items given to a unit nobody can log in for: they can never be signed."""
    accounts = User.objects.filter(
        org=OuterRef("org"), is_active=True, role__in=[User.Role.DEPARTMENT, User.Role.DISTRICT]
    )
    rows = _open_assignments().exclude(Exists(accounts))
    return [Row(a.task, a.org.name, "该单位没有可登录的用户账号，无人能签收：请管理员开设账号") for a in rows]


def overdue(today: dt.date) -> list[Row]:
    tasks = Task.objects.filter(status__in=OPEN, due_date__lt=today).order_by("due_date")
    return [Row(task, "", f"已逾期 {(today - task.due_date).days} 天") for task in tasks]


def sections_for(user, today: dt.date) -> list[Section]:
    role = getattr(user, "role", None)
    if role in policy.UNIT_ROLES and user.org_id:
        org = user.org
        return [
            Section("sign", "待签收", "新交办的事项，签收后开始报送进展", to_sign(org)),
            Section("report", "待报送", "本月尚未报送进展的事项", to_report(today, org)),
            Section("catch_up", "待补报", "上月缺报的事项", to_catch_up(today, org)),
            Section("returned", "被退回", "督查室退回的申请", returned(today, org)),
            Section(
                "instructions",
                "批示待落实",
                "领导批示，请报告落实情况",
                _instruction_rows(open_instructions(org)),
            ),
        ]
    if role == User.Role.OFFICE:
        return [
            Section("review", "待审核", "单位提交的延期、办结、中止、调整申请", to_review()),
            Section(
                "instructions",
                "批示待落实",
                "领导批示，牵头单位尚未报告落实情况",
                _instruction_rows(open_instructions()),
            ),
            Section("unsigned", "单位未签收", "已交办、单位尚未签收", to_sign()),
            Section("unreported", "本月未报送", "已签收、本月尚未报送进展", to_report(today)),
            Section("overdue", "逾期事项", "已过完成时限仍未办结", overdue(today)),
            Section("unassigned", "未交办", "尚未交办牵头单位的事项", unassigned()),
            Section("no_account", "承办单位无账号", "交办给了没有用户账号的单位", without_accounts()),
        ]
    if role == User.Role.LEADER:
        return [
            Section(
                "instructions",
                "批示待落实",
                "领导批示，牵头单位尚未报告落实情况",
                _instruction_rows(open_instructions()),
            )
        ]
    return []


# What the nav badge counts: what the user must act on, not what the office merely watches.
ACTIONABLE = {"sign", "report", "catch_up", "returned", "instructions", "review"}


def action_count(sections: list[Section]) -> int:
    return sum(section.count for section in sections if section.key in ACTIONABLE)


def badge_count(user, today: dt.date) -> int:
    """action_count of the user's sections, as one statement of COUNTs: the header of every page shows it."""
    role = getattr(user, "role", None)
    if role in policy.UNIT_ROLES and user.org_id:
        org = user.org
        queries = (
            unsigned(org),
            unreported(today, org),
            missed_last_month(today, org),
            returned_requests(today, org),
            open_instructions(org),
        )
    elif role == User.Role.OFFICE:
        queries = (pending_requests(), open_instructions())
    elif role == User.Role.LEADER:
        queries = (open_instructions(),)
    else:
        return 0
    return _total(user, queries)


def _total(user, queries) -> int:
    """The sum of the queries' row counts in one round trip (each a scalar COUNT subquery)."""
    counts = {
        f"n{i}": Subquery(
            query.order_by().values(n=Func(F("pk"), function="COUNT")), output_field=IntegerField()
        )
        for i, query in enumerate(queries)
    }
    row = User.objects.filter(pk=user.pk).values(**counts).first()
    return sum(row.values()) if row else 0


def visible(sections: list[Section], user) -> list[Section]:
    """Never a row of an item the user may not see (a school, or a unit's co-operating view)."""
    if policy._role(user) in policy.READ_ALL:
        return sections
    allowed = set(policy.visible_tasks(user).values_list("pk", flat=True))
    for section in sections:
        section.rows = [row for row in section.rows if row.task.pk in allowed]
    return sections

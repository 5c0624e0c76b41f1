"""Every change to the ledger goes through here: checked by the policy, written with an audit entry.

Pages and the API call these functions and only these, so both obey the same rules.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from . import policy
from .mail import send_notice_mail
from .models import (
    Assignment,
    AuditEntry,
    Comment,
    Milestone,
    Notice,
    Plan,
    ProgressReport,
    Request,
    Target,
    TargetValue,
    Task,
    User,
)
from .policy import require

TASK_FIELDS = ("title", "content", "section", "status", "due_date", "extension_count")


class Conflict(Exception):
    """Someone else saved the item after this editor loaded it."""


class Invalid(Exception):
    """The request cannot apply to the item as it is now (e.g. a request on a closed item)."""


def snapshot(task: Task) -> dict:
    return {name: _plain(getattr(task, name)) for name in TASK_FIELDS}


def _plain(value):
    return value.isoformat() if isinstance(value, dt.date) else value


def audit(actor, action: str, *, task=None, plan=None, before=None, after=None) -> None:
    AuditEntry.objects.create(actor=actor if getattr(actor, "pk", None) else None, action=action,
                              task=task, plan=plan or (task.plan if task else None), before=before, after=after)


def _save_task(task: Task, expected_version: int | None) -> None:
    """Compare-and-set on the version: the second of two editors gets Conflict, nothing is overwritten."""
    if expected_version is None:
        expected_version = task.version
    values = {name: getattr(task, name) for name in TASK_FIELDS}
    updated = Task.objects.filter(pk=task.pk, version=expected_version).update(version=expected_version + 1,
                                                                              **values)
    if not updated:
        raise Conflict(_("此事项已被他人修改，请刷新后在最新版本上重新修改（您的输入未保存）。"))
    task.version = expected_version + 1


@transaction.atomic
def edit_task(user, task: Task, changes: dict, expected_version: int | None) -> Task:
    require(policy.can_edit_task(user, task))
    before = snapshot(task)
    for name, value in changes.items():
        if name in ("title", "content", "section", "due_date"):
            setattr(task, name, value)
    _save_task(task, expected_version)
    audit(user, "edit", task=task, before=before, after=snapshot(task))
    return task


# --- plans -----------------------------------------------------------------------------------

@transaction.atomic
def publish_plan(user, plan: Plan) -> Plan:
    require(policy.can_edit_plan(user, plan))
    if not plan.tasks.exists():
        raise Invalid(_("计划中没有事项，无法发布"))
    plan.status = Plan.Status.PUBLISHED
    plan.published_at = timezone.now()
    plan.save(update_fields=["status", "published_at"])
    plan.tasks.filter(status=Task.Status.DRAFT).update(status=Task.Status.ACTIVE)
    audit(user, "publish", plan=plan, after={"tasks": plan.tasks.count()})
    _notify_draft_assignments(plan)
    return plan


def _notify_draft_assignments(plan: Plan) -> None:
    """Units given items while the plan was a draft (an Excel ledger's 牵头/配合 columns, a carried item) hear
    of them when it is published, as of any assignment."""
    for assignment in Assignment.objects.filter(task__plan=plan).select_related("org", "task"):
        notify_org(assignment.org, assignment.task, "assign",
                   f"新交办事项：{assignment.task.title}（{assignment.get_role_display()}）")


@transaction.atomic
def split_task(user, task: Task, at: int) -> Task:
    """Split the item's content at character `at`: the tail becomes a new item right after it."""
    require(policy.can_edit_plan(user, task.plan))
    head, tail = task.content[:at].strip(), task.content[at:].strip()
    if not head or not tail:
        raise Invalid(_("拆分位置须在内容中间"))
    before = snapshot(task)
    Task.objects.filter(plan=task.plan, position__gt=task.position).update(position=F("position") + 1)
    task.content = head
    _save_task(task, None)
    new = Task.objects.create(plan=task.plan, position=task.position + 1, section=task.section,
                              title=_first_sentence(tail), content=tail, source_quote=tail, status=task.status,
                              due_date=task.due_date)
    for target in task.targets.all():
        if target.quote and target.quote in tail:
            target.task = new
            target.save(update_fields=["task"])
    audit(user, "split", task=task, before=before, after={**snapshot(task), "new_task": new.pk})
    return new


@transaction.atomic
def merge_with_next(user, task: Task) -> Task:
    require(policy.can_edit_plan(user, task.plan))
    following = Task.objects.filter(plan=task.plan, position__gt=task.position).order_by("position", "id").first()
    if following is None:
        raise Invalid(_("这是最后一项，没有可合并的下一项"))
    before = snapshot(task)
    task.content = f"{task.content}{following.content}"
    task.source_quote = f"{task.source_quote}{following.source_quote}"
    task.save(update_fields=["source_quote"])
    _save_task(task, None)
    following.targets.update(task=task)
    audit(user, "merge", task=task, before=before, after={**snapshot(task), "merged_title": following.title})
    following.delete()
    return task


def _first_sentence(text: str) -> str:
    return text.split("。")[0][:60] or text[:60]



@transaction.atomic
def save_target(user, task: Task, target: Target | None, fields: dict) -> Target:
    require(policy.can_edit_plan(user, task.plan) or policy.can_edit_task(user, task))
    before = _target_dict(target) if target else None
    target = target or Target(task=task)
    for name, value in fields.items():
        setattr(target, name, value)
    target.save()
    audit(user, "target", task=task, before=before, after=_target_dict(target))
    return target


def _target_dict(target: Target) -> dict:
    return {"indicator": target.indicator, "comparator": target.comparator, "value": target.value,
            "value_max": target.value_max, "unit": target.unit, "quote": target.quote}


# --- assignments -----------------------------------------------------------------------------

@transaction.atomic
def assign(user, task: Task, org, role: str, due_date=None) -> Assignment:
    require(policy.can_assign(user, task))
    if role == Assignment.Role.LEAD and task.assignments.filter(role=Assignment.Role.LEAD).exclude(org=org).exists():
        raise Invalid(_("每个事项只能有一个牵头单位"))
    assignment, created = Assignment.objects.update_or_create(
        task=task, org=org, defaults={"role": role, "due_date": due_date or task.due_date})
    audit(user, "assign", task=task, after={"org": org.name, "role": role, "due_date": _plain(assignment.due_date)})
    notify_org(org, task, "assign", f"新交办事项：{task.title}（{assignment.get_role_display()}）")
    return assignment


@transaction.atomic
def sign(user, assignment: Assignment) -> Assignment:
    require(policy.can_sign(user, assignment))
    assignment.status = Assignment.Status.SIGNED
    assignment.signed_by = user
    assignment.signed_at = timezone.now()
    assignment.save(update_fields=["status", "signed_by", "signed_at"])
    audit(user, "sign", task=assignment.task, before={"status": "pending"},
          after={"status": "signed", "org": assignment.org.name})
    return assignment


@transaction.atomic
def add_milestone(user, task: Task, title: str, due_date) -> Milestone:
    require(policy.can_assign(user, task))
    milestone = Milestone.objects.create(task=task, title=title, due_date=due_date)
    audit(user, "milestone", task=task, after={"title": title, "due_date": _plain(due_date)})
    return milestone


# --- progress --------------------------------------------------------------------------------

@transaction.atomic
def report(user, task: Task, *, progress: str, next_steps: str = "", problems: str = "", attachment=None,
           values: dict[int, float] | None = None, period: dt.date | None = None) -> ProgressReport:
    require(policy.can_report(user, task))
    if not progress.strip():
        raise Invalid(_("请填写完成情况"))
    today = timezone.localdate()
    entry = ProgressReport.objects.create(task=task, org=user.org, author=user, progress=progress,
                                          next_steps=next_steps, problems=problems, attachment=attachment or "",
                                          period=period or today.replace(day=1))
    targets = {t.pk: t for t in task.targets.all()}
    for target_id, value in (values or {}).items():
        if target_id in targets and value is not None:
            TargetValue.objects.create(report=entry, target=targets[target_id], value=value)
    audit(user, "report", task=task, after={"period": entry.period.isoformat(), "progress": progress[:200]})
    return entry


# --- requests and review ---------------------------------------------------------------------

@transaction.atomic
def file_request(user, task: Task, kind: str, reason: str, *, new_due_date=None, new_content="",
                 evidence=None) -> Request:
    task = Task.objects.select_for_update().get(pk=task.pk)
    if not task.is_open:
        raise Invalid(_("事项“%(title)s”已%(status)s，不能再提出申请")
                      % {"title": task.title, "status": task.get_status_display()})
    if task.status == Task.Status.REVIEWING:
        raise Invalid(_("此事项已有待审核的申请，请等待审核结果"))
    require(policy.can_request(user, task))
    if not reason.strip():
        raise Invalid(_("请填写申请理由"))
    if kind == Request.Kind.EXTEND and (new_due_date is None or (task.due_date and new_due_date <= task.due_date)):
        raise Invalid(_("延期申请须填写晚于原时限的新完成时限"))
    if kind == Request.Kind.ADJUST and not new_content.strip():
        raise Invalid(_("调整申请须填写调整后的内容"))
    before = snapshot(task)
    request = Request.objects.create(task=task, kind=kind, reason=reason, new_due_date=new_due_date,
                                     new_content=new_content, evidence=evidence or "", prior_state=before,
                                     requested_by=user)
    task.status = Task.Status.REVIEWING
    _save_task(task, None)
    audit(user, f"request-{kind}", task=task, before=before, after=snapshot(task))
    for office_user in User.objects.filter(role=User.Role.OFFICE, is_active=True):
        _notice(office_user, task, "request", f"{user.org}提交{request.get_kind_display()}申请：{task.title}")
    return request


@transaction.atomic
def review(user, request: Request, approve: bool, note: str = "") -> Request:
    require(policy.can_review(user, request))
    if not approve and not note.strip():
        raise Invalid(_("退回须填写理由"))
    task = Task.objects.select_for_update().get(pk=request.task_id)
    before = snapshot(task)
    _restore(task, request.prior_state)  # the state before the request, whatever the outcome
    if approve:
        _apply(task, request)
    _save_task(task, None)
    request.status = Request.Status.APPROVED if approve else Request.Status.RETURNED
    request.reviewed_by, request.reviewed_at, request.review_note = user, timezone.now(), note
    request.save(update_fields=["status", "reviewed_by", "reviewed_at", "review_note"])
    audit(user, f"review-{request.kind}-{request.status}", task=task, before=before, after=snapshot(task))
    if request.requested_by:
        verdict = "同意" if approve else f"退回（{note}）"
        _notice(request.requested_by, task, "review", f"您的{request.get_kind_display()}申请已{verdict}：{task.title}")
    return request


def _restore(task: Task, prior: dict) -> None:
    task.status = prior.get("status", Task.Status.ACTIVE)
    task.due_date = dt.date.fromisoformat(prior["due_date"]) if prior.get("due_date") else None
    task.content = prior.get("content", task.content)
    task.extension_count = prior.get("extension_count", task.extension_count)


def _apply(task: Task, request: Request) -> None:
    kind = request.kind
    if kind == Request.Kind.EXTEND:
        task.due_date = request.new_due_date
        task.extension_count += 1
        task.assignments.update(due_date=request.new_due_date)
    elif kind == Request.Kind.CLOSE:
        task.status = Task.Status.CLOSED
        task.assignments.update(status=Assignment.Status.DONE)
    elif kind == Request.Kind.SUSPEND:
        task.status = Task.Status.SUSPENDED
    elif kind == Request.Kind.ADJUST:
        task.content = request.new_content


@transaction.atomic
def comment(user, task: Task, text: str) -> Comment:
    require(policy.can_comment(user, task))
    if not text.strip():
        raise Invalid(_("批示内容不能为空"))
    entry = Comment.objects.create(task=task, author=user, text=text)
    audit(user, "comment", task=task, after={"text": text[:200]})
    return entry


# --- notices (催办) ----------------------------------------------------------------------------

def _notice(recipient: User, task: Task | None, kind: str, text: str) -> Notice:
    notice = Notice.objects.create(recipient=recipient, task=task, kind=kind, text=text)
    send_notice_mail(recipient, task, text)  # names the item and links to it
    return notice


def unit_accounts(org):
    """The users who act for a unit: who signs, reports and gets its notices."""
    return User.objects.filter(org=org, is_active=True, role__in=[User.Role.DEPARTMENT, User.Role.DISTRICT])


def notify_org(org, task: Task | None, kind: str, text: str) -> int:
    return sum(1 for recipient in unit_accounts(org) if _notice(recipient, task, kind, text))


@transaction.atomic
def urge(user, task: Task, text: str = "") -> int:
    require(policy.can_urge(user, task))
    message = text.strip() or f"请抓紧推进并按时报送进展：{task.title}"
    sent = 0
    for assignment in task.assignments.select_related("org"):
        sent += notify_org(assignment.org, task, "urge", f"催办：{message}")
    audit(user, "urge", task=task, after={"text": message, "recipients": sent})
    return sent

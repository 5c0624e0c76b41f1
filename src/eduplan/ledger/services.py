"""Every change to the ledger goes through here: checked by the policy, written with an audit entry.

Pages and the API call these functions and only these, so both obey the same rules.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from eduplan.reader.numerals import plain

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
    WarningWindow,
)
from .policy import require

TASK_FIELDS = ("title", "content", "section", "status", "due_date", "extension_count")


class Conflict(Exception):
    """Someone else acted on the row after this user loaded it: nothing was changed."""


class Invalid(Exception):
    """The request cannot apply to the item as it is now (e.g. a request on a closed item)."""


def snapshot(task: Task) -> dict:
    return {name: _plain(getattr(task, name)) for name in TASK_FIELDS}


def _plain(value):
    return value.isoformat() if isinstance(value, dt.date) else value


def audit(actor, action: str, *, task=None, plan=None, before=None, after=None) -> None:
    AuditEntry.objects.create(actor=actor if getattr(actor, "pk", None) else None, action=action,
                              task=task, plan=plan or (task.plan if task else None), before=before, after=after)


def _stale() -> Conflict:
    return Conflict(_("此事项已被他人修改，请刷新后在最新版本上重新修改（您的输入未保存）。"))


def _taken(what: str) -> Conflict:
    return Conflict(_("%(what)s已被他人处理，您的操作未执行，请刷新后查看最新状态。") % {"what": what})


def _locked(task: Task, expected_version: int | None = None) -> Task:
    """The task as it is now, its row locked until the transaction ends (PostgreSQL; on SQLite the write
    transaction itself is exclusive: settings' IMMEDIATE mode). Every transition decides on this row, never
    on the copy a page or API call read before: of two concurrent actions, the second sees the first's."""
    current = Task.objects.select_for_update().filter(pk=task.pk).first()
    if current is None:
        raise _taken(_("此事项"))
    if expected_version is not None and current.version != expected_version:
        raise _taken(_("此事项"))
    return current


def _save_task(task: Task, expected_version: int | None) -> None:
    """Compare-and-set on the version: the second of two editors gets Conflict, nothing is overwritten."""
    if expected_version is None:
        expected_version = task.version
    values = {name: getattr(task, name) for name in TASK_FIELDS}
    updated = Task.objects.filter(pk=task.pk, version=expected_version).update(version=expected_version + 1,
                                                                              **values)
    if not updated:
        raise _stale()
    task.version = expected_version + 1


@transaction.atomic
def edit_task(user, task: Task, changes: dict, expected_version: int | None) -> Task:
    task = _locked(task)
    if expected_version is not None and task.version != expected_version:
        raise _stale()
    require(policy.can_edit_task(user, task))
    if "due_date" in changes and changes["due_date"] is None and task.due_date is not None:
        # a blank date box is far more often a browser that could not show the date than a wish to drop it
        raise Invalid(_("完成时限不能清空（原为 %(date)s）；如需改期，请填写新的日期。")
                      % {"date": task.due_date.isoformat()})
    _check_title(changes.get("title"))
    before = snapshot(task)
    for name, value in changes.items():
        if name in ("title", "content", "section", "due_date"):
            setattr(task, name, value)
    _save_task(task, expected_version)
    audit(user, "edit", task=task, before=before, after=snapshot(task))
    return task


def _check_title(title: str | None, limit: int = 300) -> None:
    """A title longer than its column is refused by name, never cut without a word."""
    if title is not None and len(title) > limit:
        raise Invalid(_("标题过长（%(length)d 字），上限 %(limit)d 字，请精简后再保存")
                      % {"length": len(title), "limit": limit})


# --- settings --------------------------------------------------------------------------------

def set_warning_days(user, days: int) -> WarningWindow:
    """The office's warning window: every light computed after this uses it."""
    from .lights import WARN_DAYS_RANGE, warn_days

    require(policy.can_set_warning(user), _("只有督查室可以设置预警天数"))
    low, high = WARN_DAYS_RANGE
    if not low <= days <= high:
        raise Invalid(_("预警天数须在 %(low)d 到 %(high)d 天之间") % {"low": low, "high": high})
    with transaction.atomic():
        before = warn_days()
        row = WarningWindow.objects.create(days=days, set_by=user)
        audit(user, "warn-days", before={"days": before}, after={"days": days})
    return row


# --- plans -----------------------------------------------------------------------------------

def _locked_plan(plan: Plan) -> Plan:
    current = Plan.objects.select_for_update().filter(pk=plan.pk).first()
    if current is None:
        raise _taken(_("此计划"))
    return current


def _plan_facts(plan: Plan) -> dict:
    return {"title": plan.title, "year": plan.year, "status": plan.status, "tasks": plan.tasks.count()}


def reported_work(plan: Plan) -> str:
    """What units have put into a plan's items, in words; empty when nothing would be lost with it."""
    reports = ProgressReport.objects.filter(task__plan=plan).count()
    requests = Request.objects.filter(task__plan=plan).count()
    parts = ([_("%(count)d 条进展报送") % {"count": reports}] if reports else []) + (
        [_("%(count)d 条申请") % {"count": requests}] if requests else [])
    return _("已有 %(work)s") % {"work": _("、").join(parts)} if parts else ""


@transaction.atomic
def publish_plan(user, plan: Plan) -> Plan:
    require(policy.is_office(user))
    plan = _locked_plan(plan)
    if plan.status != Plan.Status.DRAFT:
        raise _taken(_("此计划"))
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
    """Units given items while the plan was a draft (the units the reader found in the plan's 牵头/配合
    wording, an Excel ledger's columns, a carried item) are confirmed by publishing: each hears of its items
    once, as of any assignment."""
    for assignment in Assignment.objects.filter(task__plan=plan).select_related("org", "task"):
        notify_org(assignment.org, assignment.task, "assign",
                   f"新交办事项：{assignment.task.title}（{assignment.get_role_display()}）")


@transaction.atomic
def rename_plan(user, plan: Plan, title: str, year: int | None) -> Plan:
    require(policy.is_office(user))
    plan = _locked_plan(plan)
    title = title.strip()
    if not title:
        raise Invalid(_("请填写计划名称"))
    _check_title(title, Plan._meta.get_field("title").max_length)
    before = _plan_facts(plan)
    plan.title, plan.year = title, year
    plan.save(update_fields=["title", "year"])
    audit(user, "plan-rename", plan=plan, before=before, after=_plan_facts(plan))
    return plan


@transaction.atomic
def archive_plan(user, plan: Plan, archived: bool = True) -> Plan:
    """An archived plan keeps every item and report but leaves the ledger's, dashboard's and reports' views."""
    require(policy.is_office(user))
    plan = _locked_plan(plan)
    start, end = (Plan.Status.PUBLISHED, Plan.Status.ARCHIVED) if archived else (Plan.Status.ARCHIVED,
                                                                                   Plan.Status.PUBLISHED)
    if plan.status != start:
        raise Invalid(_("只有已发布的计划可以归档") if archived else _("此计划未归档"))
    before = _plan_facts(plan)
    plan.status = end
    plan.save(update_fields=["status"])
    audit(user, "plan-archive" if archived else "plan-unarchive", plan=plan, before=before, after=_plan_facts(plan))
    return plan


@transaction.atomic
def unpublish_plan(user, plan: Plan) -> Plan:
    """Back to a draft, only while no unit has reported or asked anything on it."""
    require(policy.is_office(user))
    plan = _locked_plan(plan)
    if plan.status != Plan.Status.PUBLISHED:
        raise Invalid(_("只有已发布的计划可以撤回发布"))
    if work := reported_work(plan):
        raise Invalid(_("不能撤回发布：%(work)s，撤回会使这些内容失去归属。可改为归档。") % {"work": work})
    before = _plan_facts(plan)
    plan.status, plan.published_at = Plan.Status.DRAFT, None
    plan.save(update_fields=["status", "published_at"])
    plan.tasks.update(status=Task.Status.DRAFT, version=F("version") + 1)
    audit(user, "unpublish", plan=plan, before=before, after=_plan_facts(plan))
    return plan


@transaction.atomic
def delete_plan(user, plan: Plan) -> None:
    """A draft, or a published plan nothing was reported on; its audit entries stay (they name its id)."""
    require(policy.is_office(user))
    plan = _locked_plan(plan)
    if work := reported_work(plan):
        raise Invalid(_("不能删除：%(work)s。可改为归档，归档后不再出现在台账和统计中。") % {"work": work})
    audit(user, "plan-delete", plan=plan, before=_plan_facts(plan), after=None)
    plan.delete()


@transaction.atomic
def split_task(user, task: Task, at: int) -> Task:
    """Split the item's content at character `at`: the tail becomes a new item right after it."""
    task = _locked(task)
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
    task = _locked(task)
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


# --- targets ---------------------------------------------------------------------------------

def _may_change_targets(user, task: Task) -> bool:
    return policy.can_edit_plan(user, task.plan) or policy.can_edit_task(user, task)


@transaction.atomic
def save_target(user, task: Task, target: Target | None, fields: dict) -> Target:
    task = _locked(task)
    require(_may_change_targets(user, task))
    if target is not None:
        target = Target.objects.select_for_update().filter(pk=target.pk, task=task).first()
        if target is None:
            raise _taken(_("此目标"))
    before = _target_dict(target) if target else None
    target = target or Target(task=task)
    for name, value in fields.items():
        setattr(target, name, value)
    check_target(target)
    target.save()
    _save_task(task, None)
    audit(user, "target", task=task, before=before, after=_target_dict(target))
    return target


@transaction.atomic
def delete_target(user, task: Task, target: Target) -> None:
    task = _locked(task)
    require(_may_change_targets(user, task))
    target = Target.objects.select_for_update().filter(pk=target.pk, task=task).first()
    if target is None:
        raise _taken(_("此目标"))
    if reported := target.values.count():
        raise Invalid(_("目标“%(indicator)s”已有 %(count)d 条单位报送的数值，删除会丢失这些数值；请改为修改目标。")
                      % {"indicator": target.indicator, "count": reported})
    audit(user, "target-delete", task=task, before=_target_dict(target), after=None)
    target.delete()
    _save_task(task, None)


def _target_dict(target: Target) -> dict:
    return {"indicator": target.indicator, "comparator": target.comparator, "value": target.value,
            "value_max": target.value_max, "unit": target.unit, "quote": target.quote,
            "deadline": _plain(target.deadline)}


def _is_share(unit: str) -> bool:
    return unit.strip() in ("%", "％", "百分比")


def check_target(target: Target) -> None:
    """A target's figures must mean something in its unit: a share within 0–100 (an increase may be any
    number of points), a count never negative, a range's minimum below its maximum."""
    name = target.indicator or _("目标")
    figures = [target.value] + ([target.value_max] if target.value_max is not None else [])
    if any(value != value or value in (float("inf"), float("-inf")) for value in figures):
        raise Invalid(_("“%(name)s”的目标值不是有效数字") % {"name": name})
    if target.comparator == Target.Comparator.BETWEEN and target.value_max is None:
        raise Invalid(_("“%(name)s”是区间目标，请填写上限") % {"name": name})
    if target.value_max is not None and target.value >= target.value_max:
        raise Invalid(_("“%(name)s”的区间下限（%(low)s）须小于上限（%(high)s）")
                      % {"name": name, "low": target.value_text, "high": target.value_max_text})
    if target.comparator == Target.Comparator.INCREASE:
        return
    if _is_share(target.unit) and any(not 0 <= value <= 100 for value in figures):
        raise Invalid(_("“%(name)s”是百分比，目标值须在 0–100 之间") % {"name": name})
    if any(value < 0 for value in figures):
        raise Invalid(_("“%(name)s”的目标值不能为负数") % {"name": name})


def check_reported_value(target: Target, value: float) -> None:
    """A unit's current value, in its target's unit: a share within 0–100, a count never negative."""
    bad = None
    if value != value or value in (float("inf"), float("-inf")):
        bad = _("不是有效数字")
    elif _is_share(target.unit) and not 0 <= value <= 100:
        bad = _("是百分比，须在 0–100 之间")
    elif value < 0 and not _is_share(target.unit):
        bad = _("不能为负数")
    if bad:
        raise Invalid(_("“%(name)s”的当前值%(why)s（填写的是 %(value)s）")
                      % {"name": target.indicator, "why": bad, "value": plain(value)})


# --- assignments -----------------------------------------------------------------------------

@transaction.atomic
def assign(user, task: Task, org, role: str, due_date=None, expected_version: int | None = None) -> Assignment:
    task = _locked(task, expected_version)
    require(policy.can_assign(user, task))
    if role == Assignment.Role.LEAD and task.assignments.filter(role=Assignment.Role.LEAD).exclude(org=org).exists():
        raise Invalid(_("每个事项只能有一个牵头单位；如需更换，请对现牵头单位使用“转办”"))
    existing = task.assignments.filter(org=org).first()
    before = _assignment_dict(existing) if existing else None
    assignment, created = Assignment.objects.update_or_create(
        task=task, org=org, defaults={"role": role, "due_date": due_date or task.due_date})
    _save_task(task, None)
    audit(user, "assign", task=task, before=before, after=_assignment_dict(assignment))
    notify_org(org, task, "assign", f"新交办事项：{task.title}（{assignment.get_role_display()}）")
    return assignment


def _assignment_dict(assignment: Assignment) -> dict:
    return {"org": assignment.org.name, "role": assignment.role, "status": assignment.status,
            "due_date": _plain(assignment.due_date)}


def _locked_assignment(assignment: Assignment) -> tuple[Task, Assignment]:
    task = _locked(assignment.task)
    current = Assignment.objects.select_for_update().select_related("org").filter(pk=assignment.pk).first()
    if current is None:
        raise _taken(_("此交办"))
    current.task = task
    return task, current


def _reports_of(assignment: Assignment) -> int:
    return ProgressReport.objects.filter(task_id=assignment.task_id, org_id=assignment.org_id).count()


@transaction.atomic
def withdraw_assignment(user, assignment: Assignment) -> None:
    """撤销交办: refused once the unit has reported on the item (transfer it instead: its reports stay)."""
    task, assignment = _locked_assignment(assignment)
    require(policy.can_assign(user, task))
    if reported := _reports_of(assignment):
        raise Invalid(_("%(org)s已报送 %(count)d 条进展，撤销会使这些进展失去归属；请改用“转办”。")
                      % {"org": assignment.org.name, "count": reported})
    audit(user, "unassign", task=task, before=_assignment_dict(assignment), after=None)
    notify_org(assignment.org, task, "unassign", f"已撤销交办：{task.title}")
    assignment.delete()
    _save_task(task, None)


@transaction.atomic
def transfer_assignment(user, assignment: Assignment, org) -> Assignment:
    """转办 / 改派: the same role and deadline to another unit, which signs afresh; reports stay with their
    authors' unit."""
    task, assignment = _locked_assignment(assignment)
    require(policy.can_assign(user, task))
    if org.pk == assignment.org_id:
        raise Invalid(_("请选择另一个单位"))
    if task.assignments.filter(org=org).exists():
        raise Invalid(_("%(org)s已是此事项的责任单位") % {"org": org.name})
    before = _assignment_dict(assignment)
    old_org = assignment.org
    assignment.org, assignment.status, assignment.signed_by, assignment.signed_at = (
        org, Assignment.Status.PENDING, None, None)
    assignment.save(update_fields=["org", "status", "signed_by", "signed_at"])
    _save_task(task, None)
    audit(user, "transfer", task=task, before=before, after=_assignment_dict(assignment))
    notify_org(old_org, task, "unassign", f"事项已转办给{org.name}：{task.title}")
    notify_org(org, task, "assign", f"新交办事项（转办）：{task.title}（{assignment.get_role_display()}）")
    return assignment


@transaction.atomic
def sign(user, assignment: Assignment) -> Assignment:
    task, assignment = _locked_assignment(assignment)
    if assignment.status != Assignment.Status.PENDING and user.org_id == assignment.org_id:
        raise _taken(_("此交办"))
    require(policy.can_sign(user, assignment))
    assignment.status = Assignment.Status.SIGNED
    assignment.signed_by = user
    assignment.signed_at = timezone.now()
    assignment.save(update_fields=["status", "signed_by", "signed_at"])
    audit(user, "sign", task=task, before={"status": "pending"},
          after={"status": "signed", "org": assignment.org.name})
    return assignment


@transaction.atomic
def add_milestone(user, task: Task, title: str, due_date) -> Milestone:
    task = _locked(task)
    require(policy.can_assign(user, task))
    milestone = Milestone.objects.create(task=task, title=title, due_date=due_date)
    audit(user, "milestone", task=task, after={"title": title, "due_date": _plain(due_date)})
    return milestone


# --- progress --------------------------------------------------------------------------------

def _discard_stored(field_file) -> None:
    """A file stored for a row that was never saved (the transaction rolled back): gone with it."""
    if field_file and getattr(field_file, "_committed", False) and field_file.name:
        field_file.storage.delete(field_file.name)


def _saved_with_its_file(row, field: str, write) -> None:
    """Run write() (which stores the row, and with it the file) in one transaction; if it fails, the file
    it stored goes too, so no file outlives its row. The caller is the outermost transaction."""
    try:
        with transaction.atomic():
            write()
    except BaseException:
        _discard_stored(getattr(row, field))
        raise


def _report_period(task: Task, period: dt.date | None) -> dt.date:
    """The month reported on: this month by default, a missed month of the plan's year up to now."""
    this_month = timezone.localdate().replace(day=1)
    if period is None:
        return this_month
    period = period.replace(day=1)
    first = min(dt.date(task.plan.year, 1, 1), this_month) if task.plan.year else dt.date(2000, 1, 1)
    if period > this_month:
        raise Invalid(_("报送月份不能晚于本月（%(month)s）") % {"month": this_month.strftime("%Y-%m")})
    if period < first:
        raise Invalid(_("报送月份不能早于计划年度（%(month)s）") % {"month": first.strftime("%Y-%m")})
    return period


def _checked_values(task: Task, values: dict[int, float] | None) -> dict[Target, float]:
    targets = {t.pk: t for t in task.targets.all()}
    checked = {}
    for target_id, value in (values or {}).items():
        if target_id in targets and value is not None:
            check_reported_value(targets[target_id], value)
            checked[targets[target_id]] = value
    return checked


def report(user, task: Task, *, progress: str, next_steps: str = "", problems: str = "", attachment=None,
           values: dict[int, float] | None = None, period: dt.date | None = None) -> ProgressReport:
    entry = ProgressReport(org=user.org, author=user, progress=progress, next_steps=next_steps, problems=problems,
                           attachment=attachment or "")

    def write():
        locked = _locked(task)
        require(policy.can_report(user, locked))
        if not progress.strip():
            raise Invalid(_("请填写完成情况"))
        checked = _checked_values(locked, values)
        entry.task, entry.period = locked, _report_period(locked, period)
        entry.save()
        TargetValue.objects.bulk_create([TargetValue(report=entry, target=t, value=v) for t, v in checked.items()])
        audit(user, "report", task=locked, after=_report_dict(entry))

    _saved_with_its_file(entry, "attachment", write)
    return entry


def _report_dict(entry: ProgressReport) -> dict:
    """A report whole, so that a past month can be shown as it was before a correction (ledger.history)."""
    return {"report": entry.pk, "org": entry.org.name if entry.org_id else "",
            "created_at": entry.created_at.isoformat() if entry.created_at else None,
            "period": entry.period.strftime("%Y-%m"), "progress": entry.progress,
            "next_steps": entry.next_steps, "problems": entry.problems,
            "values": {v.target.indicator: v.value for v in entry.values.select_related("target")}}


def _locked_report(user, entry: ProgressReport) -> tuple[Task, ProgressReport]:
    task = _locked(entry.task)
    current = ProgressReport.objects.select_for_update().filter(pk=entry.pk).first()
    if current is None:
        raise _taken(_("此进展"))
    require(policy.can_report(user, task) and user.org_id == current.org_id,
            _("只能更正或撤回本单位、且事项仍在推进中的进展"))
    return task, current


@transaction.atomic
def correct_report(user, entry: ProgressReport, *, progress: str, next_steps: str = "", problems: str = "",
                   values: dict[int, float] | None = None, period: dt.date | None = None) -> ProgressReport:
    """更正: the unit's own report, changed in place; the audit keeps what it said before."""
    task, entry = _locked_report(user, entry)
    if not progress.strip():
        raise Invalid(_("请填写完成情况"))
    checked = _checked_values(task, values)
    before = _report_dict(entry)
    entry.progress, entry.next_steps, entry.problems = progress, next_steps, problems
    entry.period = _report_period(task, period or entry.period)
    entry.save(update_fields=["progress", "next_steps", "problems", "period"])
    for target, value in checked.items():
        TargetValue.objects.update_or_create(report=entry, target=target, defaults={"value": value})
    audit(user, "report-correct", task=task, before=before, after=_report_dict(entry))
    return entry


@transaction.atomic
def withdraw_report(user, entry: ProgressReport) -> None:
    task, entry = _locked_report(user, entry)
    audit(user, "report-withdraw", task=task, before=_report_dict(entry), after=None)
    entry.delete()


# --- requests and review ---------------------------------------------------------------------

def _target_changes(task: Task, kind: str, new_due_date, changes: dict | None) -> dict:
    """What a 延期 or 调整 names for the item's targets, checked now: {target id: {field: value}}."""
    if not changes:
        return {}
    targets = {t.pk: t for t in task.targets.all()}
    kept = {}
    for target_id, fields in changes.items():
        target = targets.get(int(target_id))
        if target is None:
            continue
        if kind == Request.Kind.EXTEND:
            kept[str(target.pk)] = {"deadline": _plain(new_due_date)}
        elif kind == Request.Kind.ADJUST:
            wanted = {k: _number(target, fields[k]) for k in ("value", "value_max") if fields.get(k) is not None}
            if wanted:
                check_target(Target(**{**_target_dict(target), **wanted, "deadline": target.deadline}))
                kept[str(target.pk)] = wanted
    return kept


def _number(target: Target, value) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        raise Invalid(_("“%(name)s”的目标值不是有效数字") % {"name": target.indicator}) from None


def file_request(user, task: Task, kind: str, reason: str, *, new_due_date=None, new_content="",
                 evidence=None, target_changes: dict | None = None) -> Request:
    request = Request(kind=kind, reason=reason, new_due_date=new_due_date, new_content=new_content,
                      evidence=evidence or "", requested_by=user)

    def write():
        locked = _locked(task)
        if not locked.is_open:
            raise Invalid(_("事项“%(title)s”已%(status)s，不能再提出申请")
                          % {"title": locked.title, "status": locked.get_status_display()})
        if locked.status == Task.Status.REVIEWING:
            raise Invalid(_("此事项已有待审核的申请，请等待审核结果"))
        require(policy.can_request(user, locked))
        if not reason.strip():
            raise Invalid(_("请填写申请理由"))
        if kind == Request.Kind.EXTEND and (new_due_date is None
                                            or (locked.due_date and new_due_date <= locked.due_date)):
            raise Invalid(_("延期申请须填写晚于原时限的新完成时限"))
        if kind == Request.Kind.ADJUST and not new_content.strip() and not target_changes:
            raise Invalid(_("调整申请须填写调整后的内容或目标值"))
        before = snapshot(locked)
        request.task, request.prior_state = locked, before
        request.target_changes = _target_changes(locked, kind, new_due_date, target_changes)
        request.save()
        locked.status = Task.Status.REVIEWING
        _save_task(locked, None)
        asked = {"new_due_date": _plain(new_due_date)} if kind == Request.Kind.EXTEND else {}
        audit(user, f"request-{kind}", task=locked, before=before, after={**snapshot(locked), **asked})
        for office_user in User.objects.filter(role=User.Role.OFFICE, is_active=True):
            _notice(office_user, locked, "request", f"{user.org}提交{request.get_kind_display()}申请：{locked.title}")

    _saved_with_its_file(request, "evidence", write)
    return request


@transaction.atomic
def review(user, request: Request, approve: bool, note: str = "") -> Request:
    """Decides a pending request once: the second of two reviewers gets 已被他人处理. The change applies to
    the item as it is now, so the office's edits made while the request waited stay."""
    task = _locked(request.task)
    current = Request.objects.select_for_update().filter(pk=request.pk, task=task).first()
    if current is None or current.status != Request.Status.PENDING:
        raise _taken(_("此申请"))
    request = current
    require(policy.can_review(user, request))
    if not approve and not note.strip():
        raise Invalid(_("退回须填写理由"))
    before = snapshot(task)
    task.status = Task.Status.ACTIVE
    if approve:
        _apply(user, task, request)
    _save_task(task, None)
    request.status = Request.Status.APPROVED if approve else Request.Status.RETURNED
    request.reviewed_by, request.reviewed_at, request.review_note = user, timezone.now(), note
    request.save(update_fields=["status", "reviewed_by", "reviewed_at", "review_note"])
    audit(user, f"review-{request.kind}-{request.status}", task=task, before=before, after=snapshot(task))
    if request.requested_by:
        verdict = "同意" if approve else f"退回（{note}）"
        _notice(request.requested_by, task, "review", f"您的{request.get_kind_display()}申请已{verdict}：{task.title}")
    return request


def _apply(user, task: Task, request: Request) -> None:
    kind = request.kind
    if kind == Request.Kind.EXTEND:
        # The lead unit asked for the time, so its deadline moves, and so does every unit's that was the item's
        # (or later); a co-operating unit given its own earlier date keeps it.
        moved = Q(role=Assignment.Role.LEAD) | Q(due_date__isnull=True)
        if task.due_date:
            moved |= Q(due_date__gte=task.due_date)
        task.assignments.filter(moved).update(due_date=request.new_due_date)
        task.due_date = request.new_due_date
        task.extension_count += 1
    elif kind == Request.Kind.CLOSE:
        task.status = Task.Status.CLOSED
        task.assignments.update(status=Assignment.Status.DONE)
    elif kind == Request.Kind.SUSPEND:
        task.status = Task.Status.SUSPENDED
    elif kind == Request.Kind.ADJUST and request.new_content.strip():
        task.content = request.new_content
    _apply_target_changes(user, task, request.target_changes or {})


def _apply_target_changes(user, task: Task, changes: dict) -> None:
    targets = Target.objects.select_for_update().filter(task=task, pk__in=[int(k) for k in changes])
    for target in targets:
        before = _target_dict(target)
        for name, value in changes[str(target.pk)].items():
            setattr(target, name, dt.date.fromisoformat(value) if name == "deadline" and value else value)
        check_target(target)  # the target may have changed while the request waited: still a sound target?
        target.save()
        audit(user, "target", task=task, before=before, after=_target_dict(target))


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

"""Server-rendered pages. Each action view asks services.py, which asks policy.py; nothing decides here."""

from __future__ import annotations

import functools
import re
from functools import cached_property
from urllib.parse import quote as url_quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Page, Paginator
from django.db.models import Prefetch, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from eduplan.limits import TooLarge

from . import filters as ledger_filters
from . import logins, policy, services
from .checks import past_date_warning
from .forms import (
    AssignForm,
    MilestoneForm,
    PlanForm,
    ReportCorrectForm,
    ReportForm,
    RequestForm,
    ReviewForm,
    TargetForm,
    TaskEditForm,
    TextForm,
    TransferForm,
    UploadForm,
    WarningWindowForm,
)
from .lights import LABELS, TaskLights, row_light, warn_days, with_light_facts
from .models import Assignment, AuditEntry, Notice, Org, Plan, ProgressReport, Request, Target, Task
from .plan_import import check_upload, import_plan, too_large
from .policy import Denied
from .scope import PlanScope, from_request
from .services import Conflict, Invalid
from .xlsx import ImportReport, export_ledger, import_ledger


def unread_notices(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notices": Notice.objects.filter(recipient=user, read=False).count()}


def _form_errors(form) -> str:
    """Each wrong field by the words its label shows the user (完成情况：…), never its code name."""
    def named(name: str) -> str:
        field = form.fields.get(name)
        return str(field.label) if field is not None and field.label else ""

    return "；".join(_("%(field)s：%(error)s") % {"field": named(name), "error": errors[0]} if named(name)
                    else str(errors[0]) for name, errors in form.errors.items())


def _forbidden(request, message: str):
    return render(request, "ledger/forbidden.html", {"message": message}, status=403)


def action(view):
    """POST-only, logged in; refusals and conflicts become a message, never a traceback."""

    @functools.wraps(view)
    @login_required
    @require_POST
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except Denied as error:
            return _forbidden(request, str(error))
        except (Conflict, Invalid) as error:
            messages.error(request, str(error))
            return redirect(request.POST.get("next") or request.META.get("HTTP_REFERER") or "ledger:list")

    return wrapper


def _task(request, pk) -> Task:
    return get_object_or_404(policy.visible_tasks(request.user).select_related("plan"), pk=pk)


# --- pages ---------------------------------------------------------------------------------
# Rendered on every request, never from a cache: a page shows the ledger as it is now, whoever wrote to it and
# however (issue 16: a cache keyed on the audit trail missed raw writes and cost a version query per page; at a
# bureau's load, 2 s think time, pages render in tens of milliseconds without it).


# A plan's parsed document and source text, large and read only by the draft page: a page listing items would
# otherwise decode the whole plan's JSON once per item row.
PLAN_BULK = ("plan__parse_json", "plan__source_text")


class LedgerRows:
    """The list's rows and light counts. A long ledger shows PAGE_ROWS rows a page; the counts are over every
    row that passes the filters."""

    PAGE_ROWS = 50

    def __init__(self, tasks, colour: str, page: str):
        self.tasks, self.colour, self.number, self.today = tasks, colour, page, timezone.localdate()

    @cached_property
    def all_rows(self) -> list[tuple[Task, str, str]]:
        """(item, light, the light's name in words) for each item that passes the filters."""
        rows = [(task, lit, LABELS[lit]) for task in self.tasks
                for lit in [row_light(task, self.today)]]
        return [row for row in rows if row[1] == self.colour] if self.colour else rows

    @cached_property
    def page(self) -> Page:
        return Paginator(self.all_rows, self.PAGE_ROWS).get_page(self.number)

    @cached_property
    def warn_days(self) -> int:
        """The office's warning window for the legend: carried by the rows' own query, read apart only when
        no row passes the filters."""
        tasks = list(self.tasks)  # the queryset's cache, filled by all_rows: no second query
        return tasks[0].warn_days if tasks else warn_days()

    @cached_property
    def counts(self) -> dict[str, int]:
        return {c: sum(1 for _, lit, _ in self.all_rows if lit == c) for c in ("red", "yellow", "green", "grey")}


# --- ledger ----------------------------------------------------------------------------------

@login_required
def ledger_list(request):
    if request.headers.get("HX-Request") and request.GET.get("partial"):  # the filter form's rows only
        return render(request, "ledger/_rows.html", _list_context(request))
    return render(request, "ledger/list.html", _list_context(request))


def filtered_tasks(request, scope: PlanScope):
    """The items the ledger shows for the request's filters (plan and year, q, status, org), in the plan's order;
    the light filter is applied by LedgerRows. The list and its export share it: the file is what the screen
    shows."""
    tasks = with_light_facts(policy.visible_tasks(request.user).exclude(status=Task.Status.DRAFT)
                             .filter(plan__status=Plan.Status.PUBLISHED)  # not drafts (an imported sheet's closed items), not archived
                             .select_related("plan").defer(*PLAN_BULK).prefetch_related("assignments__org"),
                             timezone.localdate()).order_by("plan_id", "position", "id")  # GROUP BY drops Meta.ordering
    tasks = scope.filter(tasks)
    query, status, org_id = (request.GET.get(k, "") for k in ("q", "status", "org"))
    if query:
        tasks = tasks.filter(Q(title__icontains=query) | Q(content__icontains=query))
    if status:
        tasks = tasks.filter(status=status)
    if org_id.isdigit():
        tasks = tasks.filter(assignments__org_id=int(org_id))
    # role, 签收, deadline window, 缺报, sorting: the screen and its export alike
    return ledger_filters.apply(tasks, request.GET, request.user, timezone.localdate())


def _list_context(request) -> dict:
    scope = from_request(request, timezone.localdate())
    table = LedgerRows(filtered_tasks(request, scope), request.GET.get("light", ""), request.GET.get("page", ""))
    return {**ledger_filters.choices(), "legend": ledger_filters.legend(table.warn_days), "scope": scope,
            "today": timezone.localdate(), "table": table, "labels": LABELS,
            "statuses": Task.Status.choices, "orgs": Org.objects.filter(kind__in=["department", "district"]),
            "filters": request.GET, "export_query": _export_query(request, scope),
            "can_import": policy.can_import_plan(request.user)}


def _export_query(request, scope: PlanScope) -> str:
    """The filters as the screen applied them, the plan and year spelled out even when they were the default."""
    query = request.GET.copy()
    for name in ("page", "partial"):
        query.pop(name, None)
    for name, value in scope.params.items():
        query[name] = value
    return query.urlencode()


@login_required
def export_xlsx(request):
    scope = from_request(request, timezone.localdate())
    table = LedgerRows(filtered_tasks(request, scope).prefetch_related("targets"), request.GET.get("light", ""), "")
    rows = table.all_rows
    logins.record("export", request, request.user, detail=export_name(rows))
    response = HttpResponse(export_ledger(rows),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{url_quote(export_name(rows))}"
    return response


def export_name(rows) -> str:
    """督办台账_<plan title>_<date>.xlsx when the rows are one plan's, else 督办台账_<date>.xlsx."""
    plans = {task.plan.title for task, *_ in rows}
    title = re.sub(r'[\\/:*?"<>|\s]+', "", plans.pop())[:60] if len(plans) == 1 else ""
    return "_".join(part for part in ("督办台账", title, timezone.localdate().isoformat()) if part) + ".xlsx"


# --- uploads: the pages and the API (api.py) share permission, checks and messages ------------

def receive_ledger(user, upload) -> ImportReport:
    """A ledger .xlsx in: all rows as a draft plan, or none and a report of every bad row."""
    policy.require(policy.can_import_ledger(user), _("只有督查室可以导入台账"))
    data = check_upload(upload)
    try:
        return import_ledger(user, data, upload.name)
    except TooLarge as error:
        raise Invalid(too_large(upload.name, error)) from None


def ledger_import_message(report: ImportReport) -> str:
    if report.plan:
        return _("已导入 %(rows)d 行，生成草稿计划") % {"rows": report.rows}
    return _("共 %(rows)d 行，%(errors)d 处错误，未导入任何行") % {"rows": report.rows, "errors": len(report.errors)}


def receive_plan(user, upload) -> Plan:
    """A plan file in: a draft plan whose items the office checks before publishing."""
    policy.require(policy.can_import_plan(user), _("只有督查室可以导入计划"))
    data = check_upload(upload)
    return import_plan(user, data, upload.name)


def plan_import_message(plan: Plan) -> str:
    """How many items were read; which document of a file holding several; the units proposed."""
    parts = [_("已读取 %(count)d 个事项，请核对后发布") % {"count": plan.tasks.count()}]
    entry = plan.audit.filter(action="import").order_by("id").first()
    facts = (entry.after if entry else None) or {}
    documents = (plan.parse_json or {}).get("documents") or []
    index = facts.get("document")
    if len(documents) > 1 and isinstance(index, int) and 0 <= index < len(documents):
        taken = documents[index]
        parts.append(_("文件含 %(count)d 份文档，导入的是第 %(which)d 份：%(title)s（%(year)s年%(kind)s）") % {
            "count": len(documents), "which": index + 1, "title": taken.get("title") or plan.title,
            "year": taken.get("year") or "?", "kind": _("总结") if taken.get("kind") == "summary" else _("计划")})
    proposed = Assignment.objects.filter(task__plan=plan).count()
    if proposed:
        parts.append(_("已按文中牵头/配合单位拟定 %(count)d 项交办，发布前请核对") % {"count": proposed})
    if facts.get("unmatched_units"):
        parts.append(_("未匹配到机构的单位：%(names)s") % {"names": "、".join(facts["unmatched_units"][:10])})
    return "；".join(parts)


def plan_import_warnings(plan: Plan) -> list[str]:
    """What the import had to shorten, never silently: the plan's title, the items' titles (their full text is
    kept in 具体内容)."""
    from .plan_import import PLAN_TITLE_MAX, TITLE_MAX

    entry = plan.audit.filter(action="import").order_by("id").first()
    facts = (entry.after if entry else None) or {}
    warnings = []
    if (facts.get("plan_title_length") or 0) > PLAN_TITLE_MAX:
        warnings.append(_("计划标题超过 %(limit)d 字，已截短，请在草稿页核对并改名") % {"limit": PLAN_TITLE_MAX})
    shortened = facts.get("shortened") or []
    if shortened:
        named = "、".join(_("%(number)s（%(start)s…，共 %(length)d 字）") % item for item in shortened[:10])
        more = facts.get("shortened_count", len(shortened)) - min(len(shortened), 10)
        warnings.append(_("%(count)d 个事项的标题超过 %(limit)d 字，已截取前 %(limit)d 字作标题，全文保留在“具体内容”中，"
                          "请在草稿中核对：%(items)s%(more)s") % {
            "count": facts.get("shortened_count", len(shortened)), "limit": TITLE_MAX, "items": named,
            "more": _("等（另有 %(n)d 项）") % {"n": more} if more > 0 else ""})
    return warnings


@login_required
def import_ledger_view(request):
    if not policy.can_import_ledger(request.user):
        return _forbidden(request, _("只有督查室可以导入台账"))
    report = None
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            report = receive_ledger(request.user, form.cleaned_data["file"])
        except Invalid as error:
            messages.error(request, str(error))
        else:
            if report.plan:
                messages.success(request, ledger_import_message(report))
                return redirect("ledger:plan", report.plan.pk)
            messages.error(request, ledger_import_message(report))
    return render(request, "ledger/import_ledger.html", {"form": form, "report": report})


@login_required
def notices(request):
    items = list(Notice.objects.filter(recipient=request.user).select_related("task")[:200])
    Notice.objects.filter(recipient=request.user, read=False).update(read=True)
    return render(request, "ledger/notices.html", {"notices": items})


# --- plans -----------------------------------------------------------------------------------

@login_required
def plan_list(request):
    return render(request, "ledger/plans.html", {"plans": policy.visible_plans(request.user),
                                                 "can_import": policy.can_import_plan(request.user)})


@login_required
def plan_import(request):
    if not policy.can_import_plan(request.user):
        return _forbidden(request, _("只有督查室可以导入计划"))
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            plan = receive_plan(request.user, form.cleaned_data["file"])
        except Invalid as error:
            messages.error(request, str(error))
        else:
            messages.success(request, plan_import_message(plan))
            for warning in plan_import_warnings(plan):
                messages.warning(request, warning)
            return redirect("ledger:plan", plan.pk)
    return render(request, "ledger/plan_import.html", {"form": form})


def _highlight(source: str, quotes: list[str]):
    """Split the source into (text, is_target) runs so the template marks each target's quote."""
    spans = []
    for quote in {q for q in quotes if q}:
        start = source.find(quote)
        if start >= 0:
            spans.append((start, start + len(quote)))
    runs, cursor = [], 0
    for start, end in sorted(spans):
        if start < cursor:
            continue
        runs.append((source[cursor:start], False))
        runs.append((source[start:end], True))
        cursor = end
    runs.append((source[cursor:], False))
    return runs


@login_required
def plan_draft(request, pk):
    plan = get_object_or_404(policy.visible_plans(request.user), pk=pk)
    # a unit sees only its own items of a published plan, and not the whole source beside them
    tasks = list(policy.visible_tasks(request.user).filter(plan=plan).order_by("position", "id")
                 .prefetch_related("targets", Prefetch("assignments", queryset=Assignment.objects.select_related("org"))))
    quotes = [target.quote for task in tasks for target in task.targets.all()]
    source = plan.source_text if policy.can_see_sources(request.user) else ""
    editable = policy.can_edit_plan(request.user, plan)
    return render(request, "ledger/plan_draft.html", {
        "plan": plan, "tasks": tasks, "source_runs": _highlight(source, quotes), "editable": editable,
        "target_form": TargetForm(), "comparators": Target.Comparator.choices,
        "manage": policy.is_office(request.user),
        "plan_form": PlanForm(initial={"title": plan.title, "year": plan.year})})


@action
def plan_publish(request, pk):
    plan = get_object_or_404(Plan, pk=pk)
    services.publish_plan(request.user, plan)
    messages.success(request, _("计划已发布，事项进入台账"))
    return redirect("ledger:list")


@action
def plan_rename(request, pk):
    plan = get_object_or_404(Plan, pk=pk)
    form = PlanForm(request.POST)
    if not form.is_valid():
        raise Invalid(_("表单有误：%(errors)s") % {"errors": _form_errors(form)})
    services.rename_plan(request.user, plan, form.cleaned_data["title"], form.cleaned_data["year"])
    messages.success(request, _("计划名称已保存"))
    return redirect("ledger:plan", plan.pk)


@action
def plan_archive(request, pk):
    plan = get_object_or_404(Plan, pk=pk)
    archived = request.POST.get("archived", "1") == "1"
    services.archive_plan(request.user, plan, archived)
    messages.success(request, _("计划已归档，不再出现在台账和统计中") if archived else _("计划已恢复"))
    return redirect("ledger:plans")


@action
def plan_unpublish(request, pk):
    plan = get_object_or_404(Plan, pk=pk)
    services.unpublish_plan(request.user, plan)
    messages.success(request, _("已撤回发布，计划回到草稿"))
    return redirect("ledger:plan", plan.pk)


@action
def plan_delete(request, pk):
    plan = get_object_or_404(Plan, pk=pk)
    services.delete_plan(request.user, plan)
    messages.success(request, _("计划已删除"))
    return redirect("ledger:plans")


# --- tasks -----------------------------------------------------------------------------------

@login_required
def task_detail(request, pk):
    return render(request, "ledger/task.html", _task_context(request, pk))


def _task_context(request, pk) -> dict:
    user = request.user
    # the page's rows read once: the light, the evidence list and the sections below share them
    task = get_object_or_404(policy.visible_tasks(user).select_related("plan").defer(*PLAN_BULK).prefetch_related(
        Prefetch("assignments", queryset=Assignment.objects.select_related("org")),
        Prefetch("reports", queryset=ProgressReport.objects.select_related("org", "author")
                 .prefetch_related("values__target")),
        Prefetch("requests", queryset=Request.objects.select_related("requested_by__org")),
        "milestones", "targets"), pk=pk)  # targets: each request's change lines read them too
    mine = policy.acting_assignment(user, task)
    requests = task.requests.all()
    targets = list(task.targets.all())
    can = {"edit": policy.can_edit_task(user, task), "assign": policy.can_assign(user, task),
           "sign": bool(mine and policy.can_sign(user, mine)), "report": policy.can_report(user, task),
           "request": policy.can_request(user, task), "urge": policy.can_urge(user, task),
           "comment": policy.can_comment(user, task), "milestone": policy.can_assign(user, task),
           "review": policy.is_office(user) and any(r.status == Request.Status.PENDING for r in requests)}
    return {
        "task": task, "lights": TaskLights(task), "labels": LABELS,
        "assignments": task.assignments.all(), "requests": requests, "targets": targets, "mine": mine, "can": can,
        "reports": task.reports.all(),
        "audit": task.audit.select_related("actor__org")[:100], "comments": task.comments.select_related("author"),
        "milestones": task.milestones.all(),
        "edit_form": can["edit"] and TaskEditForm(initial={
            "version": task.version, "title": task.title, "section": task.section, "content": task.content,
            "due_date": task.due_date}),
        "assign_form": AssignForm(initial={"version": task.version}), "milestone_form": MilestoneForm(),
        # one unit list for every row's 转办 box (no ids: the same markup serves each row)
        "transfer_select": can["assign"] and TransferForm(auto_id=False)["org"].as_widget(),
        "comparators": Target.Comparator.choices,
        "report_form": can["report"] and ReportForm(targets=targets),
        "request_form": RequestForm(targets=targets), "review_form": ReviewForm(), "text_form": TextForm(),
    }


@action
def task_edit(request, pk):
    task = _task(request, pk)
    form = TaskEditForm(request.POST)
    if not form.is_valid():
        raise Invalid(_("表单有误：%(errors)s") % {"errors": _form_errors(form)})
    data = dict(form.cleaned_data)
    kept = data["due_date"] is None and task.due_date is not None
    if kept:  # a blank date box keeps the date (a browser that could not show it sends it blank), and says so
        del data["due_date"]
    moved = not kept and data["due_date"] != task.due_date
    services.edit_task(request.user, task, data, data["version"])
    messages.success(request, _("已保存"))
    if kept:
        messages.warning(request, _("完成时限未填写，已保留原时限 %(date)s") % {"date": task.due_date.isoformat()})
    if moved:  # a new date already past is saved, as for assignments and milestones, with a word
        _warn_past(request, _("完成时限"), data["due_date"])
    return redirect(request.POST.get("next") or task_url(task))


def task_url(task: Task) -> str:
    from django.urls import reverse

    if task.status == Task.Status.DRAFT:
        return reverse("ledger:plan", args=[task.plan_id]) + f"#task-{task.pk}"
    return reverse("ledger:task", args=[task.pk])


@action
def task_split(request, pk):
    task = _task(request, pk)
    try:
        at = int(request.POST.get("at", ""))
    except ValueError:
        raise Invalid(_("请给出拆分位置")) from None
    services.split_task(request.user, task, at)
    return redirect(task_url(task))


@action
def task_merge(request, pk):
    task = _task(request, pk)
    services.merge_with_next(request.user, task)
    return redirect(task_url(task))


@action
def target_save(request, pk, target_id=None):
    task = _task(request, pk)
    target = get_object_or_404(Target, pk=target_id, task=task) if target_id else None
    form = TargetForm(request.POST, instance=target)
    if not form.is_valid():
        raise Invalid(_("目标有误：%(errors)s") % {"errors": _form_errors(form)})
    fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
    services.save_target(request.user, task, target, fields)
    messages.success(request, _("目标已保存"))
    return redirect(task_url(task))


@action
def target_delete(request, pk, target_id):
    task = _task(request, pk)
    services.delete_target(request.user, task, get_object_or_404(Target, pk=target_id, task=task))
    messages.success(request, _("目标已删除"))
    return redirect(task_url(task))


@action
def task_assign(request, pk):
    task = _task(request, pk)
    form = AssignForm(request.POST)
    if not form.is_valid():
        raise Invalid(_("请选择单位和角色"))
    assignment = services.assign(request.user, task, form.cleaned_data["org"], form.cleaned_data["role"],
                                 form.cleaned_data["due_date"], form.cleaned_data["version"])
    messages.success(request, _("已交办"))
    _warn_past(request, _("交办时限"), assignment.due_date)
    warn_if_no_account(request, form.cleaned_data["org"])
    return redirect(task_url(task))


def warn_if_no_account(request, org) -> None:
    """An item given to a unit nobody can log in for can never be signed: say so while the office is here."""
    if not services.unit_accounts(org).exists():
        messages.warning(request, _("“%(org)s”还没有可登录的用户账号，无人能签收和报送：请管理员为该单位开设账号。")
                         % {"org": org.name})


def _assignment(request, pk) -> Assignment:
    assignment = get_object_or_404(Assignment.objects.select_related("task", "org"), pk=pk)
    _task(request, assignment.task_id)
    return assignment


@action
def assignment_withdraw(request, pk):
    assignment = _assignment(request, pk)
    services.withdraw_assignment(request.user, assignment)
    messages.success(request, _("已撤销交办：%(org)s") % {"org": assignment.org.name})
    return redirect(task_url(assignment.task))


@action
def assignment_transfer(request, pk):
    assignment = _assignment(request, pk)
    form = TransferForm(request.POST)
    if not form.is_valid():
        raise Invalid(_("请选择转办的单位"))
    services.transfer_assignment(request.user, assignment, form.cleaned_data["org"])
    messages.success(request, _("已转办给%(org)s") % {"org": form.cleaned_data["org"].name})
    return redirect(task_url(assignment.task))


@action
def assignment_sign(request, pk):
    assignment = get_object_or_404(Assignment.objects.select_related("task", "org"), pk=pk)
    _task(request, assignment.task_id)
    services.sign(request.user, assignment)
    messages.success(request, _("已签收"))
    return redirect(task_url(assignment.task))


@action
def task_report(request, pk):
    task = _task(request, pk)
    form = ReportForm(request.POST, request.FILES, targets=task.targets.all())
    if not form.is_valid():
        raise Invalid(_("进展表单有误：%(errors)s") % {"errors": _form_errors(form)})
    data = form.cleaned_data
    services.report(request.user, task, progress=data["progress"], next_steps=data["next_steps"],
                    problems=data["problems"], attachment=data["attachment"], values=form.target_values(),
                    period=data["period"])
    messages.success(request, _("进展已报送"))
    return redirect(task_url(task))


def _report(request, pk) -> ProgressReport:
    entry = get_object_or_404(ProgressReport.objects.select_related("task"), pk=pk)
    _task(request, entry.task_id)
    return entry


@action
def report_correct(request, pk):
    entry = _report(request, pk)
    form = ReportCorrectForm(request.POST, targets=entry.task.targets.all())
    if not form.is_valid():
        raise Invalid(_("进展表单有误：%(errors)s") % {"errors": _form_errors(form)})
    data = form.cleaned_data
    services.correct_report(request.user, entry, progress=data["progress"], next_steps=data["next_steps"],
                            problems=data["problems"], values=form.target_values(), period=data["period"])
    messages.success(request, _("进展已更正"))
    return redirect(task_url(entry.task))


@action
def report_withdraw(request, pk):
    entry = _report(request, pk)
    services.withdraw_report(request.user, entry)
    messages.success(request, _("进展已撤回"))
    return redirect(task_url(entry.task))


@action
def task_request(request, pk):
    task = _task(request, pk)
    form = RequestForm(request.POST, request.FILES, targets=task.targets.all())
    if not form.is_valid():
        raise Invalid(_("申请表单有误：%(errors)s") % {"errors": _form_errors(form)})
    data = form.cleaned_data
    services.file_request(request.user, task, data["kind"], data["reason"], new_due_date=data["new_due_date"],
                          new_content=data["new_content"], evidence=data["evidence"],
                          target_changes=form.target_changes())
    messages.success(request, _("申请已提交，等待督查室审核"))
    return redirect(task_url(task))


@action
def request_review(request, pk):
    item = get_object_or_404(Request.objects.select_related("task"), pk=pk)
    _task(request, item.task_id)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        raise Invalid(_("请选择同意或退回"))
    services.review(request.user, item, form.cleaned_data["decision"] == "approve", form.cleaned_data["note"])
    messages.success(request, _("审核完成"))
    return redirect(task_url(item.task))


@action
def milestone_add(request, pk):
    task = _task(request, pk)
    form = MilestoneForm(request.POST)
    if not form.is_valid():
        raise Invalid(_("节点须有名称和日期"))
    services.add_milestone(request.user, task, form.cleaned_data["title"], form.cleaned_data["due_date"])
    messages.success(request, _("节点已添加"))
    _warn_past(request, _("节点日期"), form.cleaned_data["due_date"])
    return redirect(task_url(task))


def _warn_past(request, what: str, date) -> None:
    warning = past_date_warning(what, date)
    if warning:
        messages.warning(request, warning)


@action
def task_urge(request, pk):
    task = _task(request, pk)
    sent = services.urge(request.user, task, request.POST.get("text", ""))
    messages.success(request, _("已催办，通知 %(count)d 人") % {"count": sent})
    return redirect(task_url(task))


@action
def task_comment(request, pk):
    task = _task(request, pk)
    services.comment(request.user, task, request.POST.get("text", ""))
    return redirect(task_url(task))


# --- settings --------------------------------------------------------------------------------

@login_required
def warning_settings(request):
    """The office sets how many days before a deadline an item turns yellow."""
    if not policy.can_set_warning(request.user):
        return _forbidden(request, _("只有督查室可以设置预警天数"))
    current = warn_days()
    form = WarningWindowForm(request.POST or None, initial={"days": current})
    if request.method == "POST":
        if form.is_valid():
            try:
                services.set_warning_days(request.user, form.cleaned_data["days"])
            except (Denied, Invalid) as error:
                messages.error(request, str(error))
            else:
                messages.success(request, _("预警天数已设为 %(days)d 天") % {"days": form.cleaned_data["days"]})
                return redirect("ledger:warning")
        else:
            messages.error(request, _("预警天数未保存：%(errors)s") % {"errors": _form_errors(form)})
    history = AuditEntry.objects.filter(action="warn-days").select_related("actor__org")[:10]
    return render(request, "ledger/warning.html", {"form": form, "current": current, "history": history,
                                                   "legend": ledger_filters.legend(current)})

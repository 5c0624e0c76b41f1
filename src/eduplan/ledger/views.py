"""Server-rendered pages. Each action view asks services.py, which asks policy.py; nothing decides here."""

from __future__ import annotations

import functools
import hashlib
import re
from functools import cached_property

from django.contrib import messages
from django.contrib.admin.models import LogEntry
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Max, Prefetch, Q
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import filters as ledger_filters
from . import policy, services
from .forms import (
    AssignForm,
    MilestoneForm,
    ReportForm,
    RequestForm,
    ReviewForm,
    TargetForm,
    TaskEditForm,
    TextForm,
    UploadForm,
)
from .lights import LABELS, TaskLights, light
from .models import Assignment, AuditEntry, Notice, Org, Plan, Request, Target, Task
from .plan_import import check_upload, import_plan
from .policy import Denied
from .services import Conflict, Invalid
from .xlsx import ImportReport, export_ledger, import_ledger


def todo_count_for(request) -> int:
    """The header's 待办 count (eduplan.followup), part of the cached frame's key."""
    from eduplan.followup.context import todo_count_for as count

    return count(request)


def unread_notices(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    counted = getattr(request, "unread_notices", None)  # a ledger page counted them with its version
    if counted is None:
        counted = Notice.objects.filter(recipient=user, read=False).count()
    return {"unread_notices": counted}


def _form_errors(form) -> str:
    return "；".join(f"{name}: {errors[0]}" for name, errors in form.errors.items())


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


# --- cached fragments ------------------------------------------------------------------------

def _newest(model, moment: str, where: str = "") -> list[str]:
    """The id and time of a table's newest row (of those `where` picks), as two subqueries."""
    table, pk = connection.ops.quote_name(model._meta.db_table), connection.ops.quote_name("id")
    return [f"(SELECT {column} FROM {table}{where} ORDER BY {pk} DESC LIMIT 1)"
            for column in (pk, connection.ops.quote_name(moment))]


def _newest_entries() -> list[str]:
    return _newest(AuditEntry, "at") + _newest(LogEntry, "action_time")


def _task_entries(task_pk: int) -> tuple[list[str], list]:
    """Whether the task exists, the newest audit entry of the task and of its plan as a whole (publishing:
    entries about a task name its plan too), the newest admin edit: every write its page shows."""
    quote = connection.ops.quote_name
    task, pk = quote(Task._meta.db_table), quote("id")
    of_task = quote(AuditEntry._meta.get_field("task").column)
    of_plan, plan = quote(AuditEntry._meta.get_field("plan").column), quote(Task._meta.get_field("plan").column)
    entries = [f"(SELECT {pk} FROM {task} WHERE {pk} = %s)", *_newest(AuditEntry, "at", f" WHERE {of_task} = %s"),
               *_newest(AuditEntry, "at", f" WHERE {of_plan} = (SELECT {plan} FROM {task} WHERE {pk} = %s) "
                                          f"AND {of_task} IS NULL"),
               *_newest(LogEntry, "action_time")]
    return entries, [task_pk] * sum(entry.count("%s") for entry in entries)


def _unit_entries(unit_pk: int) -> tuple[list[str], list]:
    """The newest audit entry of the tasks assigned to a unit, the newest plan-wide entry (publishing), the
    newest admin edit: every write a unit's list shows. Each assigned task's newest entry is one index
    lookup (audit_newest_of_task), however long its trail."""
    quote = connection.ops.quote_name
    audit, pk = quote(AuditEntry._meta.db_table), quote("id")
    of_task = quote(AuditEntry._meta.get_field("task").column)
    assignment, task = quote(Assignment._meta.db_table), quote(Assignment._meta.get_field("task").column)
    org = quote(Assignment._meta.get_field("org").column)
    newest = [f"(SELECT MAX((SELECT a.{column} FROM {audit} a WHERE a.{of_task} = s.{task} ORDER BY a.{pk} DESC "
              f"LIMIT 1)) FROM {assignment} s WHERE s.{org} = %s)" for column in (pk, quote("at"))]
    plan_wide = [f"(SELECT MAX({column}) FROM {audit} WHERE {of_task} IS NULL)" for column in (pk, quote("at"))]
    return [*newest, *plan_wide, *_newest(LogEntry, "action_time")], [unit_pk] * len(newest)


def ledger_version() -> str:
    """Changes with every write the ledger pages show. Each write through services.py adds an audit entry,
    each admin edit (units, users) an admin log entry, and neither table is ever updated or deleted from:
    the newest entry of each moves on every change. Any other writer must add an audit entry too.
    The entry's time rides along with its id: a rolled-back transaction (SQLite) or a restored database can
    hand out an id again, never with the same microsecond. One round trip, primary-key lookups only."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(_newest_entries()))
        return "|".join(str(value) for value in cursor.fetchone())


def _version_and_unread(user, entries: list[str], params: list) -> tuple[list, int]:
    """Newest entries and the user's unread notices (every page's header) in the same round trip."""
    quote, notice = connection.ops.quote_name, Notice._meta
    unread = (f"(SELECT COUNT(*) FROM {quote(notice.db_table)} WHERE {quote(notice.get_field('recipient').column)}"
              f" = %s AND {quote(notice.get_field('read').column)} = %s)")
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join([*entries, unread]), [*params, user.pk, False])
        *newest, count = cursor.fetchone()
    return newest, count


def fragment_stamp(request, task_pk: int | None = None, unit_pk: int | None = None) -> str | None:
    """The key part shared by a page's cached fragments: the version of what the page shows, read before
    any data it guards (so a fragment is never older than its key), who may see what, and today (the
    lights). A task's page shows only its task, its plan and the units; a unit's list only the unit's tasks:
    a write elsewhere leaves them cached. None when the task does not exist (merged away): its page is then
    never served from a cache."""
    if task_pk is not None:
        entries, params = _task_entries(task_pk)
    elif unit_pk is not None:
        entries, params = _unit_entries(unit_pk)
    else:
        entries, params = _newest_entries(), []
    newest, request.unread_notices = _version_and_unread(request.user, entries, params)
    if task_pk is not None and newest[0] is None:
        return None
    version = "|".join(str(value) for value in newest)
    request.ledger_stamp = f"{version}:{policy.visibility_key(request.user)}:{timezone.localdate().isoformat()}"
    return request.ledger_stamp


def _slot(name: str) -> str:
    """A marker in cached text that a response replaces. The processes sharing the cache (eduplan serve's
    workers) must agree on it, and nobody may write it into the ledger: derived from the secret key."""
    return f"{name}-slot-{salted_hmac('eduplan.ledger.views', name).hexdigest()[:32]}"


# A cached body holds this in place of every csrf token; each response puts its own user's token back.
_CSRF_SLOT = _slot("csrf")
_CSRF_INPUT = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]*(")')


def _page_key(request, stamp: str, body_template: str) -> str:
    """Who sees the same body: the same ledger version, visibility scope and day (the stamp), the same rights
    (role and unit decide every `can` and form on a page), the statistics the targets are judged on, the
    language, and the same path and query."""
    from eduplan.monitoring import statistics

    user = request.user
    parts = (body_template, stamp, user.role, str(user.org_id), str(statistics.version()), get_language(),
             request.get_full_path())
    return "page:" + hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def cached_page(request, page_template: str, body_template: str, context_for, task_pk: int | None = None,
                unit_pk: int | None = None) -> HttpResponse:
    """A page whose body (everything but the header) is rendered once per _page_key and shared; the header,
    the messages and the csrf tokens are the user's own on every response. context_for(stamp) gives the
    body's context and may raise Http404, which is then never cached; a cached body skips it, which is safe
    because the key holds everything that decides the answer (the scope, the version). A task's page gives
    its task_pk, a unit's list its unit_pk: the key then moves with their writes only (fragment_stamp)."""
    stamp = fragment_stamp(request, task_pk, unit_pk)
    if stamp is None:  # no such task (merged away): never from a cache, and context_for answers 404
        return _framed(request, page_template, _body(request, body_template, context_for(fragment_stamp(request))))
    key = _page_key(request, stamp, body_template)
    body = cache.get(key)
    if body is None:
        body = _body(request, body_template, context_for(stamp))
        cache.set(key, body, 600)
    return _framed(request, page_template, body)


def _body(request, template: str, context: dict) -> str:
    """The template rendered for the cache: each csrf token replaced by the slot a response fills."""
    return _CSRF_INPUT.sub(rf"\g<1>{_CSRF_SLOT}\g<2>", render_to_string(template, context, request))


_BODY_SLOT, _PATH_SLOT = _slot("body"), _slot("path")


def _framed(request, page_template: str, body: str) -> HttpResponse:
    """The page around the body: its header is rendered once per everything it shows (the user's name, role
    and unit, the unread count, the language) and kept, with the path and csrf tokens put in per response.
    A page with messages to show is rendered whole: they are shown once."""
    user, token = request.user, get_token(request)
    if len(messages.get_messages(request)):
        return render(request, page_template, {"body": mark_safe(body.replace(_CSRF_SLOT, token))})
    shown = (page_template, str(user), user.get_role_display(), str(user.org or ""), get_language(),
             str(getattr(request, "unread_notices", "")), str(todo_count_for(request)))
    key = "frame:" + hashlib.sha256("\x1f".join(shown).encode()).hexdigest()
    frame = cache.get(key)
    if frame is None:
        frame = _body(request, page_template, {"body": mark_safe(_BODY_SLOT), "next_path": _PATH_SLOT})
        cache.set(key, frame, 600)
    before, after = frame.replace(_PATH_SLOT, escape(request.get_full_path())).split(_BODY_SLOT)
    return HttpResponse((before + body + after).replace(_CSRF_SLOT, token))


# A plan's parsed document and source text, large and read only by the draft page: a page listing items would
# otherwise decode the whole plan's JSON once per item row.
PLAN_BULK = ("plan__parse_json", "plan__source_text")


class LedgerRows:
    """The list's rows and light counts, worked out only when the cached fragment is missing. A long ledger
    shows PAGE_ROWS rows a page; the counts are over every row that passes the filters."""

    PAGE_ROWS = 50

    def __init__(self, tasks, colour: str, page: str):
        self.tasks, self.colour, self.number, self.today = tasks, colour, page, timezone.localdate()

    @cached_property
    def all_rows(self) -> list[tuple[Task, str]]:
        rows = [(task, light(task, self.today, task.latest_period)) for task in self.tasks]
        return [row for row in rows if row[1] == self.colour] if self.colour else rows

    @cached_property
    def page(self) -> Page:
        return Paginator(self.all_rows, self.PAGE_ROWS).get_page(self.number)

    @cached_property
    def counts(self) -> dict[str, int]:
        return {c: sum(1 for _, lit in self.all_rows if lit == c) for c in ("red", "yellow", "green", "grey")}


# --- ledger ----------------------------------------------------------------------------------

@login_required
def ledger_list(request):
    if request.headers.get("HX-Request") and request.GET.get("partial"):  # the filter form's rows only
        return render(request, "ledger/_rows.html", _list_context(request, fragment_stamp(request)))
    unit = policy.seen_unit(request.user)
    return cached_page(request, "ledger/list.html", "ledger/_list_body.html",
                       lambda stamp: _list_context(request, stamp), unit_pk=unit.pk if unit else None)


def _list_context(request, stamp: str) -> dict:
    tasks = (policy.visible_tasks(request.user).exclude(status=Task.Status.DRAFT)
             .select_related("plan").defer(*PLAN_BULK).prefetch_related("assignments__org")
             .annotate(latest_period=Max("reports__period"))
             .order_by("plan_id", "position", "id"))  # Meta.ordering is dropped from a GROUP BY query
    query, status, org_id, colour = (request.GET.get(k, "") for k in ("q", "status", "org", "light"))
    if query:
        tasks = tasks.filter(Q(title__icontains=query) | Q(content__icontains=query))
    if status:
        tasks = tasks.filter(status=status)
    if org_id.isdigit():
        tasks = tasks.filter(assignments__org_id=int(org_id))
    tasks = ledger_filters.apply(tasks, request.GET, request.user, timezone.localdate())  # plan, role, 签收, due…
    return {**ledger_filters.choices(request.user), "today": timezone.localdate(),
            "table": LedgerRows(tasks, colour, request.GET.get("page", "")), "stamp": stamp, "labels": LABELS,
            "statuses": Task.Status.choices, "orgs": Org.objects.filter(kind__in=["department", "district"]),
            "filters": request.GET, "can_import": policy.can_import_plan(request.user)}


@login_required
def export_xlsx(request):
    tasks = policy.visible_tasks(request.user).exclude(status=Task.Status.DRAFT)
    response = HttpResponse(export_ledger(tasks),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = "attachment; filename*=UTF-8''ledger.xlsx"
    return response


# --- uploads: the pages and the API (api.py) share permission, checks and messages ------------

def receive_ledger(user, upload) -> ImportReport:
    """A ledger .xlsx in: all rows as a draft plan, or none and a report of every bad row."""
    policy.require(policy.can_import_ledger(user), _("只有督查室可以导入台账"))
    data = check_upload(upload)
    return import_ledger(user, data, upload.name)


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
    return _("已读取 %(count)d 个事项，请核对后发布") % {"count": plan.tasks.count()}


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
                 .prefetch_related("targets"))
    quotes = [target.quote for task in tasks for target in task.targets.all()]
    source = plan.source_text if policy.can_see_sources(request.user) else ""
    editable = policy.can_edit_plan(request.user, plan)
    return render(request, "ledger/plan_draft.html", {
        "plan": plan, "tasks": tasks, "source_runs": _highlight(source, quotes), "editable": editable,
        "target_form": TargetForm(), "comparators": Target.Comparator.choices})


@action
def plan_publish(request, pk):
    plan = get_object_or_404(Plan, pk=pk)
    services.publish_plan(request.user, plan)
    messages.success(request, _("计划已发布，事项进入台账"))
    return redirect("ledger:list")


# --- tasks -----------------------------------------------------------------------------------

@login_required
def task_detail(request, pk):
    """The whole body is cached per rights (cached_page); on a miss its read-only parts still come from
    fragments shared by everyone of the scope (the template), and the querysets below are lazy, so a part
    served from a fragment never queries. Fragments holding a form (the user's rights) are never shared."""
    return cached_page(request, "ledger/task.html", "ledger/_task_body.html",
                       lambda stamp: _task_context(request, pk, stamp), task_pk=pk)


def _task_context(request, pk, stamp: str) -> dict:
    user = request.user
    units = Prefetch("assignments", queryset=Assignment.objects.select_related("org"))
    task = get_object_or_404(policy.visible_tasks(user).select_related("plan").defer(*PLAN_BULK)
                             .prefetch_related(units), pk=pk)
    mine = policy.acting_assignment(user, task)
    requests = task.requests.all()  # read only by the office (to review) or a missing fragment
    targets = task.targets.all()
    can = {"edit": policy.can_edit_task(user, task), "assign": policy.can_assign(user, task),
           "sign": bool(mine and policy.can_sign(user, mine)), "report": policy.can_report(user, task),
           "request": policy.can_request(user, task), "urge": policy.can_urge(user, task),
           "comment": policy.can_comment(user, task), "milestone": policy.can_assign(user, task),
           "review": policy.is_office(user) and any(r.status == Request.Status.PENDING for r in requests)}
    return {
        "task": task, "stamp": stamp, "lights": TaskLights(task), "labels": LABELS,
        "assignments": task.assignments.all(), "requests": requests, "targets": targets, "mine": mine, "can": can,
        "reports": task.reports.select_related("org", "author").prefetch_related("values__target"),
        "audit": task.audit.select_related("actor")[:100], "comments": task.comments.select_related("author"),
        "milestones": task.milestones.all(),
        "edit_form": can["edit"] and TaskEditForm(initial={
            "version": task.version, "title": task.title, "section": task.section, "content": task.content,
            "due_date": task.due_date}),
        "assign_form": AssignForm(), "milestone_form": MilestoneForm(),
        "report_form": can["report"] and ReportForm(targets=targets),
        "request_form": RequestForm(), "review_form": ReviewForm(), "text_form": TextForm(),
    }


@action
def task_edit(request, pk):
    task = _task(request, pk)
    form = TaskEditForm(request.POST)
    if not form.is_valid():
        raise Invalid(_("表单有误：%(errors)s") % {"errors": _form_errors(form)})
    data = form.cleaned_data
    services.edit_task(request.user, task, data, data["version"])
    messages.success(request, _("已保存"))
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
def task_assign(request, pk):
    task = _task(request, pk)
    form = AssignForm(request.POST)
    if not form.is_valid():
        raise Invalid(_("请选择单位和角色"))
    services.assign(request.user, task, form.cleaned_data["org"], form.cleaned_data["role"],
                    form.cleaned_data["due_date"])
    messages.success(request, _("已交办"))
    warn_if_no_account(request, form.cleaned_data["org"])
    return redirect(task_url(task))


def warn_if_no_account(request, org) -> None:
    """An item given to a unit nobody can log in for can never be signed: say so while the office is here."""
    if not services.unit_accounts(org).exists():
        messages.warning(request, _("“%(org)s”还没有可登录的用户账号，无人能签收和报送：请管理员为该单位开设账号。")
                         % {"org": org.name})


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
                    problems=data["problems"], attachment=data["attachment"], values=form.target_values())
    messages.success(request, _("进展已报送"))
    return redirect(task_url(task))


@action
def task_request(request, pk):
    task = _task(request, pk)
    form = RequestForm(request.POST, request.FILES)
    if not form.is_valid():
        raise Invalid(_("申请表单有误：%(errors)s") % {"errors": _form_errors(form)})
    data = form.cleaned_data
    services.file_request(request.user, task, data["kind"], data["reason"], new_due_date=data["new_due_date"],
                          new_content=data["new_content"], evidence=data["evidence"])
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
    return redirect(task_url(task))


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

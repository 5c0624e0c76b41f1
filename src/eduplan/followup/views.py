"""Pages of the weekly 督办 work. Changes go through eduplan.ledger.services (policy and audit trail)."""

from __future__ import annotations

from urllib.parse import quote

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from eduplan.ledger import policy, services
from eduplan.ledger.forms import AssignForm
from eduplan.ledger.models import Comment, Org, Plan, Task, User
from eduplan.ledger.scope import PlanScope, from_request
from eduplan.ledger.services import Conflict, Invalid
from eduplan.ledger.views import _forbidden, action, warn_if_no_account

from . import carryover, circular, instructions, scoring, sheets, todo
from .clock import today
from .models import ScoreWeights

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _my_sections(user):
    return todo.visible(todo.sections_for(user, today()), user)


@login_required
def todo_page(request):
    sections = _my_sections(request.user)
    return render(
        request,
        "followup/todo.html",
        {
            "sections": sections,
            "total": todo.action_count(sections),
            "today": today(),
            "is_school": request.user.role == User.Role.SCHOOL,
        },
    )


@login_required
def todo_panel(request):
    """The office's panel on the dashboard: the counts, each linked to its section of the to-do page."""
    sections = _my_sections(request.user)
    return render(request, "followup/_todo_panel.html", {"sections": sections})


@action
def answer_instruction(request, pk):
    comment = get_object_or_404(Comment.objects.select_related("task"), pk=pk)
    if not policy.can_view_task(request.user, comment.task):
        raise Http404
    instructions.answer(request.user, comment, request.POST.get("text", ""))
    messages.success(request, "已报告批示落实情况")
    return redirect(reverse("ledger:task", args=[comment.task_id]) + "#instructions")


# --- 督查通报 ------------------------------------------------------------------------------------


def _scope(request) -> PlanScope:
    """The plan (one: these pages count a plan's items) and year, from the picker every item page shares."""
    return from_request(request, today(), one_plan=True)


def _circular_or_none(request, scope: PlanScope | None = None):
    plan = (scope or _scope(request)).plan
    if plan is None:
        return None
    return circular.build(plan, circular.parse_month(request.GET.get("month"), today()), today())


def _may_read_circular(user) -> bool:
    return policy._role(user) in policy.READ_ALL


@login_required
def circular_page(request):
    if not _may_read_circular(request.user):
        return _forbidden(request, "督查通报由督查室和局领导查看")
    scope = _scope(request)
    found = _circular_or_none(request, scope)
    return render(
        request,
        "followup/circular.html",
        {
            "circular": found,
            "scope": scope,
            "query": _query(found),
            "overview": found and circular.overview(found),
            "issues": found and circular.issues(found),
            "percent": circular.percent,
        },
    )


def _query(found) -> str:
    return f"plan={found.plan.pk}&month={found.month:%Y-%m}" if found else ""


def _download(data: bytes, name: str, content_type: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response


@login_required
def circular_docx(request):
    found = _circular_or_none(request) if _may_read_circular(request.user) else None
    if found is None:
        return _forbidden(request, "督查通报由督查室和局领导查看，且须有已发布的计划")
    return _download(circular.to_docx(found), f"督查通报_{found.month:%Y-%m}.docx", DOCX)


@login_required
def circular_xlsx(request):
    found = _circular_or_none(request) if _may_read_circular(request.user) else None
    if found is None:
        return _forbidden(request, "督查通报由督查室和局领导查看，且须有已发布的计划")
    return _download(
        circular.to_xlsx(found),
        f"督查通报_{found.month:%Y-%m}.xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


@login_required
def unit_statistics(request, org_id):
    """The rows behind one unit's figures: the office and leaders for every unit, a unit for its own."""
    org = get_object_or_404(Org, pk=org_id)
    if not (_may_read_circular(request.user) or request.user.org_id == org.pk):
        return _forbidden(request, "只能查看本单位的统计")
    found = _circular_or_none(request)
    unit = next((u for u in found.units if u.org_id == org.pk), None) if found else None
    return render(
        request,
        "followup/unit.html",
        {"org": org, "circular": found, "unit": unit, "query": _query(found), "percent": circular.percent},
    )


# --- 督办单, 催办单 and several items at once ----------------------------------------------------


def _office_task(request, pk):
    task = get_object_or_404(Task.objects.select_related("plan").prefetch_related("assignments__org"), pk=pk)
    policy.require(policy.is_office(request.user), "督办单、催办单由督查室出具")
    return task


@login_required
def duban_docx(request, pk):
    try:
        task = _office_task(request, pk)
    except policy.Denied as error:
        return _forbidden(request, str(error))
    return _download(sheets.duban(task, today()), f"督办单_{task.pk}.docx", DOCX)


@login_required
def cuiban_docx(request, pk):
    try:
        task = _office_task(request, pk)
    except policy.Denied as error:
        return _forbidden(request, str(error))
    reason = request.GET.get("text", "")[:500]
    return _download(sheets.cuiban(task, today(), reason), f"催办单_{task.pk}.docx", DOCX)


@login_required
def bulk_page(request):
    """Several items at once: assign them to one unit, or urge them all. Each item goes through the same
    service as on its own page; an item that cannot take the action is named, the others go ahead."""
    if not policy.is_office(request.user):
        return _forbidden(request, "批量交办和催办由督查室办理")
    if request.method == "POST":
        return _bulk_action(request)
    scope = _scope(request)
    plan = scope.plan
    tasks = (
        Task.objects.filter(plan=plan, status__in=todo.OPEN)
        .prefetch_related("assignments__org")
        .order_by("position", "id")
        if plan
        else Task.objects.none()
    )
    return render(
        request,
        "followup/bulk.html",
        {
            "scope": scope,
            "plan": plan,
            "tasks": tasks,
            "form": AssignForm(),
            "orgs": Org.objects.filter(kind__in=[Org.Kind.DEPARTMENT, Org.Kind.DISTRICT]),
        },
    )


def _bulk_action(request):
    ids = [int(value) for value in request.POST.getlist("task") if value.isdigit()]
    tasks = list(Task.objects.filter(pk__in=ids).select_related("plan").order_by("plan_id", "position"))
    back = request.POST.get("next") or reverse("followup:bulk")
    if not tasks:
        messages.error(request, "请先勾选事项")
        return redirect(back)
    if request.POST.get("action") == "urge":
        done, failed = _each(
            tasks, lambda task: services.urge(request.user, task, request.POST.get("text", ""))
        )
        verb = "催办"
    else:
        form = AssignForm(request.POST)
        if not form.is_valid():
            messages.error(request, "请选择承办单位和角色；完成时限须为有效日期（可空）")
            return redirect(back)
        data = form.cleaned_data
        done, failed = _each(
            tasks,
            lambda task: services.assign(request.user, task, data["org"], data["role"], data["due_date"]),
        )
        verb = "交办"
        if done:
            warn_if_no_account(request, data["org"])
    if done:
        messages.success(request, f"已{verb} {len(done)} 项：" + "、".join(task.title for task in done))
    for task, reason in failed:
        messages.error(request, f"“{task.title}”未能{verb}：{reason}")
    return redirect(back)


def _each(tasks, act):
    done, failed = [], []
    for task in tasks:
        try:
            act(task)
        except (policy.Denied, Invalid, Conflict) as error:
            failed.append((task, str(error)))
        else:
            done.append(task)
    return done, failed


# --- the year carried over ---------------------------------------------------------------------


@login_required
def carry_page(request, pk):
    if not policy.is_office(request.user):
        return _forbidden(request, "只有督查室可以结转事项")
    plan = get_object_or_404(Plan, pk=pk)
    if request.method == "POST":
        ids = [int(value) for value in request.POST.getlist("task") if value.isdigit()]
        olds = list(Task.objects.filter(pk__in=ids).order_by("plan_id", "position"))
        if not olds:
            messages.error(request, "请先勾选要结转的事项")
        else:
            carried, failed = carryover.carry_many(request.user, plan, olds)
            if carried:
                messages.success(request, f"已结转 {len(carried)} 项到“{plan.title}”")
            for _old, reason in failed:
                messages.error(request, reason)
        return redirect("followup:carry", plan.pk)
    return render(
        request,
        "followup/carry.html",
        {
            "plan": plan,
            "candidates": carryover.candidates(plan),
            "carried": plan.tasks.filter(carried_from__isnull=False).select_related(
                "carried_from__old_task__plan"
            ),
        },
    )


# --- 考核 ------------------------------------------------------------------------------------------


class WeightsForm(forms.ModelForm):
    class Meta:
        model = ScoreWeights
        fields = scoring.WEIGHT_FIELDS
        labels = {
            "base": "基础分",
            "on_time_reports": "按时报送（满分）",
            "closed_on_time": "按时办结（满分）",
            "per_extension": "每次延期扣分",
            "per_overdue_day": "每逾期一天扣分",
        }

    def clean(self):
        data = super().clean()
        for name in scoring.WEIGHT_FIELDS:
            value = data.get(name)
            if value is not None and not 0 <= value <= 100:
                self.add_error(name, "须在 0 到 100 之间")
        return data


@login_required
def scores_page(request):
    if not _may_read_circular(request.user):
        return _forbidden(request, "考核得分由督查室和局领导查看")
    form = WeightsForm(instance=scoring.weights())
    if request.method == "POST":
        if not policy.is_office(request.user):
            return _forbidden(request, "只有督查室可以设置考核权重")
        form = WeightsForm(request.POST)
        if form.is_valid():
            saved = form.save(commit=False)
            saved.pk, saved.set_by = None, request.user
            saved.save()
            messages.success(request, "考核权重已保存")
            return redirect(request.get_full_path())
        messages.error(
            request,
            "考核权重有误，未保存："
            + "；".join(
                f"{form.fields[name].label}{errors[0]}"
                for name, errors in form.errors.items()
                if name in form.fields
            ),
        )
    scope = _scope(request)
    plan = scope.plan
    scores = scoring.build(plan, today(), scoring.weights()) if plan else []
    return render(
        request,
        "followup/scores.html",
        {
            "form": form,
            "scope": scope,
            "plan": plan,
            "scores": scores,
            "today": today(),
            "can_set": policy.is_office(request.user),
        },
    )


@login_required
def scores_xlsx(request):
    plan = _scope(request).plan if _may_read_circular(request.user) else None
    if plan is None:
        return _forbidden(request, "考核得分由督查室和局领导查看，且须有已发布的计划")
    weight = scoring.weights()
    data = scoring.to_xlsx(plan, scoring.build(plan, today(), weight), weight, today())
    return _download(
        data,
        f"考核得分_{plan.year or plan.pk}.xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )

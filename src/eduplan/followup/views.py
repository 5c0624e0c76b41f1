"""Pages of the weekly 督办 work. Changes go through eduplan.ledger.services (policy and audit trail)."""

from __future__ import annotations

from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from eduplan.ledger import policy
from eduplan.ledger.models import Comment, Org, Plan, User
from eduplan.ledger.views import _forbidden, action

from . import circular, instructions, todo
from .clock import today


def _my_sections(user):
    return todo.visible(todo.sections_for(user, today()), user)


@login_required
def todo_page(request):
    sections = _my_sections(request.user)
    return render(request, "followup/todo.html", {
        "sections": sections, "total": todo.action_count(sections), "today": today(),
        "is_school": request.user.role == User.Role.SCHOOL})


@login_required
def todo_badge(request):
    """The nav's count, loaded by htmx after the page: the page's own header may come from a cache."""
    count = todo.action_count(_my_sections(request.user))
    return HttpResponse(f"({count})" if count else "")


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

def _published_plans():
    return Plan.objects.filter(status=Plan.Status.PUBLISHED).order_by("-year", "-published_at", "-id")


def _chosen_plan(request) -> Plan | None:
    plans = _published_plans()
    chosen = request.GET.get("plan", "")
    if chosen.isdigit():
        return plans.filter(pk=int(chosen)).first() or plans.first()
    return plans.first()


def _circular_or_none(request):
    plan = _chosen_plan(request)
    if plan is None:
        return None
    return circular.build(plan, circular.parse_month(request.GET.get("month"), today()), today())


def _may_read_circular(user) -> bool:
    return policy._role(user) in policy.READ_ALL


@login_required
def circular_page(request):
    if not _may_read_circular(request.user):
        return _forbidden(request, "督查通报由督查室和局领导查看")
    found = _circular_or_none(request)
    return render(request, "followup/circular.html", {
        "circular": found, "plans": _published_plans(), "query": _query(found),
        "overview": found and circular.overview(found), "issues": found and circular.issues(found),
        "percent": circular.percent})


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
    return _download(circular.to_docx(found), f"督查通报_{found.month:%Y-%m}.docx",
                     "application/vnd.openxmlformats-officedocument.wordprocessingml.document")


@login_required
def circular_xlsx(request):
    found = _circular_or_none(request) if _may_read_circular(request.user) else None
    if found is None:
        return _forbidden(request, "督查通报由督查室和局领导查看，且须有已发布的计划")
    return _download(circular.to_xlsx(found), f"督查通报_{found.month:%Y-%m}.xlsx",
                     "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


@login_required
def unit_statistics(request, org_id):
    """The rows behind one unit's figures: the office and leaders for every unit, a unit for its own."""
    org = get_object_or_404(Org, pk=org_id)
    if not (_may_read_circular(request.user) or request.user.org_id == org.pk):
        return _forbidden(request, "只能查看本单位的统计")
    found = _circular_or_none(request)
    unit = next((u for u in found.units if u.org_id == org.pk), None) if found else None
    return render(request, "followup/unit.html", {"org": org, "circular": found, "unit": unit,
                                                  "query": _query(found), "percent": circular.percent})

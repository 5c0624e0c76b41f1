"""Pages of the weekly 督办 work. Changes go through eduplan.ledger.services (policy and audit trail)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from eduplan.ledger import policy
from eduplan.ledger.models import Comment, User
from eduplan.ledger.views import action

from . import instructions, todo
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

"""The item page's additions: the 批示 with their answers (and the answer form for the lead unit), the
evidence list, the 督办单/催办单 buttons. One tag each, so the ledger's template gains one line apiece."""

from __future__ import annotations

from django import template

from eduplan.ledger import policy
from eduplan.ledger.models import Comment, User

from ..instructions import can_answer

register = template.Library()


@register.inclusion_tag("followup/_instructions.html", takes_context=True)
def instruction_answers(context, task):
    user = context["request"].user
    comments = (
        Comment.objects.filter(task=task, author__role=User.Role.LEADER)
        .select_related("author")
        .prefetch_related("answers__org", "answers__author")
    )
    rows = [
        {"comment": c, "answers": list(c.answers.all()), "can_answer": can_answer(user, c)} for c in comments
    ]
    return {
        "rows": rows,
        "task": task,
        "request": context["request"],
        "csrf_token": context.get("csrf_token"),
        "is_office": policy.is_office(user),
    }


@register.inclusion_tag("followup/_sheet_links.html", takes_context=True)
def sheet_links(context, task):
    """督办单 and 催办单 for the office, on an open item."""
    return {"task": task, "show": policy.is_office(context["request"].user) and task.is_open}


@register.inclusion_tag("followup/_carry_note.html")
def carry_note(task):
    """Where a carried item came from, or went: both ends keep their history and link to each other."""
    from django.db.models import Q

    from ..models import CarryOver

    links = list(
        CarryOver.objects.filter(Q(new_task=task) | Q(old_task=task)).select_related(
            "old_task__plan", "new_task__plan"
        )
    )  # one query for both directions
    came_from = next((link.old_task for link in links if link.new_task_id == task.pk), None)
    went_to = next((link.new_task for link in links if link.old_task_id == task.pk), None)
    return {"came_from": came_from, "went_to": went_to}


@register.inclusion_tag("followup/_evidence.html")
def evidence_list(task):
    """Every file put on the item: report attachments and the evidence of requests (办结 above all), newest
    first, so whoever reviews sees them all in one place."""
    from django.urls import reverse

    files = [
        (r.created_at, "进展报送", f"{r.period:%Y-%m}", r.org.name, ("report", r.pk), r.attachment_name)
        for r in task.reports.all()  # the item page prefetched them: no query
        if r.attachment
    ]
    files += [
        (
            q.requested_at,
            f"{q.get_kind_display()}申请",
            q.get_status_display(),
            str(q.requested_by.org if q.requested_by else ""),
            ("request", q.pk),
            q.evidence_name,
        )
        for q in task.requests.all()
        if q.evidence
    ]
    # each file through the checked download view (ledger.evidence_views), under the name it was uploaded with
    rows = [
        {"at": at, "kind": kind, "detail": detail, "unit": unit, "url": reverse("ledger:evidence", args=key),
         "name": name or "佐证材料"}
        for at, kind, detail, unit, key, name in sorted(files, key=lambda f: f[0], reverse=True)
    ]
    return {"rows": rows}

"""Pages: a plan's documents to download (工作总结, 月报, the ledger .xlsx) and two plans compared.

Who may download: 局领导, 督查室 and the administrator, the roles that read the whole ledger.
A 科室, 区县 or 学校 sees only its own items, so a summary of the whole plan is not theirs; their
plan page offers the ledger .xlsx, which holds their own items only. Anyone logged in may
compare two uploaded files; picking plans from the ledger is for the roles that read it all.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import replace

from django.contrib.auth.decorators import login_required
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from eduplan.ledger import logins, policy
from eduplan.ledger.models import Plan, ProgressReport
from eduplan.ledger.plan_import import check_upload, reader_message, too_large
from eduplan.ledger.scope import PARAMS as PICKER_PARAMS
from eduplan.ledger.scope import PlanScope, offered_plans
from eduplan.ledger.scope import from_request as _scope_from_request
from eduplan.ledger.services import Invalid
from eduplan.limits import TooLarge
from eduplan.monitoring.display import VERDICT_WORDS

from .from_ledger import month_problem, monthly_from_ledger, plan_document, summary_as_of, summary_from_ledger
from .monthly import write_monthly
from .summary import JUDGEMENTS, problems_of, write_summary

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
JUDGEMENT_WORDS = VERDICT_WORDS  # one vocabulary with the dashboard and the item pages
CHANGE_WORDS = {"tightened": gettext_lazy("收紧"), "loosened": gettext_lazy("放宽"), "new": gettext_lazy("新增"),
                "dropped": gettext_lazy("删去"), "unchanged": gettext_lazy("不变")}


def scope_of(request) -> PlanScope:
    return _scope_from_request(request, timezone.localdate())


def _plan_scope(request, plan: Plan) -> PlanScope:
    """The picker on a plan's page: that plan chosen; another picked goes through the index to its page."""
    return PlanScope(offered_plans(request.user), plan, plan.year, one_plan=True)


def can_download(user) -> bool:
    return policy.can_see_sources(user)  # the roles that read the whole ledger


def _forbidden(request, message: str):
    return render(request, "ledger/forbidden.html", {"message": message}, status=403)


@login_required
def index(request):
    """The plans of the chosen year; a plan picked goes to its page (its summary and monthly reports)."""
    scope = scope_of(request)
    if request.GET.get("plan") and scope.plan is not None:
        return redirect(reverse("reports:plan", args=[scope.plan.pk]) + "?" + scope.query)
    if not any(name in request.GET for name in PICKER_PARAMS):
        scope = replace(scope, plan=None)  # the year's plans listed, none picked yet
    plans = policy.current_plans(request.user)
    if scope.year is not None:
        plans = plans.filter(year=scope.year)
    return render(request, "reports/index.html", {
        "plans": plans, "can_download": can_download(request.user), "scope": scope,
        "can_import": policy.can_import_plan(request.user)})


@login_required
def plan_page(request, pk):
    plan = get_object_or_404(policy.visible_plans(request.user), pk=pk)
    context = {"plan": plan, "can_download": can_download(request.user), "month": _default_month(plan),
               "scope": _plan_scope(request, plan)}
    if context["can_download"]:
        summary = summary_from_ledger(plan)
        counts = {key: 0 for key in JUDGEMENTS}
        for result in summary.targets():
            counts[result.judgement] += 1
        context.update(
            tasks=sum(len(section.tasks) for section in summary.sections),
            reported=sum(1 for section in summary.sections for task in section.tasks if task.done),
            has_reports=ProgressReport.objects.filter(task__plan=plan).exists(),
            judgements=[(JUDGEMENT_WORDS[key], key, counts[key]) for key in JUDGEMENTS], targets=sum(counts.values()),
            problems=problems_of(summary), as_of=summary_as_of(plan))
    return render(request, "reports/plan.html", context)


def _default_month(plan: Plan) -> str:
    """Last month while the plan's year runs (the month units have just reported on)."""
    today = timezone.localdate()
    last = (today.replace(day=1) - dt.timedelta(days=1))
    if plan.year and last.year != plan.year:
        last = dt.date(plan.year, 12 if plan.year < today.year else 1, 1)
    return f"{last.year}-{last.month:02d}"


@login_required
def summary_docx(request, pk):
    plan = get_object_or_404(policy.visible_plans(request.user), pk=pk)
    if not can_download(request.user):
        return _forbidden(request, _("工作总结涵盖全部任务，只有局领导和督查室可以下载；本单位事项请导出台账。"))
    summary = summary_from_ledger(plan)
    logins.record("export", request, request.user, detail=f"summary.docx plan {plan.pk}")
    return _download(lambda out: write_summary(summary, out), f"{summary.title}.docx")


@login_required
def monthly_docx(request, pk):
    plan = get_object_or_404(policy.visible_plans(request.user), pk=pk)
    if not can_download(request.user):
        return _forbidden(request, _("月报涵盖全部任务，只有局领导和督查室可以下载；本单位事项请导出台账。"))
    month = _month(request.GET.get("month", ""))
    problem = _("请按“年-月”选择月份，例如 2024-03。") if month is None else month_problem(plan, *month)
    if problem:
        return render(request, "reports/plan.html", {
            "plan": plan, "can_download": True, "month": _default_month(plan), "error": problem,
            "scope": _plan_scope(request, plan)}, status=400)
    report = monthly_from_ledger(plan, *month)
    logins.record("export", request, request.user, detail=f"monthly.docx plan {plan.pk} {month[0]}-{month[1]:02d}")
    return _download(lambda out: write_monthly(report, out), f"{report.title}.docx")


def _month(text: str) -> tuple[int, int] | None:
    match = re.fullmatch(r"(\d{4})-(\d{1,2})", text.strip())
    if not match or not 1 <= int(match.group(2)) <= 12 or not 2000 <= int(match.group(1)) <= 2100:
        return None
    return int(match.group(1)), int(match.group(2))


def _download(write, filename: str) -> FileResponse:
    buffer = io.BytesIO()
    write(buffer)
    buffer.seek(0)
    return FileResponse(buffer, as_attachment=True, filename=filename, content_type=DOCX)


# --- comparison ------------------------------------------------------------------------------

@login_required
@require_http_methods(["GET", "POST"])
def compare_page(request):
    from eduplan.insight.compare import compare

    plans = list(policy.current_plans(request.user)) if can_download(request.user) else []
    context = {"plans": plans, "error": "", "comparison": None}
    try:
        documents = _uploaded_pair(request) if request.method == "POST" else _ledger_pair(request, plans)
    except Invalid as error:
        context["error"] = str(error)
        return render(request, "reports/compare.html", context, status=400)
    if documents:
        context["comparison"] = _shown(compare(*documents))
    return render(request, "reports/compare.html", context)


def _ledger_pair(request, plans: list[Plan]):
    a, b = request.GET.get("a", ""), request.GET.get("b", "")
    if not a and not b:
        return None
    chosen = {str(plan.pk): plan for plan in plans}
    if a not in chosen or b not in chosen:
        raise Invalid(_("请从列表中选择两个计划"))
    if a == b:
        raise Invalid(_("请选择两个不同的计划"))
    return plan_document(chosen[a]), plan_document(chosen[b])


def _uploaded_pair(request):
    from eduplan.reader import ReaderError, read

    documents = []
    for field in ("file_a", "file_b"):
        upload = request.FILES.get(field)
        if upload is None:
            raise Invalid(_("请上传两个文件：较早的一份和较新的一份"))
        try:
            parsed = read(check_upload(upload), name=upload.name)
        except TooLarge as error:
            raise Invalid(too_large(upload.name, error)) from None
        except ReaderError as error:
            raise Invalid(reader_message(error, upload.name)) from None
        document = next((d for d in parsed.documents if d.items), None)
        if document is None:
            raise Invalid(_("%(name)s：未识别出编号结构（一、（一）、1.），无法对照") % {"name": upload.name})
        documents.append(document)
    return documents


CHANGE_ORDER = ("tightened", "loosened", "new", "dropped", "unchanged")


def _shown(comparison) -> dict:
    """The comparison as the page lays it out: task rows, then target rows grouped by change."""
    from eduplan.insight.cli import figure_text

    words = CHANGE_WORDS
    tasks = ([(pair.a, pair.b, f"{pair.score:.2f}") for pair in comparison.pairs]
             + [(title, "", "") for title in comparison.only_a] + [("", title, "") for title in comparison.only_b])
    targets = [(kind, words[kind], figure_text(change.a), figure_text(change.b))
               for kind in CHANGE_ORDER for change in comparison.changes(kind)]
    counts = [(words[kind], len(comparison.changes(kind))) for kind in CHANGE_ORDER]
    return {"a_title": comparison.a_title, "b_title": comparison.b_title, "tasks": tasks, "targets": targets,
            "counts": counts, "matched": len(comparison.pairs)}

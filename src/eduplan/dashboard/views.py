"""The dashboard page, its drill-down lists, and where a user lands after logging in."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from eduplan.ledger import policy
from eduplan.ledger.lights import LABELS, row_light, with_light_facts
from eduplan.ledger.models import Org, Plan, Task, User
from eduplan.ledger.scope import PARAMS as PICKER_PARAMS
from eduplan.ledger.scope import PlanScope, from_request

from . import districts, figures

DASHBOARD_FIRST = (User.Role.LEADER, User.Role.OFFICE)


@login_required
def landing(request):
    """Leaders and the supervision office start on the dashboard (the issue's "home page for leaders and the
    office"); everyone else keeps the ledger list they work in."""
    if request.user.role in DASHBOARD_FIRST:
        return redirect("dashboard:home")
    units = (User.Role.DEPARTMENT, User.Role.DISTRICT, User.Role.SCHOOL)
    return redirect("followup:todo" if request.user.role in units else "ledger:list")  # units: 我的待办


def items_url(scope: PlanScope, **params) -> str:
    """A drill-down of the plan and year the dashboard shows."""
    return reverse("dashboard:items") + "?" + urlencode({**params, **scope.params})


def ledger_url(scope: PlanScope, **params) -> str:
    return reverse("ledger:list") + "?" + urlencode({**params, **scope.params})


def _monitoring_url(name: str, *args) -> str:
    """A page of the indicator pages (monitoring app), or its agreed path where they are not installed."""
    try:
        return reverse(f"monitoring:{name}", args=args)
    except NoReverseMatch:
        return "/indicators/" + "".join(f"{arg}/" for arg in args)


def indicator_url(indicator_id: str, year: int) -> str:
    """The indicator's page, with the districts side by side."""
    return f"{_monitoring_url('indicator', indicator_id)}?{urlencode({'year': year})}"


@login_required
def home(request):
    user, today = request.user, timezone.localdate()
    scope = from_request(request, today)
    tasks = scope.filter(figures.dashboard_tasks(user))
    counts = figures.task_counts(tasks, today)
    judged, targets_total = figures.cached_judgement_counts(tasks, today) if counts["total"] else ({}, 0)
    comparison = districts.comparison()
    context = {
        "today": today, "counts": counts, "has_tasks": counts["total"] > 0,
        "judgements": _judgement_rows(scope, judged), "targets_total": targets_total, "scope": scope,
        "statuses": _status_rows(scope, counts),
        "ranking": _ranking_rows(scope, figures.ranking(user, tasks, today)),
        "due": _days_left(figures.due_soon(tasks, today).prefetch_related(figures.lead_units())[:12], today),
        "due_count": figures.due_soon(tasks, today).count(),
        "due_days": figures.DEADLINE_DAYS, "due_url": items_url(scope, due_within=figures.DEADLINE_DAYS),
        "overdue_url": ledger_url(scope, light="red"), "missing_url": items_url(scope, flag="missing"),
        "comparison": _comparison_rows(comparison), "reads_all": user.role in policy.READ_ALL,
        "can_import": policy.can_import_plan(user), "has_plans": Plan.objects.exists(),
        "statistics_url": _monitoring_url("import") if policy.is_office(user) or user.role == User.Role.ADMIN
        else _monitoring_url("catalog"),
    }
    context["judged"] = {row["key"]: row for row in context["judgements"]}
    context["charts"] = _charts(context)
    return render(request, "dashboard/home.html", context)


def _days_left(tasks, today) -> list[Task]:
    tasks = list(tasks)
    for task in tasks:
        task.days_left = (task.due_date - today).days
    return tasks


def _judgement_rows(scope: PlanScope, counts: dict[str, int]) -> list[dict]:
    return [{"key": key, "label": str(figures.JUDGEMENT_LABELS[key]), "value": counts.get(key, 0),
             "url": items_url(scope, judgement=key)} for key in figures.JUDGEMENTS]


def _status_rows(scope: PlanScope, counts: dict) -> list[dict]:
    rows = [{"key": status.value, "label": str(status.label), "value": counts[status.value],
             "url": ledger_url(scope, status=status.value)} for status in figures.SHOWN_STATUSES]
    return rows + [
        {"key": "overdue", "label": _("逾期"), "value": counts["overdue"], "url": ledger_url(scope, light="red")},
        {"key": "missing", "label": _("缺报进展"), "value": counts["missing"],
         "url": items_url(scope, flag="missing")},
    ]


def _ranking_rows(scope: PlanScope, ranked: list[dict]) -> list[dict]:
    return [row | {"percent": round(100 * row["rate"]), "url": items_url(scope, lead=row["org_id"]),
                   "late_url": items_url(scope, lead=row["org_id"], late=1)} for row in ranked]


def _comparison_rows(comparison: dict | None) -> dict | None:
    if comparison is None:
        return None
    year, indicators = comparison["year"], comparison["indicators"]
    by_code = [{d["code"]: d for d in item["districts"]} for item in indicators]
    names = {code: d["name"] for cells in by_code for code, d in cells.items()}
    missing = {"value": None, "meets": None}  # a district without a value of one indicator
    table = [{"name": names[code], "cells": [cells.get(code, missing) for cells in by_code]} for code in sorted(names)]
    return comparison | {"table": table, "indicators": [item | {"url": indicator_url(item["id"], year)}
                                                       for item in indicators]}


def _charts(context: dict) -> dict:
    """What the browser draws, embedded with json_script: labels, values and where a click goes."""
    comparison = context["comparison"]
    return {
        "judgements": context["judgements"],
        "statuses": context["statuses"],
        "ranking": [{"label": r["name"], "value": r["percent"], "on_time": r["on_time"], "total": r["total"],
                     "url": r["url"]} for r in context["ranking"]],
        "districts": None if comparison is None else {
            "year": comparison["year"], "city": comparison["city"]["name"],
            "indicators": [{"id": i["id"], "label": i["short"], "unit": i["unit"], "city": i["city"],
                            "threshold": i["threshold"], "url": i["url"],
                            "districts": [{"label": d["name"], "value": d["value"], "meets": d["meets"]}
                                          for d in i["districts"]]}
                           for i in comparison["indicators"]]},
        "text": {"city": _("全市"), "standard": _("标准"), "meets": pgettext("standard", "达标"),
                 "below": pgettext("standard", "未达标"),
                 "on_time": _("按时"), "tasks": _("项")},
    }


# --- drill-down ------------------------------------------------------------------------------

class BadFilter(ValueError):
    """A drill-down link with a parameter the page does not know: shown as a message, status 400."""


FLAGS = {"missing": gettext_lazy("缺报进展的事项"), "overdue": gettext_lazy("逾期事项")}


@login_required
def items(request):
    """The items behind one dashboard figure: ?judgement=, ?flag=missing|overdue, ?due_within=N, ?lead=<unit>[&late=1]."""
    user, today = request.user, timezone.localdate()
    scope = from_request(request, today)
    tasks = scope.filter(figures.dashboard_tasks(user))
    try:
        if "judgement" in request.GET:
            return _judgement_items(request, tasks, today, scope)
        title, selected = _task_filter(request.GET, user, tasks, today)
    except BadFilter as error:
        return render(request, "dashboard/bad_filter.html", {"message": str(error)}, status=400)
    selected = with_light_facts(selected.select_related("plan").prefetch_related(figures.lead_units()), today)
    selected = selected.order_by("due_date", "plan_id", "position", "id")
    rows = [(task, row_light(task, today)) for task in selected]
    return render(request, "dashboard/items.html", {"title": title, "rows": rows, "labels": LABELS,
                                                    "scope": scope, "keep": _kept(request)})


def _kept(request) -> list[tuple[str, str]]:
    """The drill-down's own parameters, kept when the plan or year is changed on it."""
    return [(name, value) for name, value in request.GET.items() if name not in PICKER_PARAMS]


def _judgement_items(request, tasks, today, scope):
    key = request.GET["judgement"]
    if key not in figures.JUDGEMENTS:
        raise BadFilter(_("未知的判断类别“%(key)s”，可选：%(choices)s")
                        % {"key": key, "choices": "、".join(f"{k}（{figures.JUDGEMENT_LABELS[k]}）"
                                                          for k in figures.JUDGEMENTS)})
    judged = [(t, j) for t, j in figures.judged_targets(tasks, today) if j.status == key]
    title = _("目标：%(label)s") % {"label": figures.JUDGEMENT_LABELS[key]}
    return render(request, "dashboard/targets.html", {"title": title, "judged": judged, "key": key,
                                                      "scope": scope, "keep": _kept(request)})


def _task_filter(params, user, tasks, today):
    if "flag" in params:
        flag = params["flag"]
        if flag not in FLAGS:
            raise BadFilter(_("未知的筛选“%(flag)s”，可选：missing（缺报进展）、overdue（逾期）") % {"flag": flag})
        condition = figures.overdue_q(today) if flag == "overdue" else figures.missing_q()
        return FLAGS[flag], figures.with_fresh(tasks, today).filter(condition)
    if "due_within" in params:
        days = _whole_number(params["due_within"], _("天数"), 1, 366)
        return _("%(days)d 天内到期的事项") % {"days": days}, figures.due_soon(tasks, today, days)
    if "lead" in params:
        return _lead_filter(params, user, tasks, today)
    raise BadFilter(_("请从驾驶舱的图表或数字进入：缺少筛选条件"))


def _lead_filter(params, user, tasks, today):
    org_id = _whole_number(params["lead"], _("单位编号"), 1, None)
    org = Org.objects.filter(pk=org_id).first()
    if org is None:
        raise BadFilter(_("没有编号为 %(id)d 的单位") % {"id": org_id})
    leads = figures.lead_assignments(user, tasks, today).filter(org=org)
    late = params.get("late") == "1"
    if late:
        leads = leads.filter(figures.late_q(today))
    title = (_("%(unit)s 牵头的逾期或缺报事项") if late else _("%(unit)s 牵头的事项")) % {"unit": org.name}
    return title, Task.objects.filter(pk__in=leads.values("task_id"))


def _whole_number(text: str, what: str, low: int, high: int | None) -> int:
    if not text.isdigit() or int(text) < low or (high is not None and int(text) > high):
        bounds = f"{low}–{high}" if high is not None else f"≥ {low}"
        raise BadFilter(_("%(what)s应为整数（%(bounds)s），收到“%(text)s”") % {"what": what, "bounds": bounds, "text": text})
    return int(text)

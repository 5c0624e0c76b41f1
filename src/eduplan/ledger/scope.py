"""Which plan and year a page listing items shows (issue 17: "all plans and years are mixed on every page").

One picker for the ledger, its export, the dashboard and its drill-downs, the 督查通报, 考核 and the reports:
?plan=<id>&year=<year> in the URL, the template ledger/_plan_picker.html on the page. Without either parameter
a page shows the current year's published plan (else the newest published one); an empty value (the picker's
全部计划 / 全部年度) means every plan or every year. A year chosen narrows the plans offered, and a plan of
another year gives way to it, so changing the year alone never leaves a plan of the old year selected.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from urllib.parse import urlencode

from django.db.models import QuerySet

from . import policy
from .models import Plan

PARAMS = ("plan", "year")


@dataclass(frozen=True)
class PlanScope:
    offered: tuple[Plan, ...]  # the published plans the user may see, newest year first
    plan: Plan | None
    year: int | None
    one_plan: bool = False  # a page of one plan's figures offers no 全部计划

    @property
    def plans(self) -> list[Plan]:
        """The plans the picker lists: the chosen year's, or all."""
        return [p for p in self.offered if self.year is None or p.year == self.year]

    @property
    def years(self) -> list[int]:
        return sorted({p.year for p in self.offered if p.year}, reverse=True)

    @property
    def params(self) -> dict[str, str]:
        """The choice as URL parameters, explicit even when it was the default, so a link (the export, a
        drill-down) shows what the page showed however the page was reached."""
        return {"plan": str(self.plan.pk) if self.plan else "", "year": str(self.year) if self.year else ""}

    @property
    def query(self) -> str:
        return urlencode(self.params)

    def filter(self, tasks: QuerySet, prefix: str = "") -> QuerySet:
        """tasks (or rows with a task, prefix "task__") of the chosen plan and year."""
        if self.plan is not None:
            tasks = tasks.filter(**{f"{prefix}plan_id": self.plan.pk})
        if self.year is not None:
            tasks = tasks.filter(**{f"{prefix}plan__year": self.year})
        return tasks


def offered_plans(user) -> tuple[Plan, ...]:
    """Published plans only: drafts are not yet the ledger, archived ones have left the daily views."""
    plans = policy.visible_plans(user).filter(status=Plan.Status.PUBLISHED).defer("parse_json", "source_text")
    return tuple(plans.order_by("-year", "-published_at", "-id"))


def _number(text: str | None) -> int | None:
    return int(text) if text and text.isdigit() else None


def default_plan(offered: tuple[Plan, ...], today: dt.date) -> Plan | None:
    """The current year's plan (the newest published of that year), else the newest published plan."""
    return next((p for p in offered if p.year == today.year), offered[0] if offered else None)


def resolve(params, offered: tuple[Plan, ...], today: dt.date, one_plan: bool = False) -> PlanScope:
    by_id = {p.pk: p for p in offered}
    if not any(name in params for name in PARAMS):
        plan = default_plan(offered, today)
        return PlanScope(offered, plan, plan.year if plan else None, one_plan)
    plan, year = by_id.get(_number(params.get("plan"))), _number(params.get("year"))
    if year is not None and plan is not None and plan.year != year:
        plan = None  # the year was changed last: its plan, not the old year's
    if plan is None and one_plan:
        plan = next((p for p in offered if year is None or p.year == year), None) or default_plan(
            offered, today
        )
        year = plan.year if plan and year is not None else year
    return PlanScope(offered, plan, year, one_plan)


def from_request(request, today: dt.date, one_plan: bool = False) -> PlanScope:
    return resolve(request.GET, offered_plans(request.user), today, one_plan)

"""Template tags for 指标监测: the ledger item's judged targets, and figures with their units."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext as _

from eduplan.indicators.catalog import catalog

from .. import access, display

register = template.Library()


@register.simple_tag
def judged_targets(task, user) -> dict:
    """{rows, can_confirm, catalog} for the ledger item page's target block."""
    return {"rows": display.judged_targets(task), "can_confirm": access.can_confirm_links(user),
            "catalog": list(catalog().values())}


@register.filter
def measure(value, item) -> str:
    """{{ value|measure:item }} → 51.76% (with the digits that keep it on its side of the standard)"""
    against = item.threshold.value if item.threshold is not None else None
    return display.format_value(value, item.unit, item.kind, against)


@register.filter
def verdict(meets) -> str:
    """True / False / None against the official standard → a word with a sign."""
    if meets is None:
        return "—"
    return "✓ " + _("达标") if meets else "✗ " + _("未达标")


@register.filter
def standard(item) -> str:
    """The official standard: ≥ 50%, ≤ 1%, or — where none is set."""
    if item.threshold is None:
        return "—"
    op = "≥" if item.threshold.op == ">=" else "≤"
    return f"{op} {item.threshold.value:g}{'' if item.unit == '%' else ' '}{item.unit}".strip()


@register.filter
def unit_label(item) -> str:
    return display.unit_of(item)


@register.filter
def cell(row: dict, key: str) -> str:
    """One trace cell: numbers without trailing zeros, 是/否 for flags, blank for none."""
    value = row.get(key)
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if isinstance(value, float):
        return f"{value:,.4f}".rstrip("0").rstrip(".")
    return str(value)


@register.simple_tag
def page_url(query, **changes) -> str:
    """The current query string with some parameters changed (sort, page)."""
    query = query.copy()
    for key, value in changes.items():
        query[key] = value
    return "?" + query.urlencode()

"""Small things the ledger list shows: days left to a deadline, a light's name in words."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext as _

from ..lights import LABELS

register = template.Library()


@register.simple_tag
def upload_limit() -> str:
    """The upload limit in the unit every page and message uses (eduplan.limits.size_text)."""
    from django.conf import settings

    from eduplan.limits import size_text

    return size_text(settings.MAX_UPLOAD_BYTES)


@register.simple_tag
def days_left(task, today) -> str:
    if task.due_date is None or not task.is_open:
        return "—"
    days = (task.due_date - today).days
    if days < 0:
        return _("逾期 %(days)d 天") % {"days": -days}
    return _("今天到期") if days == 0 else _("%(days)d 天") % {"days": days}


@register.filter
def light_label(colour: str) -> str:
    if colour == "grey":
        return _("办结或中止")
    return _(LABELS[colour]) if colour in LABELS else ""  # gettext("") would be the catalogue's header

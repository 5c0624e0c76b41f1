"""Warnings that let an action through but tell the user what looks wrong (issue 16: a deadline of 2020-01-01
was accepted without a word)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _


def past_date_warning(what: str, date: dt.date | None, today: dt.date | None = None) -> str | None:
    """ "交办时限 2020-01-01 早于今天…" when the date has already passed, else None."""
    today = today or timezone.localdate()
    if date is None or date >= today:
        return None
    return _("%(what)s %(date)s 早于今天（%(today)s），已保存；如有误请更正。") % {
        "what": what,
        "date": date.isoformat(),
        "today": today.isoformat(),
    }

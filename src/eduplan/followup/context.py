"""The nav's 待办 count on every page (a context processor), worked out once per request.

On a ledger page the count is kept in the page cache under the page's ledger stamp (views.fragment_stamp):
every write that can change a count (assignments, signing, reports, requests, 批示 and their answers) adds an
audit entry on its item, which moves the stamp, so a warm page costs no query for it.
"""

from __future__ import annotations

import hashlib

from django.core.cache import cache

from . import todo
from .clock import today


def todo_count_for(request) -> int:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return 0
    if not hasattr(request, "todo_count"):
        request.todo_count = _cached_count(request, user)
    return request.todo_count


def _cached_count(request, user) -> int:
    day = today()
    stamp = getattr(request, "ledger_stamp", None)
    if stamp is None:
        return todo.badge_count(user, day)
    # the count depends on the role and the unit only (todo.badge_count): the unit's users share one entry
    key = (
        "todo-count:"
        + hashlib.sha256(f"{user.role}\x1f{user.org_id}\x1f{stamp}\x1f{day}".encode()).hexdigest()
    )
    count = cache.get(key)
    if count is None:
        count = todo.badge_count(user, day)
        cache.set(key, count, 600)
    return count


def todo_badge(request) -> dict:
    return {"todo_count": todo_count_for(request)}

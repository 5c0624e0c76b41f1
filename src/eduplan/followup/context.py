"""The nav's 待办 count on every page (a context processor), worked out once per request, never cached: like
the ledger pages, it shows the ledger as it is now."""

from __future__ import annotations

from . import todo
from .clock import today


def todo_count_for(request) -> int:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return 0
    if not hasattr(request, "todo_count"):
        request.todo_count = todo.badge_count(user, today())
    return request.todo_count


def todo_badge(request) -> dict:
    return {"todo_count": todo_count_for(request)}

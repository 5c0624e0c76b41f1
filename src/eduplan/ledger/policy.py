"""Who may do what: the one place both the pages and the API ask. Every rule is a small function.

Roles: 局领导 sees all and comments; 督查室 runs the loop; 科室 and 区县 act on items assigned to
their own unit and see nothing of other districts; 学校 reads only what is given to the school itself; the
administrator manages users and units (in the admin) and reads the ledger.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from .models import Assignment, Org, Plan, Request, Task, User

Role = User.Role
READ_ALL = {Role.LEADER, Role.OFFICE, Role.ADMIN}
UNIT_ROLES = {Role.DEPARTMENT, Role.DISTRICT}


class Denied(Exception):
    """Raised by `require`; pages show it as a message, the API as 403."""


def _role(user) -> str | None:
    return getattr(user, "role", None) if user and user.is_authenticated else None


def _own_unit(user) -> Org | None:
    """The unit whose items a user sees: their own. A school sees only what is given to the school itself,
    not its district's items (audit L5): its statistics pages show its own school."""
    return user.org


def _scope(user) -> Org | str | None:
    """What a user sees of the ledger: "all", the items of one unit, or None (nothing)."""
    role = _role(user)
    if role in READ_ALL:
        return "all"
    return _own_unit(user) if role else None


def seen_unit(user) -> Org | None:
    """The one unit whose items a user sees, if they see one unit's (科室, 区县, 学校), not all or none."""
    scope = _scope(user)
    return scope if isinstance(scope, Org) else None


def visible_tasks(user) -> QuerySet[Task]:
    scope = _scope(user)
    tasks = Task.objects.all()
    if scope == "all":
        return tasks
    if scope is None:
        return tasks.none()
    # Units never see drafts: a plan is theirs only once published (an imported ledger's closed items too).
    return (tasks.filter(assignments__org=scope).exclude(status=Task.Status.DRAFT)
            .exclude(plan__status=Plan.Status.DRAFT).distinct())


def visibility_key(user) -> str:
    """Equal for two users exactly when visible_tasks gives them the same items: cached page fragments are
    keyed by it, so one role's or unit's fragment is never served to another."""
    scope = _scope(user)
    return scope if isinstance(scope, str) else f"unit-{scope.pk}" if scope is not None else "none"


def visible_plans(user) -> QuerySet[Plan]:
    return Plan.objects.all() if _role(user) in READ_ALL else Plan.objects.filter(status=Plan.Status.PUBLISHED)


def current_plans(user) -> QuerySet[Plan]:
    """The plans a default view lists: archived ones (kept whole, out of the way) only on the plan list."""
    return visible_plans(user).exclude(status=Plan.Status.ARCHIVED)


def can_see_sources(user) -> bool:
    """The whole plan text, beside the draft: the bureau's own roles only."""
    return _role(user) in READ_ALL


def can_view_task(user, task: Task) -> bool:
    if _role(user) in READ_ALL:  # no query for the roles that read everything
        return True
    return visible_tasks(user).filter(pk=task.pk).exists()


def is_office(user) -> bool:
    return _role(user) == Role.OFFICE


def can_set_warning(user) -> bool:
    """The warning window is the supervision office's (the administrator may set it for them)."""
    return _role(user) in (Role.OFFICE, Role.ADMIN)


def can_import_plan(user) -> bool:
    return is_office(user)


def can_edit_plan(user, plan: Plan) -> bool:
    return is_office(user) and plan.status == Plan.Status.DRAFT


def can_edit_task(user, task: Task) -> bool:
    return is_office(user) and task.status != Task.Status.CLOSED


def can_assign(user, task: Task) -> bool:
    return is_office(user) and task.status in (Task.Status.ACTIVE, Task.Status.REVIEWING)


def can_sign(user, assignment: Assignment) -> bool:
    return (_role(user) in UNIT_ROLES and user.org_id == assignment.org_id
            and assignment.status == Assignment.Status.PENDING and assignment.task.is_open)


def acting_assignment(user, task: Task) -> Assignment | None:
    """The assignment a unit user acts through on this task, if any."""
    if _role(user) not in UNIT_ROLES or user.org_id is None:
        return None
    # all(), not filter(): the item page prefetches the assignments, so the several rules asking cost no query
    return next((a for a in task.assignments.all() if a.org_id == user.org_id), None)


def can_report(user, task: Task) -> bool:
    assignment = acting_assignment(user, task)
    return bool(assignment and assignment.status != Assignment.Status.PENDING and task.is_open)


def can_request(user, task: Task) -> bool:
    """Only the lead unit asks for 延期/办结/中止/调整, and only on an open item with nothing pending."""
    assignment = acting_assignment(user, task)
    return bool(assignment and assignment.role == Assignment.Role.LEAD
                and assignment.status != Assignment.Status.PENDING and task.status == Task.Status.ACTIVE)


def can_review(user, request: Request) -> bool:
    return is_office(user) and request.status == Request.Status.PENDING


def can_urge(user, task: Task) -> bool:
    return is_office(user) and task.is_open


def can_comment(user, task: Task) -> bool:
    return _role(user) in (Role.LEADER, Role.OFFICE) and can_view_task(user, task)


def can_export(user) -> bool:
    return _role(user) is not None


def can_import_ledger(user) -> bool:
    return is_office(user)


def require(allowed: bool, message: str | None = None) -> None:
    if not allowed:
        # translated here, not as a default argument: that would be fixed in the language of import time
        raise Denied(message or _("您没有权限执行此操作"))



"""Who sees which statistics, and who may change links or import: the monitoring side of ledger.policy.

Aggregates (the city and every district) are open to every signed-in role: district bureaus compare
themselves with their neighbours. School rows are not: a district sees its own schools only, a
school only itself. The bureau's own roles (leaders, the office, departments, the administrator)
see every school.
"""

from __future__ import annotations

from dataclasses import dataclass

from eduplan.ledger import policy
from eduplan.ledger.models import User

Role = User.Role
ALL_SCHOOLS = {Role.LEADER, Role.OFFICE, Role.ADMIN, Role.DEPARTMENT}


@dataclass(frozen=True)
class Scope:
    """The schools a user may see: all, one district's, one school, or none."""

    all_schools: bool = False
    district: str | None = None
    school: str | None = None

    def sees_school(self, school_code: str, district_code: str | None) -> bool:
        if self.all_schools:
            return True
        if self.district is not None:
            return district_code == self.district
        return self.school is not None and school_code == self.school

    def sees_pupils(self, school_code: str) -> bool:
        """Pupil-level rows (学生体质健康 scores): the school's own staff only; every other role sees
        the aggregates."""
        return self.school is not None and school_code == self.school

    def sees_district_schools(self, district_code: str) -> bool:
        return self.all_schools or self.district == district_code

    def school_sql(self, code_column: str, district_column: str) -> tuple[str, list]:
        """A WHERE fragment limiting school rows to this scope."""
        if self.all_schools:
            return "TRUE", []
        if self.district is not None:
            return f"{district_column} = ?", [self.district]
        if self.school is not None:
            return f"{code_column} = ?", [self.school]
        return "FALSE", []


def scope_of(user) -> Scope:
    role = getattr(user, "role", None) if user is not None and user.is_authenticated else None
    org_code = user.org.code if role and user.org_id else None
    if role in ALL_SCHOOLS:
        return Scope(all_schools=True)
    if role == Role.DISTRICT and org_code:
        return Scope(district=org_code)
    if role == Role.SCHOOL and org_code:
        return Scope(school=org_code)
    return Scope()


def can_import_statistics(user) -> bool:
    return getattr(user, "role", None) in (Role.OFFICE, Role.ADMIN) and user.is_authenticated


def can_confirm_links(user) -> bool:
    return policy.is_office(user)

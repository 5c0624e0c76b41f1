"""Signing in: Django's ModelBackend, but the user of each request arrives with their unit and its parent."""

from __future__ import annotations

from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connections, router

from .models import Org, User


def _columns(model, alias: str) -> list[str]:
    return [f"{alias}.{f.column}" for f in model._meta.concrete_fields]


def _user_sql(connection) -> str:
    """The user, their unit and its parent as one row; written out once, so no ORM compiles it per request."""
    user, org = connection.ops.quote_name(User._meta.db_table), connection.ops.quote_name(Org._meta.db_table)
    unit = connection.ops.quote_name(User._meta.get_field("org").column)
    parent = connection.ops.quote_name(Org._meta.get_field("parent").column)
    select = ", ".join(_columns(User, "u") + _columns(Org, "o") + _columns(Org, "p"))
    return (f"SELECT {select} FROM {user} u LEFT JOIN {org} o ON o.id = u.{unit} "
            f"LEFT JOIN {org} p ON p.id = o.{parent} WHERE u.id = %s")


def _instance(model, alias: str, values):
    """A model instance from its columns of the row, None for the all-NULL side of a LEFT JOIN."""
    if values[0] is None:
        return None
    return model.from_db(alias, [f.attname for f in model._meta.concrete_fields], values)


class UnitBackend(ModelBackend):
    """Every page reads the user's unit (the header) and a school's district (what it may see): one plain
    query for all three, where the ORM spent more CPU building the query than PostgreSQL answering it."""

    _sql: dict[str, str] = {}

    def authenticate(self, request, username=None, password=None, **kwargs):
        """Refused without checking the password while the name or the address is locked (logins.py):
        the pages, the admin and the API token endpoint all sign in through here."""
        from . import logins

        if request is not None and logins.is_locked(username or "", logins.address_of(request)):
            request.login_locked = True
            logins.record("login-locked", request, username=username or "")
            raise PermissionDenied("locked")
        return super().authenticate(request, username=username, password=password, **kwargs)

    def get_user(self, user_id):
        try:
            user_id = User._meta.pk.to_python(user_id)
        except ValidationError:  # a tampered or foreign session
            return None
        alias = router.db_for_read(User)
        connection = connections[alias]
        sql = self._sql.setdefault(connection.vendor, _user_sql(connection))
        with connection.cursor() as cursor:
            cursor.execute(sql, [user_id])
            row = cursor.fetchone()
        if row is None:
            return None
        users, orgs = len(User._meta.concrete_fields), len(Org._meta.concrete_fields)
        user = _instance(User, alias, row[:users])
        org = _instance(Org, alias, row[users:users + orgs])
        if org is not None:
            org._state.fields_cache["parent"] = _instance(Org, alias, row[users + orgs:])
        user._state.fields_cache["org"] = org
        return user if self.user_can_authenticate(user) else None

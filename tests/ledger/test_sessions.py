"""The session store (plain-query reads of Django's session table): signed in, expired, ended by logout."""

from __future__ import annotations

import datetime as dt

from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone


def _signed_in(users) -> Client:
    client = Client()
    assert client.login(username="office", password="pw")
    return client


def test_a_session_signs_its_user_in(users):
    assert _signed_in(users).get("/").status_code == 200


def test_an_expired_session_signs_nobody_in(users):
    client = _signed_in(users)
    Session.objects.update(expire_date=timezone.now() - dt.timedelta(seconds=1))
    response = client.get("/")
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_logout_ends_the_session_for_a_copy_of_its_cookie(users, settings):
    client = _signed_in(users)
    copy = Client()
    copy.cookies[settings.SESSION_COOKIE_NAME] = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert copy.get("/").status_code == 200
    client.post("/logout/")
    assert copy.get("/").status_code == 302  # the server forgot it: a copied cookie is good for nothing


def test_the_signed_in_user_arrives_with_unit_and_parent_in_one_query(users, django_assert_num_queries):
    from eduplan.ledger.backends import UnitBackend

    with django_assert_num_queries(1):
        user = UnitBackend().get_user(str(users["school"].pk))  # sessions hold the id as text
        assert (user.username, user.org.code, user.org.parent.code) == ("school", "s1", "d1")
        assert user.check_password("pw") and user.role == users["school"].role


def test_a_user_without_a_unit_or_a_bureau_without_a_parent(users):
    from eduplan.ledger.backends import UnitBackend
    from eduplan.ledger.models import User

    loner = User.objects.create_user("loner", password="pw", role=User.Role.ADMIN)
    assert UnitBackend().get_user(loner.pk).org is None
    assert UnitBackend().get_user(users["leader"].pk).org.parent is None


def test_unknown_garbled_or_inactive_users_are_nobody(users):
    from eduplan.ledger.backends import UnitBackend

    users["basic"].is_active = False
    users["basic"].save()
    backend = UnitBackend()
    assert backend.get_user(10**9) is None and backend.get_user("not-a-number") is None
    assert backend.get_user(users["basic"].pk) is None


def test_postgresql_prepares_the_statements_every_page_runs(db):
    """Every page reads its session, user and ledger version: prepared, PostgreSQL plans them once a connection."""
    import pytest
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("prepared statements are PostgreSQL's")
    with connection.cursor() as cursor:
        for number in range(3):
            cursor.execute("SELECT %s::int AS eduplan_probe", [number])
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        assert "SELECT $1::int AS eduplan_probe" in [row[0] for row in cursor.fetchall()]

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

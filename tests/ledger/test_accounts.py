"""Accounts (audit M6, M7): sign-in limits with a lockout the admin lifts, password rules, self-service
password change, idle timeout; API tokens hashed at rest, expiring, listed and revoked by their user,
revoked by a new password."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from eduplan.ledger.models import ApiToken, LoginLockRelease, SecurityEvent
from web_clients import client_as


def _login(client, username, password, address="10.0.0.1"):
    return client.post("/login/", {"username": username, "password": password}, REMOTE_ADDR=address)


def test_five_wrong_passwords_lock_the_name_even_for_the_right_one_until_the_admin_lifts_it(users):
    client = Client()
    for _ in range(5):
        assert _login(client, "office", "wrong").status_code == 200
    refused = _login(client, "office", "pw")
    assert refused.status_code == 200 and "已暂时锁定" in refused.content.decode()
    assert "_auth_user_id" not in client.session
    assert _login(Client(), "office", "pw", address="10.0.0.2").status_code == 200  # another address: still locked
    assert SecurityEvent.objects.filter(action="login-failed", username="office").count() == 5
    assert SecurityEvent.objects.filter(action="login-locked").count() == 2
    users["admin"].is_staff = users["admin"].is_superuser = True
    users["admin"].save()
    admin = client_as(users["admin"])
    answer = admin.post("/admin/ledger/user/", {"action": "release_lock", "_selected_action": [users["office"].pk]})
    assert answer.status_code == 302 and LoginLockRelease.objects.filter(username="office").exists()
    assert _login(client, "office", "pw").status_code == 302  # signed in


def test_the_api_token_endpoint_is_limited_too(users):
    client = APIClient()
    for _ in range(5):
        assert client.post("/api/token/", {"username": "office", "password": "x"}).status_code == 400
    assert client.post("/api/token/", {"username": "office", "password": "pw"}).status_code == 400


def test_one_address_trying_many_names_is_locked(users):
    for number in range(20):
        _login(Client(), f"nobody{number}", "wrong", address="10.9.9.9")
    assert "已暂时锁定" in _login(Client(), "basic", "pw", address="10.9.9.9").content.decode()
    assert _login(Client(), "basic", "pw", address="10.9.9.8").status_code == 302


def test_failures_older_than_the_window_do_not_count(users):
    for _ in range(5):
        _login(Client(), "office", "wrong")
    old = timezone.now() - dt.timedelta(minutes=16)
    from django.db import connection

    with connection.cursor() as cursor:  # the log is append-only for the app; the test ages it directly
        cursor.execute(f"UPDATE {SecurityEvent._meta.db_table} SET at = %s", [old])
    assert _login(Client(), "office", "pw").status_code == 302


def test_passwords_follow_djangos_validators():
    for weak in ("1", "password123", "12345678901", "binjiang"):
        with pytest.raises(ValidationError):
            validate_password(weak)
    validate_password("江东 督办 2026 春季")


def test_a_user_changes_their_own_password_and_loses_every_token(users, page):
    client = page("basic")
    key = client.post("/account/").content.decode().split('id="new-token">')[1].split("<")[0]
    assert ApiToken.objects.filter(user=users["basic"]).count() == 1
    weak = client.post("/account/password/", {"old_password": "pw", "new_password1": "1", "new_password2": "1"})
    assert weak.status_code == 200 and "密码" in weak.content.decode()
    strong = "江东 督办 2026 春季"
    done = client.post("/account/password/", {"old_password": "pw", "new_password1": strong,
                                               "new_password2": strong}, follow=True)
    assert "密码已修改" in done.content.decode()
    assert not ApiToken.objects.filter(user=users["basic"]).exists()
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.get("/api/tasks/").status_code == 401
    assert client.get("/").status_code == 200  # this session stays signed in


def test_an_admin_password_reset_revokes_the_users_tokens(users, api):
    client = api("office")
    assert client.get("/api/tasks/").status_code == 200
    users["office"].set_password("a new password from the admin")
    users["office"].save()
    assert client.get("/api/tasks/").status_code == 401


def test_tokens_are_stored_hashed_expire_and_are_listed_and_revoked_by_their_user(users):
    client = APIClient()
    answer = client.post("/api/token/", {"username": "basic", "password": "pw"}).json()
    key = answer["token"]
    assert key != client.post("/api/token/", {"username": "basic", "password": "pw"}).json()["token"]
    stored = ApiToken.objects.filter(user=users["basic"])
    assert stored.count() == 2 and key not in str(list(stored.values()))
    assert stored.filter(digest=hashlib.sha256(key.encode()).hexdigest()).exists()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.get("/api/tasks/").status_code == 200
    page = client_as(users["basic"])
    listing = page.get("/account/").content.decode()
    assert key[:8] in listing and key not in listing
    others = client_as(users["teachers"])
    token = stored.get(prefix=key[:8])
    assert others.post(f"/account/tokens/{token.pk}/revoke/").status_code == 404  # not theirs
    page.post(f"/account/tokens/{token.pk}/revoke/")
    assert client.get("/api/tasks/").status_code == 401
    other_key = ApiToken.objects.get(user=users["basic"])
    assert other_key.expires_at > timezone.now() + dt.timedelta(days=29)


def test_the_api_revokes_the_token_it_is_sent_with_and_expired_tokens_fail(users):
    client = APIClient()
    key = client.post("/api/token/", {"username": "basic", "password": "pw"}).json()["token"]
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.delete("/api/token/").status_code == 204
    assert client.get("/api/tasks/").status_code == 401
    key = APIClient().post("/api/token/", {"username": "basic", "password": "pw"}).json()["token"]
    ApiToken.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    answer = client.get("/api/tasks/")
    assert answer.status_code == 401 and "过期" in answer.json()["detail"]


def test_the_admin_cannot_read_tokens(users):
    users["admin"].is_staff = users["admin"].is_superuser = True
    users["admin"].save()
    admin = client_as(users["admin"])
    assert admin.get("/admin/authtoken/tokenproxy/").status_code == 404


def test_an_idle_session_is_signed_out(users, settings):
    client = client_as(users["office"])
    assert client.get("/").status_code == 200
    session = client.session
    session["seen"] = int(timezone.now().timestamp()) - settings.IDLE_TIMEOUT_SECONDS - 5
    session.save()
    answer = client.get("/")
    assert answer.status_code == 302 and "/login/" in answer["Location"]


def test_the_account_page_and_the_lock_message_in_english(users, settings):
    client = client_as(users["basic"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get("/account/").content.decode()
    assert "My account" in html and "API tokens" in html and "Change password" in html
    anonymous = Client()
    anonymous.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    for _ in range(5):
        _login(anonymous, "basic", "wrong")
    assert "Too many failed sign-ins" in _login(anonymous, "basic", "pw").content.decode()

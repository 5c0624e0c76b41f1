"""Audit trail complete (audit M8): a user with entries is deactivated, never deleted, and their name stays
on the entries; sign-ins, failed sign-ins, sign-outs and exports are in the security log."""

from __future__ import annotations

import pytest
from django.db.models import ProtectedError
from django.test import Client

from eduplan.ledger import services
from eduplan.ledger.models import AuditEntry, SecurityEvent, User
from web_clients import client_as


def test_a_user_with_audit_entries_cannot_be_deleted_only_deactivated(users, task, city):
    temp = User.objects.create_user("tmpoffice", password="pw", role="office", org=city["supervision"])
    services.urge(temp, task, "请加快")
    entry = AuditEntry.objects.get(actor=temp, action="urge")
    with pytest.raises(ProtectedError):
        temp.delete()
    admin = users["admin"]
    admin.is_staff = admin.is_superuser = True
    admin.save()
    page = client_as(admin)
    answer = page.post(f"/admin/ledger/user/{temp.pk}/delete/", {"post": "yes"})
    assert User.objects.filter(pk=temp.pk).exists()
    assert answer.status_code == 200 and "tmpoffice" in answer.content.decode()  # the page says why not
    page.post("/admin/ledger/user/", {"action": "deactivate", "_selected_action": [temp.pk]})
    temp.refresh_from_db()
    assert not temp.is_active
    User.objects.filter(pk=temp.pk).update(username="renamed")
    entry.refresh_from_db()
    assert entry.actor_name == "tmpoffice"
    html = client_as(users["office"]).get(f"/tasks/{task.pk}/").content.decode()
    assert "系统" not in html.split('id="audit"')[1]


def test_sign_ins_failures_sign_outs_and_exports_are_logged(users):
    client = Client()
    client.post("/login/", {"username": "office", "password": "nope"}, REMOTE_ADDR="10.1.2.3")
    client.post("/login/", {"username": "office", "password": "pw"}, REMOTE_ADDR="10.1.2.3")
    client.get("/export.xlsx")
    client.post("/logout/")
    events = list(SecurityEvent.objects.order_by("id").values_list("action", "username", "address"))
    assert events == [("login-failed", "office", "10.1.2.3"), ("login", "office", "10.1.2.3"),
                      ("export", "office", "127.0.0.1"), ("logout", "office", "127.0.0.1")]
    with pytest.raises(PermissionError):
        SecurityEvent.objects.all().delete()


def test_a_user_without_audit_entries_can_still_be_deleted_and_their_sign_ins_keep_the_name(users, city):
    temp = User.objects.create_user("visitor", password="pw", role="department", org=city["basic"])
    Client().post("/login/", {"username": "visitor", "password": "pw"})
    temp.delete()
    assert SecurityEvent.objects.filter(action="login", username="visitor").exists()

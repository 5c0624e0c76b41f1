"""Sign-in limits and the security log (audit M6, M8): failed sign-ins are counted per user name and per
address in the database (so every worker process sees the same count), a name or address past its limit is
locked for a while, and the administrator can lift a lock early (LoginLockRelease, in the admin)."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models import Max
from django.dispatch import receiver
from django.utils import timezone

from .models import LoginLockRelease, SecurityEvent

WINDOW = dt.timedelta(minutes=15)
FAILURES_PER_USER = 5
FAILURES_PER_ADDRESS = 20


def address_of(request) -> str | None:
    """The client's address as the server saw it (behind a proxy, the proxy's: the per-user limit still holds)."""
    return getattr(request, "META", {}).get("REMOTE_ADDR") or None


def _since(**who) -> dt.datetime:
    start = timezone.now() - WINDOW
    released = LoginLockRelease.objects.filter(**who).aggregate(at=Max("at"))["at"]
    return max(start, released) if released else start


def _failures(**who) -> int:
    return SecurityEvent.objects.filter(action="login-failed", at__gt=_since(**who), **who).count()


def is_locked(username: str, address: str | None) -> bool:
    if username and _failures(username=username.strip().lower()) >= FAILURES_PER_USER:
        return True
    return bool(address) and _failures(address=address) >= FAILURES_PER_ADDRESS


def record(action: str, request=None, user=None, username: str = "", detail: str = "") -> None:
    name = (user.username if user is not None else username or "").strip().lower()[:150]
    SecurityEvent.objects.create(action=action, actor=user, username=name, detail=detail[:300],
                                 address=address_of(request) if request is not None else None)


@receiver(user_logged_in)
def _logged_in(sender, request, user, **kwargs):
    record("login", request, user)


@receiver(user_logged_out)
def _logged_out(sender, request, user, **kwargs):
    if user is not None:
        record("logout", request, user)


@receiver(user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs):
    if getattr(request, "login_locked", False):
        return  # recorded as login-locked by the backend
    record("login-failed", request, username=str(credentials.get("username", "")))

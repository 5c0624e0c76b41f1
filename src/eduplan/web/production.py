"""What `eduplan serve` refuses to run a real platform with, and what to set instead."""

from __future__ import annotations

from django.conf import settings


def refusals() -> list[str]:
    """One line per setting that would make a platform without --demo insecure: empty when it may start."""
    problems = []
    if settings.SECRET_KEY == settings.DEMO_SECRET_KEY or not settings.SECRET_KEY:
        problems.append("EDUPLAN_SECRET_KEY is not set: the demo key is public, and anyone knowing it can forge "
                        "sessions and cookies. Set EDUPLAN_SECRET_KEY to a long random value, e.g. "
                        "python -c 'import secrets; print(secrets.token_urlsafe(50))'")
    elif len(settings.SECRET_KEY) < 50 or len(set(settings.SECRET_KEY)) < 5:
        problems.append("EDUPLAN_SECRET_KEY is too short or too plain: use at least 50 random characters")
    if settings.DEBUG:
        problems.append("EDUPLAN_DEBUG=1 shows code and settings on every error page: unset it")
    return problems


def advice() -> list[str]:
    """Settings a platform may run without, but should have behind TLS: printed at start, not refused."""
    notes = []
    if not settings.SECURE_COOKIES:
        notes.append("cookies are sent over plain http: behind TLS set EDUPLAN_SECURE_COOKIES=1")
    if settings.SECURE_SSL_REDIRECT and not settings.SECURE_PROXY_SSL_HEADER:
        notes.append("http is redirected to https: behind a TLS proxy set EDUPLAN_PROXY_SSL_HEADER (e.g. "
                     "X-Forwarded-Proto), or every request is redirected again and again")
    if settings.SECURE_COOKIES and not settings.SECURE_HSTS_SECONDS:
        notes.append("no HSTS: set EDUPLAN_HSTS_SECONDS (e.g. 31536000)")
    return notes

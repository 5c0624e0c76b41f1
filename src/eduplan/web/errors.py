"""The CSRF failure page in the site's own frame and words (settings.CSRF_FAILURE_VIEW): a form sent after the
session expired, or from a page opened before a restart, says what to do instead of Django's English hint."""

from __future__ import annotations

from django.shortcuts import render


def csrf_failure(request, reason: str = ""):
    return render(request, "403_csrf.html", status=403)

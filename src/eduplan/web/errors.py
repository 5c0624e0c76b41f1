"""The CSRF failure page in the site's own frame and words (settings.CSRF_FAILURE_VIEW): a form sent after the
session expired, or from a page opened before a restart, says what to do instead of Django's English hint."""

from __future__ import annotations

from django.shortcuts import render
from django.views.defaults import page_not_found


def csrf_failure(request, reason: str = ""):
    return render(request, "403_csrf.html", status=403)


def not_found(request, exception=None):
    """An API address that matches no route answers as the API does (JSON `detail`), not with the HTML page its
    clients cannot read; everything else gets the site's own 404 page."""
    if request.path.startswith("/api/"):
        from django.http import JsonResponse
        from rest_framework.exceptions import NotFound

        return JsonResponse({"detail": str(NotFound().detail)}, status=404)  # the words of the API's own 404
    return page_not_found(request, exception)

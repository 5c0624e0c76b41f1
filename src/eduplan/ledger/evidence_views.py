"""The only way an evidence file leaves the server: to a user who may see its item, as a download."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse

from . import evidence, policy
from .models import ProgressReport, Request

# kind in the URL → (model, file field, original-name field)
SOURCES = {"report": (ProgressReport, "attachment", "attachment_name"),
           "request": (Request, "evidence", "evidence_name")}


def _send(request, found):
    if found is None:
        raise Http404
    if request.headers.get("HX-Request"):
        # htmx would put the file's bytes into the page (and run its scripts): make it a real navigation
        response = HttpResponse(status=204)
        response["HX-Redirect"] = request.get_full_path()
        return response
    stored, name = found
    return evidence.serve(stored, name or stored.name)


def _visible_file(user, kind: str, **lookup):
    """The row holding the file, if the user sees its item. Hidden items answer 404 as their pages do:
    whether an item (or a file) exists is itself not to be told."""
    model, field, name_field = SOURCES[kind]
    row = (model.objects.filter(task__in=policy.visible_tasks(user), **lookup).exclude(**{field: ""})
           .only(field, name_field).first())
    return None if row is None else (getattr(row, field), getattr(row, name_field))


@login_required
def download(request, kind: str, pk: str):
    return _send(request, _visible_file(request.user, kind, pk=pk))


@login_required
def legacy_media(request, path: str):
    """/media/<path> links of pages written before the download view: the same check, the same download."""
    found = None
    for kind, (_model, field, _name) in SOURCES.items():
        found = found or _visible_file(request.user, kind, **{field: path})
    return _send(request, found)

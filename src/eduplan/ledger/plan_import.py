"""A plan file in, a draft Plan out: every leaf item of the reader's tree becomes a draft task."""

from __future__ import annotations

import datetime as dt
import functools
import re
from importlib.resources import files

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from eduplan.reader import ReaderError, read

from .models import Plan, Target, Task
from .services import Invalid, audit


def check_upload(upload) -> bytes:
    """Size and name checks before the reader sees the bytes; a one-line message on refusal."""
    if upload is None:
        raise Invalid(_("请选择要上传的文件"))
    if upload.size > settings.MAX_UPLOAD_BYTES:
        raise Invalid(_("文件过大（%(size)d KB），上限为 %(limit)d MB")
                      % {"size": upload.size // 1024, "limit": settings.MAX_UPLOAD_BYTES // 1024 // 1024})
    if upload.size == 0:
        raise Invalid(_("上传的文件是空的"))
    return upload.read()


@functools.cache
def _reader_messages() -> list[tuple[re.Pattern, str]]:
    table = files("eduplan.ledger").joinpath("data", "reader_messages.tsv").read_text(encoding="utf-8")
    rows = [line.split("\t") for line in table.splitlines() if line.strip() and not line.startswith("#")]
    return [(re.compile(pattern), message) for pattern, message in rows]


def reader_message(error: Exception, name: str) -> str:
    """The reader's refusal (English, "junk.docx: not a plan document …") in the user's words."""
    text = str(error)
    detail = text.removeprefix(f"{name}: ")
    for pattern, message in _reader_messages():
        match = pattern.search(detail)
        if match:
            return message.format(name=name, **match.groupdict())
    return _("%(name)s：无法读取为工作要点，请上传 Word（.docx）、PDF 或文本格式的文件") % {"name": name}


def _leaves(items, trail=(), number=""):
    """Each leaf item with the headings above it and its 序号 as the plan writes it (一、（一）1.)."""
    for item in items:
        path = number + shown_marker(item.marker)
        if item.children:
            yield from _leaves(item.children, (*trail, item.title), path)
        else:
            yield item, trail, path


def shown_marker(marker: str) -> str:
    """The reader gives markers half-width, (一); a Chinese document writes （一）."""
    return marker.replace("(", "（").replace(")", "）")


def _due(item, year: int | None) -> dt.date | None:
    dates = [d.date for d in item.deadlines if d.date]
    if dates:
        return dt.date.fromisoformat(max(dates))
    return dt.date(year, 12, 31) if year else None


@transaction.atomic
def import_plan(user, data: bytes, name: str) -> Plan:
    try:
        parsed = read(data, name=name)
    except ReaderError as error:
        raise Invalid(reader_message(error, name)) from None
    document = next((d for d in parsed.documents if d.items), parsed.documents[0] if parsed.documents else None)
    if document is None or not document.items:
        raise Invalid(_("%(name)s：未识别出编号结构（一、（一）、1.），无法生成台账事项") % {"name": name})
    plan = Plan.objects.create(title=(document.title or name)[:200], year=document.year, source_name=name[:200],
                               source_text=parsed.cleaned, parse_json=parsed.to_dict(),
                               created_by=user)
    for position, (item, trail, number) in enumerate(_leaves(document.items), start=1):
        task = Task.objects.create(plan=plan, position=position, number=number[:40], section=" / ".join(trail)[:200],
                                   title=item.title[:300], content=item.text, source_quote=item.text,
                                   due_date=_due(item, document.year))
        for target in item.targets:
            Target.objects.create(task=task, quote=target.quote[:500], indicator=target.indicator[:200],
                                  comparator=target.comparator, value=target.value, value_max=target.value_max,
                                  unit=target.unit[:20],
                                  deadline=dt.date.fromisoformat(target.deadline) if target.deadline else None)
    audit(user, "import", plan=plan, after={"source": name, "tasks": plan.tasks.count(),
                                            "warnings": parsed.warnings[:5]})
    return plan

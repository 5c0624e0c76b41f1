"""A plan file in, a draft Plan out: every leaf item of the reader's tree becomes a draft task."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from eduplan.limits import TooLarge
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


def too_large(name: str, error: TooLarge) -> str:
    """The page's message for a file refused by a bound on inflated size, rows, objects or time."""
    return _("%(name)s：文件内容超出处理上限（%(what)s），可能是压缩炸弹或已损坏，已拒绝，未导入任何内容") % {
        "name": name, "what": error.what}


def _leaves(items, trail=()):
    for item in items:
        if item.children:
            yield from _leaves(item.children, (*trail, item.title))
        else:
            yield item, trail


def _due(item, year: int | None) -> dt.date | None:
    dates = [d.date for d in item.deadlines if d.date]
    if dates:
        return dt.date.fromisoformat(max(dates))
    return dt.date(year, 12, 31) if year else None


@transaction.atomic
def import_plan(user, data: bytes, name: str) -> Plan:
    try:
        parsed = read(data, name=name)
    except TooLarge as error:
        raise Invalid(too_large(name, error)) from None
    except ReaderError as error:
        raise Invalid(str(error)) from None
    document = next((d for d in parsed.documents if d.items), parsed.documents[0] if parsed.documents else None)
    if document is None or not document.items:
        raise Invalid(_("%(name)s：未识别出编号结构（一、（一）、1.），无法生成台账事项") % {"name": name})
    plan = Plan.objects.create(title=(document.title or name)[:200], year=document.year, source_name=name[:200],
                               source_text=parsed.cleaned, parse_json=parsed.to_dict(),
                               created_by=user)
    for position, (item, trail) in enumerate(_leaves(document.items), start=1):
        task = Task.objects.create(plan=plan, position=position, section=" / ".join(trail)[:200],
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

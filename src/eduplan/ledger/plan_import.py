"""A plan file in, a draft Plan out: every leaf item of the reader's tree becomes a draft task."""

from __future__ import annotations

import datetime as dt
import functools
import re
from importlib.resources import files

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from eduplan.limits import TooLarge, size_and_limit
from eduplan.reader import ReaderError, read

from .models import Assignment, Org, Plan, Target, Task
from .services import Invalid, audit


def check_upload(upload) -> bytes:
    """Size and name checks before the reader sees the bytes; a one-line message on refusal."""
    if upload is None:
        raise Invalid(_("请选择要上传的文件"))
    if upload.size > settings.MAX_UPLOAD_BYTES:
        raise Invalid(_("文件过大（%(size)s），上限为 %(limit)s")
                      % size_and_limit(upload.size, settings.MAX_UPLOAD_BYTES))
    if upload.size == 0:
        raise Invalid(_("上传的文件是空的"))
    return upload.read()


def too_large(name: str, error: TooLarge) -> str:
    """The page's message for a file refused by a bound on inflated size, rows, objects or time."""
    return _("%(name)s：文件内容超出处理上限（%(what)s），可能是压缩炸弹或已损坏，已拒绝，未导入任何内容") % {
        "name": name, "what": error.what}


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
    """The item's deadline: its written dates (完成时限：2027年8月31日) before 年内 / 年底."""
    explicit = [d.date for d in item.deadlines if d.date and d.explicit]
    dates = explicit or [d.date for d in item.deadlines if d.date]
    if dates:
        return dt.date.fromisoformat(max(dates))
    return dt.date(year, 12, 31) if year else None


def plan_document_index(documents: list[tuple[str, int | None, bool]]) -> int | None:
    """Which of a file's documents (kind, year, has items) is the plan to import: a plan with items
    of the latest year; else any document with items of the latest year (a 总结 then a 要点 in one
    file gives the 要点, never last year's summary)."""
    def rank(index: int) -> tuple[bool, bool, int, int]:
        kind, year, has_items = documents[index]
        return has_items, kind == "plan", year or 0, index
    return max(range(len(documents)), key=rank) if documents else None


def _proposed_assignments(task: Task, item, orgs: dict[str, Org]) -> list[str]:
    """The units the item names (牵头单位 / 配合单位) as assignments of the draft task, which the office
    checks with the rest of the draft before publishing; returns the names no unit of the city matches."""
    unmatched = []
    lead_taken = False
    for names, role in ((item.lead_units, Assignment.Role.LEAD), (item.support_units, Assignment.Role.COOPERATE)):
        for name in names:
            org = orgs.get(name)
            if org is None:
                unmatched.append(name)
                continue
            if role == Assignment.Role.LEAD and lead_taken:
                role = Assignment.Role.COOPERATE  # one lead per task: a second named lead co-operates
            lead_taken |= role == Assignment.Role.LEAD
            Assignment.objects.get_or_create(task=task, org=org, defaults={"role": role, "due_date": task.due_date})
    return unmatched


def _orgs_by_name() -> dict[str, Org]:
    """Departments and districts by name, also without the bureau's name before them (市教育局基础教育处)."""
    found: dict[str, Org] = {}
    for org in Org.objects.filter(kind__in=[Org.Kind.DEPARTMENT, Org.Kind.DISTRICT]).select_related("parent"):
        found[org.name] = org
        if org.parent is not None:
            found.setdefault(f"{org.parent.name}{org.name}", org)
    return found


TITLE_MAX = Task._meta.get_field("title").max_length
PLAN_TITLE_MAX = Plan._meta.get_field("title").max_length


def _shortened(number: str, position: int, title: str) -> dict:
    """An item whose title was longer than the column: named to the office by its 序号 and opening words."""
    return {"number": number or str(position), "start": title[:20], "length": len(title)}


@transaction.atomic
def import_plan(user, data: bytes, name: str) -> Plan:
    try:
        parsed = read(data, name=name)
    except TooLarge as error:
        raise Invalid(too_large(name, error)) from None
    except ReaderError as error:
        raise Invalid(reader_message(error, name)) from None
    index = plan_document_index([(d.kind, d.year, bool(d.items)) for d in parsed.documents])
    document = parsed.documents[index] if index is not None else None
    if document is None or not document.items:
        raise Invalid(_("%(name)s：未识别出编号结构（一、（一）、1.），无法生成台账事项") % {"name": name})
    plan_title = document.title or name
    plan = Plan.objects.create(title=plan_title[:PLAN_TITLE_MAX], year=document.year, source_name=name[:200],
                               source_text=parsed.cleaned, parse_json=parsed.to_dict(),
                               created_by=user)
    orgs = _orgs_by_name()
    unmatched: list[str] = []
    shortened: list[dict] = []  # titles longer than the column: cut, said so (the full text stays in content)
    for position, (item, trail, number) in enumerate(_leaves(document.items), start=1):
        if len(item.title) > TITLE_MAX:
            shortened.append(_shortened(number, position, item.title))
        task = Task.objects.create(plan=plan, position=position, number=number[:40], section=" / ".join(trail)[:200],
                                   title=item.title[:TITLE_MAX], content=item.text, source_quote=item.text,
                                   due_date=_due(item, document.year))
        unmatched += [name for name in _proposed_assignments(task, item, orgs) if name not in unmatched]
        for target in item.targets:
            Target.objects.create(task=task, quote=target.quote[:500], indicator=target.indicator[:200],
                                  comparator=target.comparator, value=target.value, value_max=target.value_max,
                                  unit=target.unit[:20],
                                  deadline=dt.date.fromisoformat(target.deadline) if target.deadline else None)
    audit(user, "import", plan=plan, after={"source": name, "tasks": plan.tasks.count(), "document": index,
                                            "unmatched_units": unmatched[:20], "warnings": parsed.warnings[:5],
                                            "shortened": shortened[:50], "shortened_count": len(shortened),
                                            "plan_title_length": len(plan_title)})
    return plan

"""A plan as a readable outline for the terminal, with its targets marked."""

from __future__ import annotations

from .model import Document, Item, Plan, Target

_INDENT = "  "


def render_outline(plan: Plan) -> str:
    blocks = [_render_document(d) for d in plan.documents]
    return "\n\n".join(blocks) if blocks else "(no document found)"


def _render_document(document: Document) -> str:
    kind = "工作总结 summary" if document.kind == "summary" else "工作要点 plan"
    head = f"{document.title or '(untitled)'}  [{kind}, {document.year or 'year unknown'}]"
    lines = [head, "=" * min(len(head) * 2, 80)]
    if document.issuer:
        lines.append(f"issuer: {document.issuer}")
    lines += [f"{_INDENT}▲ {_target(t)}" for t in document.targets]
    lines += [f"{_INDENT}✓ {a.quote} → {_number(a.value)} {a.unit}" for a in document.actuals]
    for item in document.items:
        lines += _render_item(item, 0)
    if document.problems:
        lines.append("存在问题 problems:")
        lines += [f"{_INDENT}- {p}" for p in document.problems]
    return "\n".join(lines)


def _render_item(item: Item, depth: int) -> list[str]:
    pad = _INDENT * depth
    lines = [f"{pad}{item.marker} {item.title}"]
    detail = pad + _INDENT
    lines += [f"{detail}▲ {_target(t)}" for t in item.targets]
    lines += [f"{detail}✓ {a.quote} → {_number(a.value)} {a.unit}" for a in item.actuals]
    lines += [f"{detail}⏰ {d.quote} → {d.date}" for d in item.deadlines]
    lines += [f"{detail}📄 {d.verb}《{d.name}》" for d in item.deliverables]
    if item.lead_units or item.support_units:
        lines.append(f"{detail}👥 牵头 {'、'.join(item.lead_units) or '—'}；配合 {'、'.join(item.support_units) or '—'}")
    for child in item.children:
        lines += _render_item(child, depth + 1)
    return lines


def _target(target: Target) -> str:
    value = _number(target.value)
    if target.comparator == "between" and target.value_max is not None:
        value = f"{value}–{_number(target.value_max)}"
    due = f" by {target.deadline}" if target.deadline else ""
    return f"{target.indicator}: {target.comparator} {value} {target.unit}{due}"


def _number(value: float) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)

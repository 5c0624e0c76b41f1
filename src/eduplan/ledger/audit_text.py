"""The audit trail in sentences people read: "基础教育处 签收", "督查室 批准延期：2026-11-15 → 2026-12-31".

An entry keeps the codes it was written with (assign, review-extend-approved, role: lead); this module is the
only place that turns them into words. An action it does not know still reads as a sentence: its fields by
their names, its values in words.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from eduplan.reader.numerals import plain

from .models import Assignment, Request, Target, Task

FIELD_NAMES = {
    "title": gettext_lazy("标题"),
    "content": gettext_lazy("具体内容"),
    "section": gettext_lazy("重点任务"),
    "status": gettext_lazy("状态"),
    "due_date": gettext_lazy("完成时限"),
    "extension_count": gettext_lazy("延期次数"),
    "org": gettext_lazy("单位"),
    "role": gettext_lazy("角色"),
    "period": gettext_lazy("月份"),
    "progress": gettext_lazy("完成情况"),
    "next_steps": gettext_lazy("下一步计划"),
    "problems": gettext_lazy("存在问题"),
    "values": gettext_lazy("指标值"),
    "text": gettext_lazy("内容"),
    "recipients": gettext_lazy("通知人数"),
    "indicator": gettext_lazy("指标"),
    "comparator": gettext_lazy("比较"),
    "value": gettext_lazy("目标值"),
    "value_max": gettext_lazy("上限"),
    "unit": gettext_lazy("计量单位"),
    "quote": gettext_lazy("原文"),
    "source": gettext_lazy("来源文件"),
    "tasks": gettext_lazy("事项数"),
    "rows": gettext_lazy("行数"),
    "target": gettext_lazy("目标"),
    "new_task": gettext_lazy("拆出的事项"),
    "merged_title": gettext_lazy("并入的事项"),
    "warnings": gettext_lazy("提示"),
    "reason": gettext_lazy("理由"),
    "note": gettext_lazy("说明"),
}
# Codes a value may hold, by field: the words the pages use for them.
VALUE_WORDS = {
    # pending is a request's 待审核 and an assignment's 待签收: only an assignment's status stands alone in an entry
    "status": {
        **dict(Request.Status.choices),
        **dict(Task.Status.choices),
        **dict(Assignment.Status.choices),
    },
    "role": dict(Assignment.Role.choices),
    "comparator": dict(Target.Comparator.choices),
}
REVIEW_VERBS = {"approved": gettext_lazy("批准"), "returned": gettext_lazy("退回")}


def sentence(entry) -> str:
    """The whole entry as one sentence, its subject the acting unit (or 系统)."""
    return f"{subject(entry)} {predicate(entry)}"


def subject(entry) -> str:
    actor = entry.actor
    if actor is None:
        return entry.actor_name or _("系统")
    return str(actor.org) if actor.org_id else str(actor)


def predicate(entry) -> str:
    action, before, after = entry.action, _dict(entry.before), _dict(entry.after)
    if action.startswith("review-"):
        return _review(action, before, after)
    if action.startswith("request-"):
        asked = _("提出%(kind)s申请") % {"kind": _kind(action.removeprefix("request-"))}
        if after.get("new_due_date"):  # 提出延期申请：2026-11-15 → 2026-12-31
            return f"{asked}：{before.get('due_date') or '—'} → {after['new_due_date']}"
        return asked
    describe = _DESCRIBERS.get(action)
    if describe is not None:
        return describe(before, after)
    return _("修改：%(changes)s") % {"changes": changes_text(before, after)}


def _review(action: str, before: dict, after: dict) -> str:
    """review-<kind>-<status>: 批准延期：2026-11-15 → 2026-12-31, 退回办结申请."""
    kind, _dash, status = action.removeprefix("review-").rpartition("-")
    verb = REVIEW_VERBS.get(status, status)
    if status == "approved" and kind == Request.Kind.EXTEND:
        return _("批准延期：%(old)s → %(new)s") % {
            "old": before.get("due_date") or "—",
            "new": after.get("due_date") or "—",
        }
    if status == "approved":
        return f"{verb}{_kind(kind)}"
    return _("%(verb)s%(kind)s申请") % {"verb": verb, "kind": _kind(kind)}


def _kind(code: str) -> str:
    return str(dict(Request.Kind.choices).get(code, code))


def _dict(value) -> dict:
    return value if isinstance(value, dict) else {}


def value_text(field: str, value) -> str:
    if value in (None, ""):
        return "—"
    words = VALUE_WORDS.get(field, {})
    if isinstance(value, str):
        text = str(words.get(value, value))
    else:
        text = str(plain(value) if isinstance(value, float) else value)  # 3600, never 3600.0
    return text if len(text) <= 80 else text[:79] + "…"


def field_name(field: str) -> str:
    return str(FIELD_NAMES.get(field, field))


def changes_text(before: dict, after: dict) -> str:
    """Each field that differs: 完成时限：2027-08-31 → 2027-09-30; a field only after: 单位：江东区."""
    parts = []
    for field in [*after, *(k for k in before if k not in after)]:
        old, new = before.get(field), after.get(field)
        if field in before and old == new:
            continue
        if field in before:
            parts.append(f"{field_name(field)}：{value_text(field, old)} → {value_text(field, new)}")
        else:
            parts.append(f"{field_name(field)}：{value_text(field, new)}")
    return "；".join(parts) or _("无变化")


def _assign(before: dict, after: dict) -> str:
    return _("交办 %(org)s（%(role)s），时限 %(due)s") % {
        "org": after.get("org", "—"),
        "role": value_text("role", after.get("role")),
        "due": value_text("", after.get("due_date")),
    }


def _sign(before: dict, after: dict) -> str:
    return _("签收")


def _report(before: dict, after: dict) -> str:
    period = str(after.get("period", ""))[:7]
    return _("报送 %(period)s 进展：%(progress)s") % {
        "period": period,
        "progress": value_text("", after.get("progress")),
    }


def _edit(before: dict, after: dict) -> str:
    return _("修改事项：%(changes)s") % {"changes": changes_text(before, after)}


def _target(before: dict, after: dict) -> str:
    if not before:
        figure = " ".join(value_text(k, after.get(k)) for k in ("indicator", "comparator", "value"))
        return _("新增目标：%(target)s%(unit)s") % {"target": figure, "unit": after.get("unit") or ""}
    return _("修改目标：%(changes)s") % {"changes": changes_text(before, after)}


def _milestone(before: dict, after: dict) -> str:
    return _("添加节点：%(title)s（%(due)s）") % {
        "title": after.get("title", ""),
        "due": value_text("", after.get("due_date")),
    }


def _comment(before: dict, after: dict) -> str:
    return _("批示：%(text)s") % {"text": value_text("", after.get("text"))}


def _urge(before: dict, after: dict) -> str:
    return _("催办：%(text)s（通知 %(count)s 人）") % {
        "text": value_text("", after.get("text")),
        "count": after.get("recipients", 0),
    }


def _split(before: dict, after: dict) -> str:
    return _("拆分事项，后半部分成为新事项")


def _merge(before: dict, after: dict) -> str:
    return _("并入下一项“%(title)s”") % {"title": after.get("merged_title", "")}


def _link(before: dict, after: dict) -> str:
    indicator = after.get("indicator") or _("无指标可衡量")
    return _("确认目标“%(target)s”的监测指标：%(indicator)s") % {
        "target": after.get("target", ""),
        "indicator": indicator,
    }


def _remind(before: dict, after: dict) -> str:
    return _("提醒：%(text)s") % {"text": value_text("", after.get("text"))}


def _publish(before: dict, after: dict) -> str:
    return _("发布计划（%(count)s 项）") % {"count": after.get("tasks", "")}


def _import(before: dict, after: dict) -> str:
    return _("导入计划文件 %(source)s（%(count)s 项）") % {
        "source": after.get("source", ""),
        "count": after.get("tasks", ""),
    }


def _import_xlsx(before: dict, after: dict) -> str:
    return _("导入台账 %(source)s（%(count)s 行）") % {
        "source": after.get("source", ""),
        "count": after.get("rows", ""),
    }


def _unassign(before: dict, after: dict) -> str:
    return _("撤销交办 %(org)s（%(role)s）") % {
        "org": before.get("org", "—"),
        "role": value_text("role", before.get("role")),
    }


def _transfer(before: dict, after: dict) -> str:
    return _("转办：%(old)s → %(new)s（%(role)s）") % {
        "old": before.get("org", "—"),
        "new": after.get("org", "—"),
        "role": value_text("role", after.get("role")),
    }


def _target_delete(before: dict, after: dict) -> str:
    figure = " ".join(value_text(k, before.get(k)) for k in ("indicator", "comparator", "value"))
    return _("删除目标：%(target)s%(unit)s") % {"target": figure, "unit": before.get("unit") or ""}


def _report_correct(before: dict, after: dict) -> str:
    return _("更正 %(period)s 进展：%(changes)s") % {
        "period": after.get("period", ""),
        "changes": changes_text(before, after),
    }


def _report_withdraw(before: dict, after: dict) -> str:
    return _("撤回 %(period)s 进展：%(progress)s") % {
        "period": before.get("period", ""),
        "progress": value_text("", before.get("progress")),
    }


def _plan_rename(before: dict, after: dict) -> str:
    return _("计划更名：%(old)s → %(new)s") % {
        "old": before.get("title", "—"),
        "new": after.get("title", "—"),
    }


def _plan_status(verb):
    return lambda before, after: (
        _("%(verb)s计划“%(title)s”") % {"verb": verb, "title": (after or before).get("title", "")}
    )


def _carry_in(before: dict, after: dict) -> str:
    return _("由上年计划结转而来：%(changes)s") % {"changes": changes_text({}, after)}


def _carry_out(before: dict, after: dict) -> str:
    return _("结转至“%(plan)s”") % {"plan": after.get("to", "")}


def _instruction_answer(before: dict, after: dict) -> str:
    return _("报告批示落实情况：%(text)s") % {"text": value_text("", after.get("落实情况"))}


def _warn_days(before: dict, after: dict) -> str:
    return _("设置预警天数：%(old)s → %(new)s 天") % {"old": before.get("days", "—"), "new": after.get("days", "—")}


def _statistics_import(before: dict, after: dict) -> str:
    return _("导入 %(year)s 年统计数据（%(rows)s 行）：%(files)s") % {
        "year": after.get("year", "—"),
        "rows": after.get("rows", "—"),
        "files": "、".join(after.get("files") or []) or "—",
    }


def _statistics_import_refused(before: dict, after: dict) -> str:
    return _("统计数据导入未成功（%(files)s）：%(reason)s") % {
        "files": "、".join(after.get("files") or []) or _("未选择文件"),
        "reason": after.get("reason", "—"),
    }


_DESCRIBERS = {
    "warn-days": _warn_days,
    "assign": _assign,
    "sign": _sign,
    "report": _report,
    "edit": _edit,
    "target": _target,
    "milestone": _milestone,
    "comment": _comment,
    "urge": _urge,
    "split": _split,
    "merge": _merge,
    "link_indicator": _link,
    "remind": _remind,
    "publish": _publish,
    "import": _import,
    "import-xlsx": _import_xlsx,
    "unassign": _unassign,
    "transfer": _transfer,
    "target-delete": _target_delete,
    "report-correct": _report_correct,
    "report-withdraw": _report_withdraw,
    "plan-rename": _plan_rename,
    "plan-archive": _plan_status(gettext_lazy("归档")),
    "plan-unarchive": _plan_status(gettext_lazy("恢复")),
    "unpublish": _plan_status(gettext_lazy("撤回发布")),
    "plan-delete": _plan_status(gettext_lazy("删除")),
    "carry-in": _carry_in,
    "carry-out": _carry_out,
    "instruction-answer": _instruction_answer,
    "statistics-import": _statistics_import,
    "statistics-import-refused": _statistics_import_refused,
}

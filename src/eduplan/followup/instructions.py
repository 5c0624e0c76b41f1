"""领导批示 followed up: a leader's 批示 notifies the lead unit and the office; the lead unit answers how it
acted on it, and until then the 批示 is 待落实 (todo.py, the dashboard's list)."""

from __future__ import annotations

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from eduplan.ledger import policy, services
from eduplan.ledger.models import Assignment, Comment, Task, User
from eduplan.ledger.services import Invalid, _notice

from .models import InstructionAnswer

MAX_ANSWER = 2000


def lead_org(task: Task):
    lead = task.assignments.filter(role=Assignment.Role.LEAD).select_related("org").first()
    return lead.org if lead else None


@receiver(post_save, sender=Comment, dispatch_uid="followup-instruction-notices")
def notify_instruction(sender, instance: Comment, created: bool, **kwargs) -> None:
    """Whatever wrote the 批示 (page or API), the lead unit and the office hear of it, the leader gets a receipt."""
    author = instance.author
    if not created or author is None or author.role != User.Role.LEADER:
        return
    task, text = instance.task, f"领导批示（{author}）：{instance.text}"
    org = lead_org(task)
    if org is not None:
        services.notify_org(org, task, "instruction", f"{text}。请落实并在事项页报告落实情况")
    for office in User.objects.filter(role=User.Role.OFFICE, is_active=True):
        _notice(office, task, "instruction", text)
    whom = org.name if org else "督查室（事项尚未交办牵头单位）"
    _notice(author, task, "instruction-sent", f"您的批示已送达{whom}：{task.title}")


def can_answer(user, comment: Comment) -> bool:
    assignment = policy.acting_assignment(user, comment.task)
    return bool(
        assignment
        and assignment.role == Assignment.Role.LEAD
        and comment.task.is_open
        and comment.author is not None
        and comment.author.role == User.Role.LEADER
    )


@transaction.atomic
def answer(user, comment: Comment, text: str) -> InstructionAnswer:
    comment = (
        Comment.objects.select_for_update(of=("self",)).select_related("task", "author").get(pk=comment.pk)
    )
    policy.require(can_answer(user, comment), "只有牵头单位可以报告批示落实情况")
    text = text.strip()
    if not text:
        raise Invalid("请填写落实情况")
    if len(text) > MAX_ANSWER:
        raise Invalid(f"落实情况最多 {MAX_ANSWER} 字，现为 {len(text)} 字")
    entry = InstructionAnswer.objects.create(comment=comment, org=user.org, author=user, text=text)
    # the audit entry moves the item page's cache key, so the answer shows at once
    services.audit(
        user,
        "instruction-answer",
        task=comment.task,
        after={"批示": comment.text[:100], "落实情况": text[:200]},
    )
    note = f"{user.org}已报告批示落实情况：{text[:100]}"
    _notice(comment.author, comment.task, "instruction-answer", note)
    for office in User.objects.filter(role=User.Role.OFFICE, is_active=True):
        _notice(office, comment.task, "instruction-answer", note)
    return entry

"""Notice e-mails that name the item and link to it, so a reader can act from the mail alone.

The link's host is EDUPLAN_SITE_URL (what users type to reach the platform), by default the local server.
"""

from __future__ import annotations

import logging
import os

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse

log = logging.getLogger(__name__)


def site_url() -> str:
    return os.environ.get("EDUPLAN_SITE_URL", "http://127.0.0.1:8000").rstrip("/")


def task_link(task) -> str:
    return site_url() + reverse("ledger:task", args=[task.pk])


def subject(task, text: str) -> str:
    head = f"[督办] {task.title[:40]}" if task is not None else "[督办]"
    return f"{head}：{text[:40]}" if task is not None else f"{head} {text[:60]}"


def body(task, text: str) -> str:
    if task is None:
        return f"{text}\n\n{site_url()}/"
    return (
        f"{text}\n\n事项：{task.title}\n完成时限：{task.due_date or '—'}\n"
        f"查看与办理：{task_link(task)}\n\n（本邮件由督办台账自动发送）"
    )


def send_notice_mail(recipient, task, text: str) -> bool:
    """One mail; a mail server that is down costs the mail, never the notice or the page (logged)."""
    if not getattr(recipient, "email", ""):
        return False
    try:
        send_mail(subject(task, text), body(task, text), settings.DEFAULT_FROM_EMAIL, [recipient.email])
    except Exception:  # noqa: BLE001  any transport error: SMTP, socket, refused address
        log.warning("notice mail to %s failed", recipient.email, exc_info=True)
        return False
    return True

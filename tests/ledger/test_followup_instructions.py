"""领导批示 followed up (issue 17, item 3): the lead unit and the office are told, the 批示 is 待落实 until the
lead unit answers it, the dashboard lists the open ones; e-mails name the item and link to it."""

from __future__ import annotations

from django.core import mail

from eduplan.followup.models import InstructionAnswer
from eduplan.ledger.models import AuditEntry, Comment, Notice


def _instruct(page, task, text="请加快进度，月底前见成效"):
    page("leader").post(f"/tasks/{task.pk}/comment/", {"text": text})
    return Comment.objects.get(text=text)


def test_a_leaders_instruction_reaches_the_lead_unit_and_the_office(page, task, users):
    _instruct(page, task)
    for name in ("basic", "office"):
        notice = Notice.objects.get(recipient=users[name], kind="instruction")
        assert "请加快进度" in notice.text and notice.task == task
    assert not Notice.objects.filter(
        recipient=users["jiangdong"], kind="instruction"
    ).exists()  # co-operating
    assert Notice.objects.filter(recipient=users["leader"], kind="instruction-sent").exists()
    sent = [m for m in mail.outbox if "basic@example.test" in m.to and "领导批示" in m.body]
    assert sent and task.title in sent[0].subject and f"/tasks/{task.pk}/" in sent[0].body


def test_open_until_the_lead_unit_answers(page, task, users):
    comment = _instruct(page, task)
    assert "批示待落实 <strong>1</strong>" in page("basic").get("/todo/").content.decode()
    panel = page("leader").get("/todo/panel/").content.decode()
    assert 'id="open-instructions"' in panel and task.title in panel
    item = page("basic").get(f"/tasks/{task.pk}/").content.decode()
    assert "待落实" in item and f"/instructions/{comment.pk}/answer/" in item

    response = page("basic").post(
        f"/instructions/{comment.pk}/answer/", {"text": "已召开推进会，月底完成"}, follow=True
    )
    assert "已报告批示落实情况" in response.content.decode()
    assert "已召开推进会" in page("office").get(f"/tasks/{task.pk}/").content.decode()  # the page moved on
    assert "批示待落实 <strong>0</strong>" in page("basic").get("/todo/").content.decode()
    assert 'id="open-instructions"' not in page("leader").get("/todo/panel/").content.decode()
    assert Notice.objects.filter(recipient=users["leader"], kind="instruction-answer").exists()
    assert AuditEntry.objects.filter(task=task, action="instruction-answer").exists()


def test_only_the_lead_unit_answers_and_an_empty_answer_is_refused(page, task, users):
    comment = _instruct(page, task)
    assert page("jiangdong").post(f"/instructions/{comment.pk}/answer/", {"text": "x"}).status_code == 403
    assert page("jiangbei").post(f"/instructions/{comment.pk}/answer/", {"text": "x"}).status_code == 404
    response = page("basic").post(f"/instructions/{comment.pk}/answer/", {"text": "  "}, follow=True)
    assert "请填写落实情况" in response.content.decode()
    response = page("basic").post(f"/instructions/{comment.pk}/answer/", {"text": "长" * 2001}, follow=True)
    assert "最多 2000 字" in response.content.decode()
    assert page("basic").get(f"/instructions/{comment.pk}/answer/").status_code == 405
    assert not InstructionAnswer.objects.exists()


def test_an_urge_mail_names_the_item_and_links_to_it(page, task, users):
    page("office").post(f"/tasks/{task.pk}/urge/", {"text": "请本周内报送"})
    message = next(m for m in mail.outbox if "basic@example.test" in m.to)
    assert task.title in message.subject and task.title in message.body
    assert f"http://127.0.0.1:8000/tasks/{task.pk}/" in message.body

"""Closing evidence shown to the reviewer on the request, and every file of an item listed on its page
(issue 17, item 9; audit D9: the 办结 evidence was stored but never shown)."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from eduplan.ledger.models import Request


def test_the_office_sees_the_closing_evidence_on_the_request(page, signed_task):
    evidence = SimpleUploadedFile("验收报告.pdf", b"%PDF-1.4 acceptance", content_type="application/pdf")
    page("basic").post(
        f"/tasks/{signed_task.pk}/request/", {"kind": "close", "reason": "全部建成", "evidence": evidence}
    )
    request = Request.objects.get()
    assert request.evidence
    body = page("office").get(f"/tasks/{signed_task.pk}/").content.decode()
    assert f'href="/files/request/{request.pk}/" download hx-boost="false">办结佐证：验收报告.pdf' in body


def test_every_file_of_the_item_is_listed_on_its_page(page, signed_task):
    attachment = SimpleUploadedFile("进展照片.png", b"\x89PNG\r\n\x1a\n", content_type="image/png")
    page("basic").post(f"/tasks/{signed_task.pk}/report/", {"progress": "已开工", "attachment": attachment})
    evidence = SimpleUploadedFile("验收报告.pdf", b"%PDF-1.4 acceptance", content_type="application/pdf")
    page("basic").post(
        f"/tasks/{signed_task.pk}/request/", {"kind": "close", "reason": "全部建成", "evidence": evidence}
    )
    body = page("office").get(f"/tasks/{signed_task.pk}/").content.decode()
    listed = body[body.index('id="evidence"') :]
    assert '佐证材料 <small class="muted">2 份</small>' in body
    assert "进展报送" in listed and "办结申请（待审核）" in listed and "基础教育处" in listed
    assert "验收报告.pdf" in listed and "进展照片.png" in listed
    assert f'href="/files/request/{Request.objects.get().pk}/"' in listed  # the checked download, never /media/
    assert 'id="evidence"' not in page("office").get(f"/tasks/{signed_task.pk + 1}/").content.decode()

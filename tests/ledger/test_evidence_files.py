"""Evidence files (audit H1): only allowed kinds by content, random stored names, handed out only to users
who see the item, and always as a download that cannot run in our origin."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from eduplan.ledger.models import ProgressReport, Request

HTML = b"<html><script>fetch('/tasks/2/comment/',{method:'POST'})</script></html>"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def _report(page, task, name: str, data: bytes):
    upload = SimpleUploadedFile(name, data)
    return page("basic").post(f"/tasks/{task.pk}/report/", {"progress": "按计划推进", "attachment": upload},
                              follow=True)


@pytest.mark.parametrize("name, data", [
    ("进展佐证.html", HTML), ("x.svg", b"<svg xmlns='http://www.w3.org/2000/svg'><script>1</script></svg>"),
    (".htaccess", b"SetHandler x"), ("fake.pdf", HTML), ("fake.png", HTML), ("fake.docx", b"PK\x03\x04junk"),
    ("binary.txt", b"\x00\x01\x02MZ"), ("noext", PDF),
])
def test_a_file_not_on_the_allow_list_by_name_and_content_is_refused_with_a_message(page, signed_task, name, data):
    response = _report(page, signed_task, name, data)
    text = response.content.decode()
    assert "可上传" in text and name in text
    assert not ProgressReport.objects.exists()  # nothing stored, the report included


@pytest.mark.parametrize("name, data", [
    ("总结.pdf", PDF), ("照片.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 20), ("照片.JPG", b"\xff\xd8\xff\xe0" + b"0" * 20),
    ("说明.txt", "完成情况说明".encode("gb18030")), ("方案.docx", _docx()),
    ("旧表.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100),
])
def test_allowed_kinds_are_stored_under_a_random_name_and_keep_their_own(page, signed_task, name, data):
    _report(page, signed_task, name, data)
    entry = ProgressReport.objects.get()
    assert entry.attachment_name == name
    stored = Path(entry.attachment.name)
    assert name not in str(stored) and stored.suffix == "" and len(stored.name) == 32
    assert (Path(settings.MEDIA_ROOT) / stored).read_bytes() == data


def test_the_download_is_an_attachment_with_its_name_nosniff_and_a_sandbox(page, signed_task):
    _report(page, signed_task, "总结 报告.pdf", PDF)
    entry = ProgressReport.objects.get()
    html = page("leader").get(f"/tasks/{signed_task.pk}/").content.decode()
    url = f"/files/report/{entry.pk}/"
    assert url in html and "总结 报告.pdf" in html
    response = page("leader").get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    assert response["Content-Disposition"] == "attachment; filename*=utf-8''%E6%80%BB%E7%BB%93%20%E6%8A%A5%E5%91%8A.pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"].startswith("sandbox")
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize("outsider", ["teachers", "jiangbei"])
def test_users_who_cannot_see_the_item_get_404_for_its_file(page, signed_task, outsider):
    _report(page, signed_task, "总结.pdf", PDF)
    entry = ProgressReport.objects.get()
    assert page(outsider).get(f"/tasks/{signed_task.pk}/").status_code == 404
    assert page(outsider).get(f"/files/report/{entry.pk}/").status_code == 404
    assert page(outsider).get(f"/media/{entry.attachment.name}").status_code == 404  # the old route: no way round
    for insider in ("leader", "office", "basic", "jiangdong"):
        assert page(insider).get(f"/files/report/{entry.pk}/").status_code == 200


def test_anonymous_users_are_sent_to_sign_in(client, page, signed_task):
    _report(page, signed_task, "总结.pdf", PDF)
    entry = ProgressReport.objects.get()
    response = client.get(f"/files/report/{entry.pk}/")
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_the_close_request_evidence_is_checked_shown_to_the_office_and_served_the_same_way(page, signed_task):
    url = f"/tasks/{signed_task.pk}/request/"
    refused = page("basic").post(url, {"kind": "close", "reason": "已完成",
                                       "evidence": SimpleUploadedFile("close-proof.svg", b"<svg/>")}, follow=True)
    assert "可上传" in refused.content.decode() and not Request.objects.exists()
    page("basic").post(url, {"kind": "close", "reason": "已完成", "evidence": SimpleUploadedFile("验收.pdf", PDF)})
    entry = Request.objects.get()
    assert entry.evidence_name == "验收.pdf"
    assert f"/files/request/{entry.pk}/" in page("office").get(f"/tasks/{signed_task.pk}/").content.decode()
    assert page("office").get(f"/files/request/{entry.pk}/")["Content-Disposition"].startswith("attachment")
    assert page("teachers").get(f"/files/request/{entry.pk}/").status_code == 404


def test_a_file_stored_before_the_allow_list_is_still_served_but_only_as_bytes_to_download(page, signed_task):
    """An .html stored by the old code under its own name: its old /media/ link leads to the checked
    download, which hands it out as octet-stream, never text/html."""
    old = Path(settings.MEDIA_ROOT) / "evidence/2026/12/evidence_16.html"
    old.parent.mkdir(parents=True)
    old.write_bytes(HTML)
    entry = ProgressReport.objects.create(task=signed_task, org=signed_task.assignments.first().org,
                                          period="2026-12-01", progress="旧", attachment="evidence/2026/12/evidence_16.html",
                                          attachment_name="evidence_16.html")
    for url in ("/media/evidence/2026/12/evidence_16.html", f"/files/report/{entry.pk}/"):
        response = page("leader").get(url)
        assert b"".join(response.streaming_content) == HTML
        assert response["Content-Type"] == "application/octet-stream"
        assert response["Content-Disposition"] == "attachment; filename=\"evidence_16.html\""
    assert page("teachers").get("/media/evidence/2026/12/evidence_16.html").status_code == 404
    assert page("leader").get("/media/evidence/2026/12/nothing.html").status_code == 404
    assert page("leader").get("/files/report/999/").status_code == 404


def test_an_htmx_request_for_a_file_is_turned_into_a_navigation(page, signed_task):
    """A boosted link would put the file into the page, where its scripts run: never the bytes to htmx."""
    _report(page, signed_task, "说明.txt", b"<script>alert(1)</script>")
    entry = ProgressReport.objects.get()
    response = page("leader").get(f"/files/report/{entry.pk}/", HTTP_HX_REQUEST="true")
    assert response.status_code == 204 and response["HX-Redirect"] == f"/files/report/{entry.pk}/"
    assert 'download hx-boost="false"' in page("leader").get(f"/tasks/{signed_task.pk}/").content.decode()

"""Every file the platform reads is read within bounds (audit H2, M4): compressed bombs made here are each
refused within 10 s and 500 MB with a Chinese message, through the pages and the API; a malformed sheet
gives a message, not a 500. The memory is measured in a second pass (tracemalloc slows the first)."""

from __future__ import annotations

import time
import tracemalloc

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from bombs import (
    docx_inflating_to,
    pdf_inflating_to,
    pdf_text_bomb,
    xlsx_malformed,
    xlsx_rows_bomb,
    xlsx_shared_strings_bomb,
)
from eduplan.ledger.models import Plan

SECONDS, PEAK_BYTES = 10, 500 * 1024 * 1024
REFUSED = "超出处理上限"


@pytest.fixture(scope="module")
def bombs() -> dict[str, bytes]:
    return {"inflate.pdf": pdf_inflating_to(100),  # one stream of 100 MB
            "textbomb.pdf": pdf_text_bomb(20),  # the audit's 62 KB file: 20 MB of text operators
            "inflate.docx": docx_inflating_to(200),  # document.xml of 200 MB
            "strings.xlsx": xlsx_shared_strings_bomb(10_000_000),  # the audit's 442 KB file: 250 MB of XML
            "rows.xlsx": xlsx_rows_bomb(2_000_000)}  # a sheet of 2 M rows, 260 MB of XML


def _bounded(send) -> str:
    """The page's text; fails unless the request took under SECONDS and under PEAK_BYTES."""
    started = time.monotonic()
    text = send()
    elapsed = time.monotonic() - started
    tracemalloc.start()
    try:
        send()
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert elapsed < SECONDS, f"{elapsed:.1f} s"
    assert peak < PEAK_BYTES, f"{peak // 2**20} MB"
    return text


@pytest.mark.slow
@pytest.mark.parametrize("name", ["inflate.pdf", "textbomb.pdf"])
def test_a_pdf_bomb_in_the_comparison_is_refused_for_any_role(page, users, bombs, name):
    def send():
        files = {"file_a": SimpleUploadedFile(name, bombs[name]),
                 "file_b": SimpleUploadedFile("b.txt", "一、总体要求\n1.推进。".encode())}
        return page("school").post("/reports/compare/", files).content.decode()

    text = _bounded(send)
    assert REFUSED in text and name in text


@pytest.mark.slow
@pytest.mark.parametrize("name", ["inflate.pdf", "textbomb.pdf", "inflate.docx"])
def test_a_pdf_bomb_as_a_plan_is_refused_on_the_page_and_through_the_api(page, api, users, bombs, name):
    text = _bounded(lambda: page("office").post("/plans/import/", {"file": SimpleUploadedFile(name, bombs[name])},
                                                follow=True).content.decode())
    assert REFUSED in text
    answer = api("office").post("/api/plans/import/", {"file": SimpleUploadedFile(name, bombs[name])},
                                format="multipart")
    assert answer.status_code == 400 and REFUSED in answer.json()["detail"]
    assert not Plan.objects.exists()


@pytest.mark.slow
@pytest.mark.parametrize("name", ["strings.xlsx", "rows.xlsx"])
def test_an_xlsx_bomb_as_a_ledger_is_refused_on_the_page_and_through_the_api(page, api, users, bombs, name):
    text = _bounded(lambda: page("office").post("/import-ledger/", {"file": SimpleUploadedFile(name, bombs[name])},
                                                follow=True).content.decode())
    assert REFUSED in text
    answer = api("office").post("/api/ledger/import/", {"file": SimpleUploadedFile(name, bombs[name])},
                                format="multipart")
    assert answer.status_code == 400 and REFUSED in answer.json()["detail"]
    assert not Plan.objects.exists()


def test_many_rows_under_the_size_bound_are_refused_while_reading(page, users):
    """A sheet small enough to pass the size check is still bounded row by row."""
    data = xlsx_rows_bomb(20_000)
    text = page("office").post("/import-ledger/", {"file": SimpleUploadedFile("many.xlsx", data)},
                               follow=True).content.decode()
    assert "行数超过上限" in text or REFUSED in text
    assert not Plan.objects.exists()


@pytest.mark.parametrize("kind", ["entity", "broken"])
def test_a_malformed_sheet_is_a_message_not_a_500(page, api, users, kind):
    data = xlsx_malformed(kind)
    response = page("office").post("/import-ledger/", {"file": SimpleUploadedFile("bad.xlsx", data)}, follow=True)
    assert response.status_code == 200 and "Excel 文件" in response.content.decode()
    answer = api("office").post("/api/ledger/import/", {"file": SimpleUploadedFile("bad.xlsx", data)},
                                format="multipart")
    assert answer.status_code == 400 and "Excel 文件" in answer.json()["detail"]


def test_the_ledger_imports_refusal_matches_its_declared_schema(api, users):
    """Audit L4 (schemathesis ST108): a 400 with only `detail` broke the declared 400 body."""
    schema = api("office").get("/api/schema/?format=json").json()
    answer = schema["paths"]["/api/ledger/import/"]["post"]["responses"]["400"]["content"]["application/json"]
    name = answer["schema"]["$ref"].rsplit("/", 1)[1]
    assert schema["components"]["schemas"][name]["required"] == ["detail"]
    refused = api("office").post("/api/ledger/import/", {}, format="multipart")
    assert refused.status_code == 400 and set(refused.json()) == {"detail"}

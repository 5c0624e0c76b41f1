"""Every size a user reads (an upload limit, a refused file's size) is in MB, through one helper (issue 17,
item 11: the statistics import said "上限 10240 KB" where the plan import said "上限 10 MB")."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from eduplan.ledger.models import Plan
from eduplan.limits import MB, size_and_limit, size_text


def test_sizes_read_in_mb():
    assert (size_text(10 * MB), size_text(int(10.4 * MB)), size_text(500), size_text(0)) == (
        "10 MB",
        "10.4 MB",
        "0.1 MB",
        "0 MB",
    )
    assert size_and_limit(10 * MB + 200_000, 10 * MB) == {"size": "10.2 MB", "limit": "10 MB"}
    assert size_and_limit(5000, 1000) == {"size": "0.005 MB", "limit": "0.001 MB"}  # told apart


# a figure and its unit standing apart from letters and digits: a random csrf token may hold "7KB"
_SIZE = r"(?<![A-Za-z0-9.])\d[\d.,]*\s*(?:{units})(?![A-Za-z0-9])"


def _sizes(html: str) -> list[str]:
    return re.findall(_SIZE.format(units="KB|MB|MiB|KiB|GB|字节"), html)


def _kilobytes(html: str) -> list[str]:
    return re.findall(_SIZE.format(units="KB|KiB"), html)


def test_the_limit_hints_say_mb(page, settings):
    settings.MAX_UPLOAD_BYTES = 10 * MB
    office = page("office")
    assert _sizes(office.get("/plans/import/").content.decode()) == ["10 MB"]
    statistics = office.get("/indicators/import/").content.decode()
    assert "上限 10 MB" in statistics and not _kilobytes(statistics)


@pytest.mark.parametrize("path", ["/plans/import/", "/indicators/import/"])
def test_a_refused_file_and_its_limit_say_mb(page, settings, path):
    settings.MAX_UPLOAD_BYTES = settings.EDUPLAN_STATS_MAX_UPLOAD_BYTES = 1024
    field, name = ("file", "big.txt") if path.startswith("/plans") else ("files", "big.xlsx")
    upload = SimpleUploadedFile(name, b"PK\x03\x04" + b"0" * 4096)
    html = page("office").post(path, {field: upload, "year": "2025"}, follow=True).content.decode()
    assert "文件过大（0.004 MB），上限为 0.001 MB" in html
    assert not _kilobytes(html) and not Plan.objects.exists()


def test_the_request_size_guard_says_mb(page, settings):
    settings.MAX_UPLOAD_BYTES = 1024
    response = page("office").post("/plans/import/", {"file": SimpleUploadedFile("a.txt", b"x" * 400_000)})
    body = response.content.decode()
    assert response.status_code == 413 and "MB" in body and not _kilobytes(body)

"""The statistics import reads within bounds (audit M4): bombs refused within 10 s and 500 MB with a
Chinese message, a malformed sheet a message, the year's statistics unchanged either way."""

from __future__ import annotations

import time
import tracemalloc

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from stats_city import YEARS, query

from bombs import xlsx_malformed, xlsx_rows_bomb, xlsx_shared_strings_bomb

pytestmark = pytest.mark.django_db


def _values() -> list[tuple]:
    return query("SELECT year, unit_code, indicator_id, value FROM indicator_values ORDER BY ALL")


def _import(page, name: str, data: bytes) -> str:
    response = page("office").post("/indicators/import/", {"year": YEARS[-1] + 1,
                                                           "files": SimpleUploadedFile(name, data)}, follow=True)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.slow
@pytest.mark.parametrize("make", [lambda: xlsx_shared_strings_bomb(10_000_000),  # 250 MB of XML in 617 KB
                                  lambda: xlsx_rows_bomb(2_000_000, "schools"),  # 260 MB of XML
                                  lambda: xlsx_rows_bomb(250_000, "schools")])  # small enough to open: rows
def test_a_workbook_bomb_is_refused_within_bounds(page, make):
    data, before = make(), _values()
    started = time.monotonic()
    text = _import(page, "statistics.xlsx", data)
    elapsed = time.monotonic() - started
    tracemalloc.start()
    try:
        _import(page, "statistics.xlsx", data)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert "超出处理上限" in text and "未导入" in text
    assert elapsed < 10, f"{elapsed:.1f} s"
    assert peak < 500 * 2**20, f"{peak // 2**20} MB"
    assert _values() == before


@pytest.mark.parametrize("kind", ["entity", "broken"])
def test_a_malformed_workbook_is_a_message(page, kind):
    before = _values()
    text = _import(page, "statistics.xlsx", xlsx_malformed(kind))
    assert "未导入任何数据" in text
    assert _values() == before


def test_a_statistics_import_is_in_the_audit_trail(page, people, tmp_path, small_city):
    from eduplan.indicators.importer import write_template
    from eduplan.indicators.schema import connect
    from eduplan.ledger.models import AuditEntry
    from eduplan.monitoring import statistics

    path = tmp_path / "statistics.xlsx"
    statistics.reset_cache()
    con = connect(small_city)
    write_template(path, con, YEARS[-1])
    con.close()
    response = page("office").post("/indicators/import/", {"year": YEARS[-1] + 1,
                                                           "files": SimpleUploadedFile("s.xlsx", path.read_bytes())})
    assert response.status_code == 302
    entry = AuditEntry.objects.get(action="statistics-import")
    assert entry.actor_name == "office" and entry.after["year"] == YEARS[-1] + 1 and entry.after["rows"] > 0


@pytest.mark.parametrize("name, data, reason", [
    ("statistics.xlsx", xlsx_malformed("broken"), "未导入任何数据"),  # a damaged workbook
    ("notes.xlsx", b"this is not a workbook", "不是 .xlsx 工作簿"),  # refused before it is read
    ("schools.csv", "学校代码(school_code),名称\n1,机密学校名\n".encode(), "未通过校验"),  # rows that fail the rules
])
def test_a_refused_statistics_import_is_in_the_audit_trail_without_its_data(page, name, data, reason):
    from eduplan.ledger.audit_text import sentence
    from eduplan.ledger.models import AuditEntry

    before = _values()
    text = _import(page, name, data)
    entry = AuditEntry.objects.get(action="statistics-import-refused")
    assert reason in text and reason in entry.after["reason"]
    assert entry.actor_name == "office" and entry.after["files"] == [name]
    assert entry.after["year"] == str(YEARS[-1] + 1)
    assert "机密学校名" not in str(entry.after)  # why it failed, never what the file held
    assert name in sentence(entry) and reason in sentence(entry)
    assert not AuditEntry.objects.filter(action="statistics-import").exists()
    assert _values() == before

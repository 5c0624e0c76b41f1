"""Statistics import on the web (all or nothing, row-level report) and the pages' empty states."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook
from stats_city import YEARS, query

from eduplan.indicators.importer import write_template
from eduplan.indicators.schema import connect
from eduplan.monitoring import statistics

pytestmark = pytest.mark.django_db
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _values(year: int) -> list[tuple]:
    return query("SELECT level, unit_code, indicator_id, value FROM indicator_values WHERE year = ? ORDER BY ALL",
                 [year])


@pytest.fixture
def workbook(small_city, tmp_path):
    """The small city's last year as a filled template, then the statistics file without that year's values
    changed (the writer connection is closed before the pages read)."""
    path = tmp_path / "statistics.xlsx"
    statistics.reset_cache()
    con = connect(small_city)
    write_template(path, con, YEARS[-1])
    con.close()
    return path


def _upload(path, name: str | None = None, content_type: str = XLSX) -> SimpleUploadedFile:
    return SimpleUploadedFile(name or path.name, path.read_bytes(), content_type=content_type)


def _spoil(path, out):
    """One class far too large: a blocking rule fails on that row."""
    book = load_workbook(path)
    sheet = book["classes"]
    sheet.cell(row=2, column=[c.value for c in sheet[1]].index("班额（人）(size)") + 1, value=999)
    book.save(out)
    return out


def test_good_workbook_is_imported_and_the_year_recomputed(page, workbook, tmp_path):
    # fitness rates come from a derived table the statistics workbook does not carry
    before = [v for v in _values(YEARS[-1]) if not v[2].startswith("fitness_")]
    client = page("office")
    response = client.post("/indicators/import/", {"year": YEARS[-1] + 1, "files": _upload(workbook)})
    assert response.status_code == 302 and response["Location"].endswith(f"?year={YEARS[-1] + 1}")
    after = _values(YEARS[-1] + 1)
    assert len(after) == len(before)  # the same statistics, now also under the next year
    assert [v[:3] for v in after] == [v[:3] for v in before]
    html = client.get(response["Location"]).content.decode()
    assert "已导入" in html and f'<option value="{YEARS[-1] + 1}" selected>' in html


def test_bad_rows_are_reported_and_nothing_changes(page, workbook, tmp_path):
    before = _values(YEARS[-1])
    bad = _spoil(workbook, tmp_path / "bad.xlsx")
    response = page("admin").post("/indicators/import/", {"year": YEARS[-1], "files": _upload(bad)})
    html = response.content.decode()
    assert response.status_code == 200 and 'id="validation-report"' in html
    assert "未通过校验" in html and "阻止导入" in html and "classes" in html
    assert _values(YEARS[-1]) == before


@pytest.mark.parametrize("name, data, expected", [
    ("notes.xlsx", b"this is not a workbook", "不是 .xlsx 工作簿"),
    ("photo.png", b"\x89PNG\r\n\x1a\n", "请上传一个 .xlsx 工作簿"),
    ("schools.csv", "学校代码(school_code),名称\n1,a\n".encode(), "未通过校验"),
])
def test_bad_uploads_get_a_message_and_nothing_changes(page, small_city, name, data, expected):
    before = _values(YEARS[-1])
    response = page("office").post("/indicators/import/", {
        "year": YEARS[-1], "files": SimpleUploadedFile(name, data)})
    assert response.status_code == 200 and expected in response.content.decode()
    assert _values(YEARS[-1]) == before


def test_wrong_columns_are_named(page, small_city, tmp_path):
    book_path = tmp_path / "wrong.xlsx"
    statistics.reset_cache()
    con = connect(small_city)
    write_template(book_path, con, YEARS[-1])
    con.close()
    book = load_workbook(book_path)
    book["teachers"].cell(row=1, column=2, value="随便写的列")
    book.save(book_path)
    before = _values(YEARS[-1])
    html = page("office").post("/indicators/import/", {"year": YEARS[-1], "files": _upload(book_path)}
                               ).content.decode()
    assert "缺少字段" in html
    assert _values(YEARS[-1]) == before


def test_oversize_and_missing_year_are_refused(page, small_city, settings):
    settings.EDUPLAN_STATS_MAX_UPLOAD_BYTES = 1024
    before = _values(YEARS[-1])
    client = page("office")
    html = client.post("/indicators/import/", {"year": YEARS[-1],
                                               "files": SimpleUploadedFile("big.xlsx", b"PK\x03\x04" + b"0" * 4096)}
                       ).content.decode()
    assert "文件过大" in html
    html = client.post("/indicators/import/", {"year": "去年", "files": SimpleUploadedFile("a.xlsx", b"x")}
                       ).content.decode()
    assert "请填写统计年份" in html
    html = client.post("/indicators/import/", {"year": YEARS[-1]}).content.decode()
    assert "请选择要导入的统计文件" in html
    assert _values(YEARS[-1]) == before


def test_blank_template_download(page, small_city):
    response = page("office").get("/indicators/template.xlsx")
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert {"说明", "schools", "classes", "teachers"} <= set(book.sheetnames)
    assert book["schools"].max_row == 1  # headers only


@pytest.mark.parametrize("name", ["leader", "basic", "home", "school"])
def test_only_office_and_admin_import(page, small_city, name):
    assert page(name).get("/indicators/import/").status_code == 403
    assert page(name).post("/indicators/import/", {"year": 2024}).status_code == 403


# ---------------------------------------------------------------- empty states

def test_no_statistics_file(page, people, stats_path):
    stats_path.unlink()
    statistics.reset_cache()
    for url in ("/indicators/", "/indicators/kg_public_share/", "/indicators/kg_public_share/trace/3399/"):
        response = page("office").get(url)
        html = response.content.decode()
        assert response.status_code == 200 and "还没有统计数据" in html and "eduplan serve --demo" in html
        assert 'href="/indicators/import/"' in html  # the office can act on it
    assert 'href="/indicators/import/"' not in page("leader").get("/indicators/").content.decode()


def test_statistics_loaded_but_never_computed(page, people, stats_path):
    statistics.reset_cache()
    stats_path.unlink()
    connect(stats_path).close()
    html = page("leader").get("/indicators/kg_public_share/").content.decode()
    assert "统计数据尚未计算出指标" in html


def test_an_indicator_without_values(page, people, small_city):
    statistics.reset_cache()
    con = connect(small_city)
    con.execute("DELETE FROM indicator_values WHERE indicator_id = 'kg_gross_enrolment'")
    con.close()
    statistics.reset_cache()
    html = page("leader").get("/indicators/kg_gross_enrolment/").content.decode()
    assert "年没有这个指标的数值" in html
    row = page("leader").get("/indicators/").content.decode().split("学前三年毛入园率", 1)[1].split("</tr>", 1)[0]
    assert row.count('<td class="num">—</td>') == 3  # no city value, no district range


def test_unknown_indicator_and_unit(page, people):
    assert "没有这个指标" in page("leader").get("/indicators/no_such/").content.decode()
    response = page("leader").get("/indicators/kg_public_share/trace/nowhere/")
    assert response.status_code == 404 and "没有这个单位" in response.content.decode()


def test_task_page_without_statistics_says_no_data(page, plan, stats_path):
    stats_path.unlink()
    statistics.reset_cache()
    task = plan.tasks.order_by("position").first()
    html = page("office").get(f"/tasks/{task.id}/").content.decode()
    assert "该指标暂无统计数据" in html

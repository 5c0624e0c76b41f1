"""The reports pages: downloads per role, the month picker, empty states, and the comparison."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from docx import Document as open_docx

from eduplan.ledger.models import Plan, Target, Task

PLAN_2023 = """滨江市教育局2023年工作要点

一、扩大优质教育资源
1.增加普惠学位。年内新建改扩建公办幼儿园10所，新增学位3000个。
2.推进优质均衡。组建教育集团8个。
"""
PLAN_2024 = """滨江市教育局2024年工作要点

一、扩大优质教育资源
1.增加普惠学位。年内新建改扩建公办幼儿园12所，新增学位3000个。
2.推进优质均衡。组建教育集团6个。
3.发展职业教育。建设高水平专业群5个。
"""


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _docx_text(response) -> list[str]:
    return [p.text for p in open_docx(io.BytesIO(b"".join(response.streaming_content))).paragraphs]


@pytest.mark.parametrize("name", ["leader", "office", "admin"])
def test_the_whole_ledger_roles_download_the_summary(ledger, no_statistics, name):
    response = _client(ledger["users"][name]).get(f"/reports/plans/{ledger['plan'].pk}/summary.docx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.wordprocessingml")
    assert "attachment" in response["Content-Disposition"]
    assert "filename*=utf-8''%E6%BB%A8%E6%B1%9F" in response["Content-Disposition"]  # 滨江…, quoted
    text = _docx_text(response)
    assert text[0] == "滨江市教育局2024年工作总结" and "（一）增加普惠学位" in text


@pytest.mark.parametrize("name", ["basic", "jiangdong"])
def test_units_are_refused_the_whole_plan_documents(ledger, name):
    client = _client(ledger["users"][name])
    plan = ledger["plan"].pk
    for url in (f"/reports/plans/{plan}/summary.docx", f"/reports/plans/{plan}/monthly.docx?month=2024-11"):
        response = client.get(url)
        assert response.status_code == 403
        assert "只有局领导和督查室可以下载" in response.content.decode()
    page = client.get(f"/reports/plans/{plan}/").content.decode()
    assert 'id="limited"' in page and "/export.xlsx" in page and "summary.docx" not in page


def test_logged_out_goes_to_login(ledger):
    response = Client().get(f"/reports/plans/{ledger['plan'].pk}/summary.docx")
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_monthly_download_for_the_chosen_month(ledger):
    response = _client(ledger["users"]["office"]).get(f"/reports/plans/{ledger['plan'].pk}/monthly.docx",
                                                      {"month": "2024-11"})
    assert response.status_code == 200
    text = _docx_text(response)
    assert text[0] == "滨江市教育局2024年11月工作进展月报"
    assert "未报送单位：教师工作处" in text


@pytest.mark.parametrize("month", ["", "2024-13", "November", "1999-01"])
def test_a_bad_month_is_a_message(ledger, month):
    response = _client(ledger["users"]["office"]).get(f"/reports/plans/{ledger['plan'].pk}/monthly.docx",
                                                      {"month": month})
    assert response.status_code == 400
    assert "请按“年-月”选择月份" in response.content.decode()


def test_plan_page_previews_the_summary(ledger, no_statistics):
    page = _client(ledger["users"]["leader"]).get(f"/reports/plans/{ledger['plan'].pk}/").content.decode()
    for fragment in ('id="download-summary"', 'type="month"', "/export.xlsx", "部分项目用地未落实",
                     "3 项任务，其中 3 项有进展报送", "截至 2025年1月1日"):
        assert fragment in page
    assert 'id="no-reports"' not in page


def test_plan_without_reports_or_tasks_explains(ledger, users_plan_without_reports):
    client = _client(ledger["users"]["office"])
    page = client.get(f"/reports/plans/{users_plan_without_reports.pk}/").content.decode()
    assert 'id="no-reports"' in page
    empty = Plan.objects.create(title="空计划", year=2024)
    page = client.get(f"/reports/plans/{empty.pk}/").content.decode()
    assert 'id="empty"' in page and "本计划还没有任务" in page
    assert client.get(f"/reports/plans/{empty.pk}/summary.docx").status_code == 200


def test_no_plan_at_all(ledger):
    Plan.objects.all().delete()
    page = _client(ledger["users"]["office"]).get("/reports/").content.decode()
    assert 'id="empty"' in page and "台账中还没有计划" in page and "/plans/import/" in page


def test_units_see_only_published_plans(ledger):
    draft = Plan.objects.create(title="滨江市教育局2025年工作要点", year=2025)
    assert _client(ledger["users"]["basic"]).get(f"/reports/plans/{draft.pk}/").status_code == 404


@pytest.fixture
def users_plan_without_reports(ledger):
    plan = Plan.objects.create(title="滨江市教育局2025年工作要点", year=2025, status="published")
    task = Task.objects.create(plan=plan, position=1, title="建设智慧校园", status="active")
    Target.objects.create(task=task, indicator="智慧校园", comparator=">=", value=50, unit="所")
    return plan


# --- comparison --------------------------------------------------------------------------------

@pytest.fixture
def two_years(ledger):
    from eduplan.ledger.plan_import import import_plan

    office = ledger["users"]["office"]
    return import_plan(office, PLAN_2023.encode(), "2023.txt"), import_plan(office, PLAN_2024.encode(), "2024.txt")


def test_compare_two_ledger_plans(ledger, two_years):
    old, new = two_years
    response = _client(ledger["users"]["leader"]).get("/reports/compare/", {"a": old.pk, "b": new.pk})
    page = response.content.decode()
    assert response.status_code == 200 and 'id="result"' in page
    assert 'class="change-tightened"><td>收紧</td><td>新建改扩建公办幼儿园 10所</td><td>新建改扩建公办幼儿园 12所' in page
    assert 'class="change-loosened"><td>放宽</td><td>组建教育集团 8个' in page
    assert 'class="change-new"><td>新增</td><td>—</td><td>建设高水平专业群 5个' in page
    assert "<td>—</td><td>发展职业教育</td>" in page  # a task only B has


def test_compare_two_uploaded_files_as_a_unit(ledger):
    client = _client(ledger["users"]["jiangdong"])
    page = client.get("/reports/compare/").content.decode()
    assert 'id="pick-plans"' not in page and 'id="upload-plans"' in page
    files = {"file_a": io.BytesIO(PLAN_2023.encode()), "file_b": io.BytesIO(PLAN_2024.encode())}
    files["file_a"].name, files["file_b"].name = "a.txt", "b.txt"
    page = client.post("/reports/compare/", files).content.decode()
    assert "change-tightened" in page and "发展职业教育" in page


@pytest.mark.parametrize(("params", "message"), [
    ({"a": "1", "b": "99999"}, "请从列表中选择两个计划"),
    ({"a": "same", "b": "same"}, "请选择两个不同的计划"),
])
def test_compare_bad_choices(ledger, two_years, params, message):
    if params["a"] == "same":
        params = {"a": two_years[0].pk, "b": two_years[0].pk}
    response = _client(ledger["users"]["office"]).get("/reports/compare/", params)
    assert response.status_code == 400 and message in response.content.decode()


def test_units_cannot_compare_ledger_plans(ledger, two_years):
    response = _client(ledger["users"]["basic"]).get("/reports/compare/", {"a": two_years[0].pk, "b": two_years[1].pk})
    assert response.status_code == 400 and 'id="result"' not in response.content.decode()


def test_compare_refuses_a_file_it_cannot_read(ledger):
    junk, good = io.BytesIO(b"\x00\x01\x02 not a plan"), io.BytesIO(PLAN_2024.encode())
    junk.name, good.name = "junk.pdf", "b.txt"
    response = _client(ledger["users"]["office"]).post("/reports/compare/", {"file_a": junk, "file_b": good})
    assert response.status_code == 400 and "junk.pdf" in response.content.decode()
    only_one = io.BytesIO(PLAN_2024.encode())
    only_one.name = "b.txt"
    response = _client(ledger["users"]["office"]).post("/reports/compare/", {"file_a": only_one})
    assert response.status_code == 400 and "请上传两个文件" in response.content.decode()


def test_english_when_chosen(ledger, no_statistics):
    client = _client(ledger["users"]["office"])
    client.cookies["django_language"] = "en"
    page = client.get(f"/reports/plans/{ledger['plan'].pk}/").content.decode()
    assert "Year-end summary (.docx)" in page and "3 tasks, 3 of them with progress reports." in page
    assert "Compare two plans" in client.get("/reports/").content.decode()

"""Indicator pages through the web, per role: catalog, one indicator, schools sorted and paged, trace."""

from __future__ import annotations

import re

import pytest
from stats_city import HOME, OTHER, YEARS, query, school_in

from eduplan.monitoring import pages

pytestmark = pytest.mark.django_db


def _school_codes(html: str) -> list[str]:
    table = html.split('id="school-table"', 1)[1].split("</table>", 1)[0]
    return re.findall(r"<tr><td>(\d{8,})</td>", table)


def test_catalog_shows_city_value_standard_verdict_and_district_range(page, small_city):
    html = page("leader").get("/indicators/").content.decode()
    assert f"{YEARS[-1]}" in html
    row = html.split("公办园在园幼儿占比</a>", 1)[1].split("</tr>", 1)[0]
    city, low, high = query(
        "SELECT max(value) FILTER (WHERE level = 'city'), min(value) FILTER (WHERE level = 'district'), "
        "max(value) FILTER (WHERE level = 'district') FROM indicator_values "
        "WHERE indicator_id = 'kg_public_share' AND year = ?", [YEARS[-1]])[0]
    assert f"{city:.2f}%" in row and f"{low:.2f}%" in row and f"{high:.2f}%" in row
    assert "≥ 50%" in row
    assert ("✓ 达标" if city >= 50 else "✗ 未达标") in row


def test_catalog_year_switch(page):
    html = page("leader").get(f"/indicators/?year={YEARS[0]}").content.decode()
    assert f'<option value="{YEARS[0]}" selected>' in html


def test_indicator_page_city_districts_trend_and_units(page):
    response = page("leader").get(f"/indicators/kg_public_share/?year={YEARS[-1]}")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="districts"' in html and "江东区" in html and "龙泉市" in html
    trend = html.split('id="trend"', 1)[1].split("</table>", 1)[0]
    assert all(f"<th>{y}</th>" in trend for y in YEARS)
    assert trend.count("<tr") == 1 + 1 + 11  # header, the city, eleven districts
    assert re.search(r'<p class="big">\d+\.\d\d%', html)  # the value carries its unit


def test_leader_sees_all_schools_paged_and_sorted(page, small_city, monkeypatch):
    monkeypatch.setattr(pages, "PER_PAGE", 10)  # the small city has 46 primary schools
    client = page("leader")
    first = client.get("/indicators/primary_student_teacher_ratio/?sort=value").content.decode()
    total = int(re.search(r"共 (\d+) 所", first).group(1))
    assert total == query("SELECT count(*) FROM indicator_values WHERE level = 'school' AND year = ? AND "
                          "indicator_id = 'primary_student_teacher_ratio'", [YEARS[-1]])[0][0]
    by_value = [r[0] for r in query(
        "SELECT unit_code FROM indicator_values WHERE level = 'school' AND year = ? AND "
        "indicator_id = 'primary_student_teacher_ratio' ORDER BY value DESC NULLS LAST, unit_code", [YEARS[-1]])]
    assert total > pages.PER_PAGE  # so paging is exercised
    assert len(_school_codes(first)) == pages.PER_PAGE
    descending = client.get("/indicators/primary_student_teacher_ratio/?sort=-value").content.decode()
    assert _school_codes(descending) == by_value[:pages.PER_PAGE]
    second = client.get("/indicators/primary_student_teacher_ratio/?sort=-value&page=2").content.decode()
    assert _school_codes(second) == by_value[pages.PER_PAGE:2 * pages.PER_PAGE]
    by_code = client.get("/indicators/primary_student_teacher_ratio/?sort=code").content.decode()
    assert _school_codes(by_code) == sorted(by_value)[:pages.PER_PAGE]


def test_district_sees_own_schools_only_but_every_district_aggregate(page, small_city):
    client = page("home")
    html = client.get("/indicators/primary_student_teacher_ratio/?sort=code").content.decode()
    codes = _school_codes(html)
    assert codes and all(code.startswith(HOME) for code in codes)
    assert "江北区" in html.split('id="districts"', 1)[1]  # aggregates of other districts stay visible
    other = client.get(f"/indicators/primary_student_teacher_ratio/?district={OTHER}").content.decode()
    assert _school_codes(other) == []
    assert client.get(f"/indicators/primary_student_teacher_ratio/trace/{OTHER}/").status_code == 403
    foreign = school_in(small_city, OTHER)
    assert client.get(f"/indicators/primary_student_teacher_ratio/trace/{foreign}/").status_code == 403
    assert client.get(f"/indicators/primary_student_teacher_ratio/trace/{HOME}/").status_code == 200


def test_school_sees_only_itself(page, people, small_city):
    client = page("school")
    own = people["school"].org.code
    html = client.get("/indicators/primary_student_teacher_ratio/").content.decode()
    assert _school_codes(html) == [own]
    assert client.get(f"/indicators/primary_student_teacher_ratio/trace/{own}/").status_code == 200
    neighbour = school_in(small_city, HOME, other_than=own)
    assert client.get(f"/indicators/primary_student_teacher_ratio/trace/{neighbour}/").status_code == 403
    assert client.get(f"/indicators/primary_student_teacher_ratio/trace/{HOME}/").status_code == 403


def test_trace_of_a_school_lists_its_rows_and_sums_to_the_value(page, small_city):
    school = school_in(small_city, HOME)
    response = page("office").get(f"/indicators/primary_student_teacher_ratio/trace/{school}/?year={YEARS[-1]}",
                                  HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html  # a fragment for the click
    grades = query("SELECT count(*) FROM students WHERE year = ? AND school_code = ?", [YEARS[-1], school])[0][0]
    assert html.count("<td>分子</td>") == grades and html.count("<td>分母</td>") == 1  # one teachers row


def test_trace_of_the_city_is_its_districts(page):
    html = page("home").get("/indicators/kg_public_share/trace/3399/").content.decode()
    assert "各区县分子之和" in html and "江北区" in html


def test_leaders_read_only(page):
    html = page("leader").get("/indicators/").content.decode()
    assert "导入统计数据" not in html
    assert page("leader").get("/indicators/import/").status_code == 403


def test_cv_indicator_has_no_school_rows_and_says_why(page):
    html = page("leader").get("/indicators/primary_above_degree_per100_cv/").content.decode()
    assert "差异系数只在区县和全市计算" in html


def test_unknown_year_or_sort_falls_back(page):
    html = page("leader").get("/indicators/kg_public_share/?year=1999&sort=drop table&page=x").content.decode()
    assert f'<option value="{YEARS[-1]}" selected>' in html


def test_city_cv_trace_lists_schools_for_the_bureau_only(page):
    url = "/indicators/primary_above_degree_per100_cv/trace/3399/"
    html = page("leader").get(url, HTTP_HX_REQUEST="true").content.decode()
    primaries = query("SELECT count(*) FROM schools WHERE year = ? AND level = 'primary'", [YEARS[-1]])[0][0]
    assert f"共 {primaries} 行" in html  # every primary school enters the city's coefficient
    assert page("home").get(url).status_code == 403
    assert "查看来源数据" not in page("home").get("/indicators/primary_above_degree_per100_cv/").content.decode()


def test_trace_mixing_tables_shows_every_column(page):
    html = page("leader").get(f"/indicators/kg_gross_enrolment/trace/{HOME}/?page=99",
                              HTTP_HX_REQUEST="true").content.decode()
    assert "<td>分母</td>" in html  # the district's population row, on the last page
    assert "<th>年龄组</th>" in html

"""The two 督导评估 pages and their .docx 自评报告 on the small demo city, through the test client."""

from __future__ import annotations

import io

import pytest
from docx import Document
from stats_city import HOME, OTHER

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("assessment", "criterion"), [("quality", "primary_six_of_seven"), ("preschool", "kg_puhui_share")]
)
def test_the_page_judges_each_county_criterion_by_criterion(page, people, assessment, criterion):
    html = page("leader").get(f"/indicators/assessments/{assessment}/?district={HOME}").content.decode()
    assert f'id="county-{HOME}"' in html and f'id="county-{OTHER}"' in html
    row = html.split(f'id="criterion-{criterion}"', 1)[1].split("</tr>", 1)[0]
    assert any(word in row for word in ("✓ 达标", "✗ 未达标", "— 无数据"))
    assert 'id="cannot-judge"' in html and "社会认可度" in html


def test_the_failing_schools_are_named_only_to_those_who_may_see_them(page, people):
    url = f"/indicators/assessments/quality/?district={OTHER}"
    office = page("office").get(url).content.decode().split('id="criterion-primary_six_of_seven"', 1)[1]
    home = page("home").get(url).content.decode().split('id="criterion-primary_six_of_seven"', 1)[1]
    assert "项达标" in office.split("</tr>", 1)[0]  # the office sees which schools fall short, and how
    assert "无权查看学校名单" in home.split("</tr>", 1)[0]  # another district's bureau sees the count


def test_the_self_assessment_report_downloads(page, people):
    response = page("leader").get(f"/indicators/assessments/preschool/report.docx?district={HOME}")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    text = "\n".join(p.text for p in Document(io.BytesIO(b"".join(response.streaming_content))).paragraphs)
    assert (
        "普及普惠督导评估自评报告" in text and "一、总体结论" in text and "四、统计数据不能判定的项目" in text
    )


def test_an_unknown_assessment_is_a_page_not_an_error(page, people):
    assert page("leader").get("/indicators/assessments/nonsense/").status_code == 404
    assert page("leader").get("/indicators/assessments/nonsense/report.docx").status_code == 404


def test_the_catalog_links_both(page, people):
    html = page("leader").get("/indicators/").content.decode()
    assert "/indicators/assessments/quality/" in html and "/indicators/assessments/preschool/" in html


def test_no_kindergarten_is_marked_against_the_countys_public_share(page, people):
    html = page("leader").get("/indicators/kg_public_share/").content.decode()
    schools = html.split('id="school-table"', 1)[1].split("</table>", 1)[0]
    assert "未达标" not in schools and "✓ 达标" not in schools  # the 50 % is the county's standard
    districts = html.split('id="districts"', 1)[1].split("</table>", 1)[0]
    assert "达标" in districts

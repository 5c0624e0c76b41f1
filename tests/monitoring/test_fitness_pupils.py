"""学生体质健康 pupil rows on the web: a school's own staff see its pupils; every other role gets the aggregates only."""

from __future__ import annotations

import pytest
from django.urls import reverse
from stats_city import YEARS, school_in

pytestmark = pytest.mark.django_db


def _url(school: str) -> str:
    return reverse("monitoring:fitness_pupils", args=[school]) + f"?year={YEARS[-1]}"


def test_the_school_sees_its_pupils_scores(page, people):
    school = people["school"].org.code
    response = page("school").get(_url(school))
    assert response.status_code == 200
    pupils = response.context["pupils"]
    assert pupils and {p["band"] for p in pupils} <= {"优秀", "良好", "及格", "不及格", "免测"}
    scored = next(p for p in pupils if p["band"] != "免测")
    assert scored["total"] == f"{scored['total10'] / 10:.1f}"
    assert scored["student_id"] in response.content.decode()


@pytest.mark.parametrize("role", ["leader", "office", "admin", "basic", "home", "other"])
def test_every_other_role_is_refused_pupil_rows_in_chinese(page, people, role):
    response = page(role).get(_url(people["school"].org.code))
    assert response.status_code == 403
    assert "仅本校用户可以查看" in response.content.decode()


def test_a_school_cannot_see_another_schools_pupils(page, people, small_city):
    other = school_in(small_city, people["school"].org.parent.code, other_than=people["school"].org.code)
    assert page("school").get(_url(other)).status_code == 403


def test_the_trace_of_a_fitness_rate_stops_at_the_summary_rows(page, people):
    school = people["school"].org.code
    response = page("home").get(reverse("monitoring:trace", args=["fitness_good_rate", school]) + f"?year={YEARS[-1]}")
    assert response.status_code == 200
    columns = {key for key, _ in response.context["rows"].columns}
    assert {"grade_code", "tested", "excellent", "good"} <= columns and "student_id" not in columns


def test_anonymous_is_sent_to_login(client):
    assert client.get(_url("X")).status_code == 302

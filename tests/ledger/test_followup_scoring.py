"""考核 (issue 17, item 8): the office's weights, each unit's annual score worked out by hand, the rows
behind it, the export."""

from __future__ import annotations

import datetime as dt
import io
from unittest import mock

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from eduplan.followup import scoring
from eduplan.followup.models import ScoreWeights
from eduplan.ledger import services
from eduplan.ledger.models import Assignment, ProgressReport, Request, Task

AS_OF = dt.date(2024, 7, 1)


def _at(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(10), tzinfo=timezone.get_current_timezone())


@pytest.fixture
def half_year(plan, users, city):
    """2024 to 1 July. 基础教育处 leads item 1 (signed 10 March, due 30 June, extended once): reports for March
    and April in their month, May's on 3 June, none for June. 江东区 co-operates (signed 1 May, never reports).
    江北区 leads item 2 (signed 5 January, due 31 May): reports for January and February in time, closed on
    20 April."""
    plan.year = 2024
    plan.save(update_fields=["year"])
    first, second = plan.tasks.order_by("position")[:2]
    for name, task in (("basic", first), ("jiangdong", first), ("jiangbei", second)):
        services.sign(users[name], task.assignments.get(org=users[name].org))
    for org, day in (
        (city["basic"], dt.date(2024, 3, 10)),
        (city["d1"], dt.date(2024, 5, 1)),
        (city["d2"], dt.date(2024, 1, 5)),
    ):
        Assignment.objects.filter(org=org).update(signed_at=_at(day))
    Task.objects.filter(pk=first.pk).update(due_date=dt.date(2024, 6, 30), extension_count=1)
    Task.objects.filter(pk=second.pk).update(due_date=dt.date(2024, 5, 31))
    for name, task, month, written in (
        ("basic", first, 3, dt.date(2024, 3, 20)),
        ("basic", first, 4, dt.date(2024, 4, 28)),
        ("basic", first, 5, dt.date(2024, 6, 3)),
        ("jiangbei", second, 1, dt.date(2024, 1, 25)),
        ("jiangbei", second, 2, dt.date(2024, 2, 26)),
    ):
        entry = services.report(users[name], task, progress="推进中", period=dt.date(2024, month, 1))
        ProgressReport.objects.filter(pk=entry.pk).update(created_at=_at(written))
    second.refresh_from_db()
    request = services.file_request(users["jiangbei"], second, Request.Kind.CLOSE, "已完成")
    with mock.patch("django.utils.timezone.now", return_value=_at(dt.date(2024, 4, 20))):
        services.review(users["office"], request, approve=True)
    return plan


def test_scores_by_hand_with_the_default_weights(half_year):
    scores = {u.name: u for u in scoring.build(half_year, AS_OF, ScoreWeights())}
    basic, jiangdong, jiangbei = scores["基础教育处"], scores["江东区"], scores["江北区"]
    # 20 + 40 × 2/4 + 40 × 0/1 − 2 × 1 extension − 0.1 × 1 day overdue
    assert (basic.reports_text, basic.closing_text, basic.score) == ("2/4", "0/1", 37.9)
    assert (jiangdong.reports_text, jiangdong.closing_text, jiangdong.score) == ("0/2", "0/0", 60.0)
    assert (jiangbei.reports_text, jiangbei.closing_text, jiangbei.score) == ("2/2", "1/1", 100.0)
    assert [u.rank for u in (jiangbei, jiangdong, basic)] == [1, 2, 3]
    (row,) = jiangbei.rows
    assert row.closed_on == dt.date(2024, 4, 20) and row.closed_on_time and row.overdue_days == 0


def test_the_office_sets_the_weights_and_others_may_not(page, half_year, users):
    office = page("office")
    assert "单位考核得分" in office.get("/scores/").content.decode()
    response = office.post(
        "/scores/",
        {"base": 0, "on_time_reports": 50, "closed_on_time": 50, "per_extension": 5, "per_overdue_day": 1},
        follow=True,
    )
    assert "考核权重已保存" in response.content.decode()
    weight = scoring.weights()
    assert (weight.base, weight.per_extension, weight.set_by) == (0, 5, users["office"])
    scores = {u.name: u.score for u in scoring.build(half_year, AS_OF)}
    assert scores["基础教育处"] == 0 + 25 + 0 - 5 - 1  # 19.0
    bad = office.post(
        "/scores/",
        {
            "base": -5,
            "on_time_reports": "abc",
            "closed_on_time": 50,
            "per_extension": 5,
            "per_overdue_day": 1,
        },
        follow=True,
    )
    assert "考核权重有误，未保存" in bad.content.decode() and scoring.weights().base == 0
    assert page("leader").post("/scores/", {"base": 1}).status_code == 403
    assert page("leader").get("/scores/").status_code == 200
    assert page("basic").get("/scores/").status_code == 403


def test_the_export_has_the_scores_and_the_rows(page, half_year):
    with mock.patch("eduplan.followup.views.today", return_value=AS_OF):
        response = page("office").get(f"/scores/scores.xlsx?plan={half_year.pk}")
    book = load_workbook(io.BytesIO(response.content))
    ranking = [[c.value for c in row] for row in book["考核得分"].iter_rows(min_row=4)]
    assert [(r[1], r[2]) for r in ranking] == [("江北区", 100), ("江东区", 60), ("基础教育处", 37.9)]
    detail = [[c.value for c in row] for row in book["明细"].iter_rows(min_row=2)]
    assert len(detail) == 3 and {r[0] for r in detail} == {"江北区", "江东区", "基础教育处"}

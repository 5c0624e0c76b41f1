"""The dashboard's figures on the hand-made ledger of conftest.py, their drill-downs, scopes and empty states."""

from __future__ import annotations

import json
import re

import pytest
from django.urls import reverse

from eduplan.dashboard import figures
from eduplan.ledger.lights import flags
from eduplan.ledger.models import Task

DASHBOARD = "/dashboard/"


def _data(response) -> dict:
    """The JSON the page embeds for its charts."""
    match = re.search(r'<script id="dashboard-data" type="application/json">(.*?)</script>',
                      response.content.decode(), re.S)
    assert match, "the page embeds its chart data"
    return json.loads(match.group(1))


def _values(rows) -> dict:
    return {row["key"]: row["value"] for row in rows}


def _item_titles(response) -> list[str]:
    return re.findall(r">(T\d) 任务<", response.content.decode())


def test_task_figures_counted_by_hand(page, ledger, stats):
    data = _data(page("leader").get(DASHBOARD))
    # published tasks T1–T6 (T8 is a draft): active T1 T2 T6, reviewing T3, closed T4, suspended T5;
    # overdue: open and past due → T1; missing: open without a report this or last month → T2, T6
    assert _values(data["statuses"]) == {"active": 3, "reviewing": 1, "closed": 1, "suspended": 1,
                                         "overdue": 1, "missing": 2}


def test_task_figures_agree_with_the_ledger_lights(ledger, users):
    """The aggregate queries and the ledger's per-task rule (lights.flags) count the same tasks."""
    today = ledger["today"]
    tasks = figures.dashboard_tasks(users["leader"])
    counts = figures.task_counts(tasks, today)
    by_rule = [flags(task, today, task.reports.order_by("-period").values_list("period", flat=True).first())
               for task in tasks]
    assert counts["overdue"] == sum(f["overdue"] for f in by_rule)
    assert counts["missing"] == sum(f["missing_report"] for f in by_rule)


def test_targets_by_judgement_counted_by_hand(page, ledger, stats):
    data = _data(page("leader").get(DASHBOARD))
    # city kg_public_share 52 in 2026, trend +2/year → 56 in 2028:
    # ≥50 met; ≥55 by 2028 on track; ≥60 by 2028 at risk; ≥60 by 2025 missed; 巩固率 has no values → no data
    # (the draft plan's target ≥10 is not counted)
    assert _values(data["judgements"]) == {"met": 1, "on_track": 1, "at_risk": 1, "missed": 1, "no_data": 1}


def test_ranking_by_on_time_rate(page, ledger, units):
    data = _data(page("office").get(DASHBOARD))
    # lead assignments without the suspended T5: basic T1 (overdue) T2 (missing) → 0/2;
    # teachers T3 (reported last month) T4 (closed) → 2/2; d2 T6 (missing) → 0/1.
    # Ties at 0 %: more tasks first.
    assert [(r["label"], r["value"], r["on_time"], r["total"]) for r in data["ranking"]] == [
        ("教师工作处", 100, 2, 2), ("基础教育处", 0, 0, 2), ("江北区", 0, 0, 1)]


def test_deadlines_of_the_next_30_days(page, ledger):
    response = page("leader").get(DASHBOARD)
    # open and due today..today+30: T2 (+5), T3 (+20); T1 is overdue, T5 suspended, T6 at +60
    assert response.context["due_count"] == 2
    assert [t.title for t in response.context["due"]] == ["T2 任务", "T3 任务"]
    assert [t.days_left for t in response.context["due"]] == [5, 20]


def test_districts_compared_on_key_indicators(page, ledger, stats):
    response = page("leader").get(DASHBOARD)
    data = _data(response)["districts"]
    assert data["year"] == 2026 and data["city"] == "测试市"
    public = next(i for i in data["indicators"] if i["id"] == "kg_public_share")
    assert public["city"] == 52.0
    # standard ≥ 50: 东区 55 meets, 西区 45 does not
    assert [(d["label"], d["value"], d["meets"]) for d in public["districts"]] == [("东区", 55.0, True),
                                                                                  ("西区", 45.0, False)]
    assert public["url"].startswith("/indicators/kg_public_share/") and "year=2026" in public["url"]
    big = next(i for i in response.context["comparison"]["indicators"] if i["id"] == "compulsory_big_class_share")
    assert big["below"] == 1  # standard ≤ 5 % (基本消除): 西区 6 % is over
    assert "1 个区县未达标" in response.content.decode()


@pytest.mark.parametrize(("key", "expected"), [("met", "T1"), ("on_track", "T2"), ("at_risk", "T3"),
                                               ("missed", "T6"), ("no_data", "T6")])
def test_judgement_drill_down_lists_its_targets(page, ledger, stats, key, expected):
    response = page("leader").get(reverse("dashboard:items"), {"judgement": key})
    assert response.status_code == 200
    assert len(response.context["judged"]) == 1
    target, judgement = response.context["judged"][0]
    assert target == ledger["targets"][key] and judgement.status == key
    assert f"{expected} 任务" in response.content.decode()


@pytest.mark.parametrize(("params", "expected"), [
    ({"flag": "missing"}, ["T2", "T6"]),
    ({"flag": "overdue"}, ["T1"]),
    ({"due_within": "30"}, ["T2", "T3"]),
    ({"due_within": "3"}, []),
    ({"lead": "basic"}, ["T1", "T2"]),  # T5 is suspended: not one of the ranked lead assignments
    ({"lead": "basic", "late": "1"}, ["T1", "T2"]),
    ({"lead": "teachers", "late": "1"}, []),
    ({"lead": "teachers"}, ["T3", "T4"]),
])
def test_task_drill_downs_list_the_counted_items(page, ledger, units, params, expected):
    if "lead" in params:
        params = params | {"lead": units[params["lead"]].pk}
    response = page("leader").get(reverse("dashboard:items"), params)
    assert response.status_code == 200
    assert sorted(_item_titles(response)) == expected


def test_every_figure_links_to_its_items(page, ledger, stats):
    """Each chart item carries a link, and following it lists as many items as the figure says."""
    client = page("leader")
    data = _data(client.get(DASHBOARD))
    for row in data["statuses"] + data["judgements"]:
        listed = client.get(row["url"])
        assert listed.status_code == 200
        if "judgement=" in row["url"]:
            assert len(listed.context["judged"]) == row["value"], row
        else:  # the ledger list or a drill-down: each item links to its page once
            assert len(_task_links(listed)) == row["value"], row


def _task_links(response) -> set[str]:
    return set(re.findall(r'href="/tasks/(\d+)/"', response.content.decode()))


@pytest.mark.parametrize("params", [{"judgement": "bogus"}, {"flag": "late"}, {"due_within": "x"},
                                    {"due_within": "0"}, {"due_within": "9999"}, {"lead": "-1"},
                                    {"lead": "999999"}, {}])
def test_bad_drill_down_parameters_get_a_message(page, ledger, params):
    response = page("leader").get(reverse("dashboard:items"), params)
    assert response.status_code == 400
    assert "无法列出这些事项" in response.content.decode()


# --- who sees what ---------------------------------------------------------------------------

def test_district_sees_only_its_own_items(page, ledger, stats, units):
    response = page("jiangdong").get(DASHBOARD)
    data = _data(response)
    # 江东区 co-operates on T1 only: active 1, overdue 1 (T1), missing 0; judged: T1's target (met)
    assert _values(data["statuses"]) == {"active": 1, "reviewing": 0, "closed": 0, "suspended": 0,
                                         "overdue": 1, "missing": 0}
    assert _values(data["judgements"]) == {"met": 1, "on_track": 0, "at_risk": 0, "missed": 0, "no_data": 0}
    # 江东区 leads nothing: no ranking row, and never another unit's rate
    assert data["ranking"] == []
    html = response.content.decode()
    assert "仅含本单位事项" in html
    # it is simply never the lead: not told there are no items with a lead unit (issue 16)
    assert "本单位不牵头任何事项" in html and "还没有交办牵头单位的事项" not in html
    assert data["districts"] is not None  # district-level statistics are for everyone


def test_school_reads_only_its_own_schools_items(page, ledger):
    data = _data(page("school").get(DASHBOARD))
    assert _values(data["statuses"])["active"] == 0  # T1 is given to its district, not to the school


def test_department_ranking_shows_its_own_unit_only(page, ledger):
    data = _data(page("teachers").get(DASHBOARD))
    assert [(r["label"], r["value"]) for r in data["ranking"]] == [("教师工作处", 100)]
    # teachers lead T3 and T4: reviewing 1, closed 1, nothing else
    assert _values(data["statuses"]) == {"active": 0, "reviewing": 1, "closed": 1, "suspended": 0,
                                         "overdue": 0, "missing": 0}


def test_unit_drill_downs_never_list_other_units_items(page, ledger, units):
    client = page("teachers")
    assert _item_titles(client.get(reverse("dashboard:items"), {"flag": "missing"})) == []
    # another unit's lead list: the rows counted for this user are only its own
    assert _item_titles(client.get(reverse("dashboard:items"), {"lead": units["basic"].pk})) == []
    judged = client.get(reverse("dashboard:items"), {"judgement": "missed"}).context["judged"]
    assert judged == []  # T6's target belongs to 江北区's task


def test_anonymous_is_sent_to_login(client, db):
    response = client.get(DASHBOARD)
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_leaders_and_the_office_land_on_the_dashboard_units_on_their_todo(page, users):
    for name in ("leader", "office"):
        assert page(name).get(reverse("dashboard:landing"))["Location"] == reverse("dashboard:home")
    for name in ("basic", "jiangdong", "school"):
        assert page(name).get(reverse("dashboard:landing"))["Location"] == reverse("followup:todo")
    assert page("admin").get(reverse("dashboard:landing"))["Location"] == reverse("ledger:list")


# --- empty states ----------------------------------------------------------------------------

def test_no_plan_says_what_to_do(page, users):
    for name, advice in (("office", "导入工作要点"), ("leader", "督查室导入计划"), ("basic", "本单位还没有被交办事项")):
        response = page(name).get(DASHBOARD)
        assert response.status_code == 200
        html = response.content.decode()
        assert 'id="empty-ledger"' in html and advice in html
        assert 'id="empty-statistics"' in html


def test_draft_plan_only_says_it_awaits_publishing(page, users, units):
    from eduplan.ledger.models import Plan

    Plan.objects.create(title="草稿", year=2026)
    assert "尚未发布" in page("leader").get(DASHBOARD).content.decode()


def test_no_statistics_says_what_to_do(page, ledger):
    response = page("leader").get(DASHBOARD)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="empty-statistics"' in html and "eduplan serve --demo" in html
    assert "目标暂无法判断" in html
    # every target is still counted, as no data
    assert _values(_data(response)["judgements"])["no_data"] == 5


def test_statistics_without_computed_values(page, ledger, settings, tmp_path):
    from eduplan.indicators.schema import connect

    path = tmp_path / "loaded-not-computed.duckdb"
    connect(path).close()
    settings.EDUPLAN_STATS_DB = path
    response = page("leader").get(DASHBOARD)
    assert response.status_code == 200 and 'id="empty-statistics"' in response.content.decode()


def test_no_reports_says_what_to_do(page, ledger):
    from eduplan.ledger.models import ProgressReport

    ProgressReport.objects.all().delete()
    response = page("leader").get(DASHBOARD)
    assert "还没有任何进展报送" in response.content.decode()
    # open tasks T1 T2 T3 T6 all miss their reports now
    assert _values(_data(response)["statuses"])["missing"] == 4


def test_no_targets_and_no_deadlines(page, ledger):
    from eduplan.ledger.models import Target

    Target.objects.all().delete()
    Task.objects.filter(status__in=figures.OPEN).update(due_date=None)
    html = page("leader").get(DASHBOARD).content.decode()
    assert "没有量化目标" in html and "没有到期的事项" in html


def test_judgements_follow_a_changed_link_and_new_statistics(page, ledger, stats, settings, tmp_path):
    """The judgement counts are cached; a person's link choice or new statistics must show at once."""
    from eduplan.monitoring.models import TargetLink

    client = page("leader")
    assert _values(_data(client.get(DASHBOARD))["judgements"])["no_data"] == 1
    # 巩固率 ≥ 95 re-linked to kg_public_share: 52 < 95, the deadline (end of the plan year) not passed,
    # and no later statistics year to draw a trend to → at risk
    TargetLink.objects.filter(target=ledger["targets"]["no_data"]).update(indicator_id="kg_public_share")
    counts = _values(_data(client.get(DASHBOARD))["judgements"])
    assert (counts["no_data"], counts["at_risk"]) == (0, 2)
    settings.EDUPLAN_STATS_DB = tmp_path / "gone.duckdb"  # statistics removed: everything is no data again
    assert _values(_data(client.get(DASHBOARD))["judgements"])["no_data"] == 5


def test_the_dashboard_in_english(page, ledger, stats, settings):
    """Users who pick English get the dashboard in English: its own catalogue (dashboard/locale) is compiled."""
    client = page("leader")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(DASHBOARD).content.decode()
    assert "Leaders' dashboard" in html and "Targets by judgement" in html and "1 district below the standard" in html
    assert "领导驾驶舱" not in html and "目标达成判断" not in html
    data = _data(client.get(DASHBOARD))
    assert [row["label"] for row in data["judgements"]] == ["Met", "On track", "At risk", "Missed", "No data"]
    bad = client.get(reverse("dashboard:items"), {"due_within": "x"}).content.decode()
    assert "must be a whole number" in bad

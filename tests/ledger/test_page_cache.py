"""Cached page fragments: never another role's or unit's items, never stale after a write, few queries."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache

from eduplan.ledger import services
from eduplan.ledger.models import Task
from eduplan.ledger.views import ledger_version


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def _html(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200
    return response.content.decode()


def test_a_unit_never_gets_the_fragment_cached_for_another(page, plan):
    ours, theirs = plan.tasks.get(assignments__org__code="d1"), plan.tasks.get(assignments__org__code="d2")
    everything = _html(page("office"), "/")  # warms the list for the roles that read all
    assert ours.title in everything and theirs.title in everything
    jiangdong, jiangbei = _html(page("jiangdong"), "/"), _html(page("jiangbei"), "/")
    assert ours.title in jiangdong and theirs.title not in jiangdong
    assert theirs.title in jiangbei and ours.title not in jiangbei
    school = _html(page("school"), "/")  # a school reads only what is given to the school itself
    assert ours.title not in school and theirs.title not in school


def test_the_item_page_is_fresh_after_every_kind_of_write(page, signed_task):
    office, basic = page("office"), page("basic")
    path = f"/tasks/{signed_task.pk}/"
    _html(office, path), _html(basic, path), _html(office, "/")  # warm every fragment
    office.post(f"/tasks/{signed_task.pk}/edit/", {"version": signed_task.version, "title": "新标题：普惠学位",
                                                   "section": signed_task.section, "content": "改过的内容"})
    assert "新标题：普惠学位" in _html(office, "/") and "改过的内容" in _html(basic, path)
    basic.post(f"/tasks/{signed_task.pk}/report/", {"progress": "三所幼儿园已开工"})
    assert "三所幼儿园已开工" in _html(office, path)
    page("leader").post(f"/tasks/{signed_task.pk}/comment/", {"text": "请加快进度"})
    assert "请加快进度" in _html(basic, path)
    office.post(f"/tasks/{signed_task.pk}/milestones/", {"title": "完成选址", "due_date": "2030-03-31"})
    assert "完成选址" in _html(basic, path)


def test_an_admin_rename_of_a_unit_shows_at_once(page, signed_task, users, city):
    admin = users["admin"]
    admin.is_staff = admin.is_superuser = True
    admin.save()
    unit = city["basic"]
    assert unit.name in _html(page("office"), "/")
    response = page("admin").post(f"/admin/ledger/org/{unit.pk}/change/", {
        "kind": unit.kind, "code": unit.code, "name": "基础教育一处", "parent": unit.parent_id})
    assert response.status_code == 302
    assert "基础教育一处" in _html(page("office"), "/")


def test_the_version_moves_with_each_write_and_only_then(page, task):
    before = ledger_version()
    _html(page("office"), f"/tasks/{task.pk}/")
    assert ledger_version() == before  # reading changes nothing
    page("office").post(f"/tasks/{task.pk}/urge/", {"text": "请报送"})
    assert ledger_version() != before


def test_the_language_is_part_of_the_key(page, task):
    client = page("office")
    assert "完成时限" in _html(client, "/")
    client.cookies["django_language"] = "en"
    english = _html(client, "/")
    assert "Due" in english and "完成时限" not in english


def test_a_write_outside_services_shows_once_it_is_audited(page, signed_task):
    path = f"/tasks/{signed_task.pk}/"
    assert "推进中" in _html(page("leader"), path)
    Task.objects.filter(pk=signed_task.pk).update(status=Task.Status.SUSPENDED)  # no audit: a raw write...
    assert "推进中" in _html(page("leader"), path)  # ...is what the rule forbids, and why
    page("leader").post(f"/tasks/{signed_task.pk}/comment/", {"text": "已阅"})  # any audited write shows it
    assert "已中止" in _html(page("leader"), path)


def test_a_warm_page_costs_few_queries(page, signed_task, django_assert_max_num_queries):
    client = page("basic")
    client.get("/")
    with django_assert_max_num_queries(3):  # session, user with its unit, version with the unread notices
        assert client.get("/").status_code == 200


def test_a_warm_item_page_reads_none_of_its_cached_parts(page, signed_task, users):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    services.report(users["basic"], signed_task, progress="已开工")
    services.comment(users["leader"], signed_task, "请加快进度")
    client = page("basic")
    client.get(f"/tasks/{signed_task.pk}/")
    with CaptureQueriesContext(connection) as queries:
        assert client.get(f"/tasks/{signed_task.pk}/").status_code == 200
    cached_tables = ("ledger_progressreport", "ledger_targetvalue", "ledger_comment", "ledger_milestone")
    # the targets' judgement block (monitoring, not a cached part) reads the latest reported target values
    judging = ("ledger_targetvalue" in q["sql"] and '"value", "ledger_progressreport"."period"' in q["sql"]
               for q in queries.captured_queries)
    read = [q["sql"] for q, judged in zip(queries.captured_queries, judging, strict=True)
            if not judged and any(t in q["sql"] for t in cached_tables)]
    assert read == []
    audit_reads = [q["sql"] for q in queries.captured_queries if "ledger_auditentry" in q["sql"]]
    assert len(audit_reads) == 1 and "ORDER BY" in audit_reads[0]  # the version only, not the trail


def test_a_long_ledger_is_paged_and_counted_whole(page, plan, monkeypatch):
    from eduplan.ledger.views import LedgerRows

    monkeypatch.setattr(LedgerRows, "PAGE_ROWS", 3)
    titles = list(plan.tasks.order_by("position").values_list("title", flat=True))
    first, second = _html(page("office"), "/"), _html(page("office"), "/?page=2")
    assert all(t in first for t in titles[:3]) and titles[3] not in first
    assert titles[3] in second and titles[0] not in second and "<td>4</td>" in second  # numbering runs on
    assert 'href="?page=2"' in first and "共 4 项" in first
    counts = re.search(r'class="counts">(.*?)</p>', first, flags=re.S).group(1)
    assert sum(int(n) for n in re.findall(r"</i> (\d+)", counts)) == 4


def test_forms_are_never_served_from_another_users_fragment(page, signed_task, users):
    path = f"/tasks/{signed_task.pk}/"
    services.file_request(users["basic"], signed_task, "close", "已完成")
    leader = _html(page("leader"), path)  # caches the requests and the units without any form
    assert "review-form" not in leader and 'id="sign"' not in leader
    office, jiangdong = page("office"), page("jiangdong")
    office_html, jiangdong_html = _html(office, path), _html(jiangdong, path)
    assert "review-form" in office_html and 'id="sign"' in jiangdong_html  # 江东区 has not signed yet
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', office_html).group(1)
    assert token not in leader and token not in jiangdong_html
    note = {"decision": "return", "note": "佐证不足", "csrfmiddlewaretoken": token}
    request = signed_task.requests.get()
    assert office.post(f"/requests/{request.pk}/review/", note).status_code == 302
    assert "佐证不足" in _html(page("leader"), path)


def test_a_shared_body_carries_each_users_own_header_and_token(page, signed_task, city):
    from django.test import Client

    from eduplan.ledger.models import User

    path, clients = f"/tasks/{signed_task.pk}/", {}
    for name in ("zhangwei", "lina"):  # the same role and unit: one cached body and header layout for both
        User.objects.create_user(name, password="pw", role=User.Role.OFFICE, org=city["supervision"])
        clients[name] = Client(enforce_csrf_checks=True)
        clients[name].login(username=name, password="pw")
    pages = {name: _html(client, path) for name, client in clients.items()}
    tokens = {name: set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)) for name, html in pages.items()}
    assert len(tokens["zhangwei"]) == 1 and tokens["zhangwei"] != tokens["lina"]
    assert "zhangwei · " in pages["zhangwei"] and "lina" not in pages["zhangwei"]
    assert "lina · " in pages["lina"] and "zhangwei" not in pages["lina"]
    token = tokens["lina"].pop()  # a token from the shared body is good for its own user's post
    response = clients["lina"].post(f"/tasks/{signed_task.pk}/urge/", {"text": "请报送", "csrfmiddlewaretoken": token})
    assert response.status_code == 302


def _unread(html: str) -> int:
    shown = re.search(r"通知 \((\d+)\)</a>", html)
    return int(shown.group(1)) if shown else 0


def test_the_header_shows_each_pages_own_path_unread_count_and_messages(page, signed_task, plan):
    office, basic = page("office"), page("basic")
    other = plan.tasks.exclude(pk=signed_task.pk).first()
    for task in (signed_task, other):  # the second page's header comes from the kept one, with its own path
        assert f'name="next" value="/tasks/{task.pk}/"' in _html(office, f"/tasks/{task.pk}/")
    path = f"/tasks/{signed_task.pk}/"
    unread = _unread(_html(basic, path))
    office.post(f"/tasks/{signed_task.pk}/urge/", {"text": "请报送"})
    shown = _html(office, path)
    assert "已催办" in shown and "已催办" not in _html(office, path)  # a message is shown once
    assert _unread(_html(basic, path)) == unread + 1  # the unit's header counts the urging notice at once


def test_a_write_to_one_task_leaves_the_other_tasks_pages_cached(page, plan, users, django_assert_max_num_queries):
    first, second = plan.tasks.order_by("position")[:2]
    client = page("office")
    _html(client, f"/tasks/{second.pk}/")
    services.comment(users["leader"], first, "请加快进度")
    with django_assert_max_num_queries(3):  # session, user, the second task's version: its body from the cache
        assert "请加快进度" not in _html(client, f"/tasks/{second.pk}/")
    assert "请加快进度" in _html(client, f"/tasks/{first.pk}/")


def test_a_task_page_moves_with_its_plan_and_the_units_too(rf, plan, users):
    from eduplan.ledger.views import fragment_stamp

    first, second = plan.tasks.order_by("position")[:2]
    request = rf.get("/")
    request.user = users["office"]
    before = fragment_stamp(request, first.pk)
    services.audit(users["office"], "comment", task=second)
    assert fragment_stamp(request, first.pk) == before
    services.audit(users["office"], "publish", plan=plan)
    after_plan = fragment_stamp(request, first.pk)
    assert after_plan != before
    from django.contrib.admin.models import ADDITION, LogEntry

    LogEntry.objects.log_actions(users["admin"].pk, [users["basic"]], ADDITION)  # an admin edit
    assert fragment_stamp(request, first.pk) != after_plan


def test_a_merged_away_task_is_not_served_from_the_cache(page, draft_plan, users):
    first, second = draft_plan.tasks.order_by("position")[:2]
    client = page("office")
    _html(client, f"/tasks/{second.pk}/")
    services.merge_with_next(users["office"], first)
    assert client.get(f"/tasks/{second.pk}/").status_code == 404


def test_a_units_list_moves_only_with_its_own_items(page, plan, users, django_assert_max_num_queries):
    ours, theirs = plan.tasks.get(assignments__org__code="d1"), plan.tasks.get(assignments__org__code="d2")
    jiangdong = page("jiangdong")
    assert ours.title in _html(jiangdong, "/")
    services.comment(users["leader"], theirs, "江北区请加快")  # another district's item
    with django_assert_max_num_queries(3):  # session, user, the unit's version: the list from the cache
        _html(jiangdong, "/")
    office = page("office")
    office.post(f"/tasks/{ours.pk}/edit/", {"version": ours.version, "title": "江东区的新标题",
                                            "section": ours.section, "content": ours.content})
    assert "江东区的新标题" in _html(jiangdong, "/") and "江东区的新标题" not in _html(page("school"), "/")


def test_a_units_list_moves_with_plan_wide_writes_and_admin_edits(rf, plan, users, city):
    from django.contrib.admin.models import CHANGE, LogEntry

    from eduplan.ledger.views import fragment_stamp

    request = rf.get("/")
    request.user = users["jiangdong"]
    before = fragment_stamp(request, unit_pk=city["d1"].pk)
    services.audit(users["office"], "publish", plan=plan)
    after_plan = fragment_stamp(request, unit_pk=city["d1"].pk)
    assert after_plan != before
    LogEntry.objects.log_actions(users["admin"].pk, [city["d1"]], CHANGE)
    assert fragment_stamp(request, unit_pk=city["d1"].pk) != after_plan

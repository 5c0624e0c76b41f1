"""Pages are never cached (issue 16, item 11): each shows the ledger as it is now, for every role, whoever wrote
to it and however; never another role's or unit's items."""

from __future__ import annotations

import re

from eduplan.ledger import services
from eduplan.ledger.models import Org, Task


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
    office.post(
        f"/tasks/{signed_task.pk}/edit/",
        {
            "version": signed_task.version,
            "title": "新标题：普惠学位",
            "section": signed_task.section,
            "content": "改过的内容",
        },
    )
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
    response = page("admin").post(
        f"/admin/ledger/org/{unit.pk}/change/",
        {"kind": unit.kind, "code": unit.code, "name": "基础教育一处", "parent": unit.parent_id},
    )
    assert response.status_code == 302
    assert "基础教育一处" in _html(page("office"), "/")


def test_the_language_is_part_of_the_key(page, task):
    client = page("office")
    assert "完成时限" in _html(client, "/")
    client.cookies["django_language"] = "en"
    english = _html(client, "/")
    assert "Due" in english and "完成时限" not in english


def test_a_long_ledger_is_paged_and_counted_whole(page, plan, monkeypatch):
    from eduplan.ledger.views import LedgerRows

    monkeypatch.setattr(LedgerRows, "PAGE_ROWS", 3)
    titles = list(plan.tasks.order_by("position").values_list("title", flat=True))
    first, second = _html(page("office"), "/"), _html(page("office"), "/?page=2")
    assert all(t in first for t in titles[:3]) and titles[3] not in first
    assert titles[3] in second and f">{titles[0]}<" not in second and "<td>二、4.</td>" in second  # the plan.s 序号
    assert 'href="?page=2"' in first and "共 4 项" in first
    counts = re.search(r'class="counts">(.*?)</p>', first, flags=re.S).group(1)
    assert sum(int(n) for n in re.findall(r"</i> \S+ (\d+)", counts)) == 4


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
    tokens = {
        name: set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', html))
        for name, html in pages.items()
    }
    assert len(tokens["zhangwei"]) == 1 and tokens["zhangwei"] != tokens["lina"]
    assert "zhangwei · " in pages["zhangwei"] and "lina" not in pages["zhangwei"]
    assert "lina · " in pages["lina"] and "zhangwei" not in pages["lina"]
    token = tokens["lina"].pop()  # a token from the shared body is good for its own user's post
    response = clients["lina"].post(
        f"/tasks/{signed_task.pk}/urge/", {"text": "请报送", "csrfmiddlewaretoken": token}
    )
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


def test_a_merged_away_task_is_not_served_from_the_cache(page, draft_plan, users):
    first, second = draft_plan.tasks.order_by("position")[:2]
    client = page("office")
    _html(client, f"/tasks/{second.pk}/")
    services.merge_with_next(users["office"], first)
    assert client.get(f"/tasks/{second.pk}/").status_code == 404


def test_a_units_list_shows_its_own_items_as_they_are(page, plan, users):
    ours = plan.tasks.get(assignments__org__code="d1")
    jiangdong = page("jiangdong")
    assert ours.title in _html(jiangdong, "/")
    office = page("office")
    office.post(
        f"/tasks/{ours.pk}/edit/",
        {
            "version": ours.version,
            "title": "江东区的新标题",
            "section": ours.section,
            "content": ours.content,
        },
    )
    assert "江东区的新标题" in _html(jiangdong, "/") and "江东区的新标题" not in _html(page("school"), "/")


# Every role that sees the item: a school sees only items given to the school itself (issue 14), not this one.
ROLES = ("leader", "office", "basic", "jiangdong")


def test_a_write_outside_services_shows_at_once_for_every_role(page, signed_task):
    """The cache keyed on audit entries served the old state after a raw write (a data fix, a script)."""
    path = f"/tasks/{signed_task.pk}/"
    for role in ROLES:
        assert "推进中" in _html(page(role), path)
        _html(page(role), "/")
    Task.objects.filter(pk=signed_task.pk).update(status=Task.Status.SUSPENDED, title="原样写入的新标题")
    for role in ROLES:
        assert "已中止" in _html(page(role), path), role
        assert "原样写入的新标题" in _html(page(role), "/"), role


def test_a_unit_renamed_outside_the_admin_shows_at_once(page, signed_task, city):
    path = f"/tasks/{signed_task.pk}/"
    for role in ROLES:
        assert city["basic"].name in _html(page(role), path)
    Org.objects.filter(pk=city["basic"].pk).update(name="基础教育二处")
    for role in ROLES:
        assert "基础教育二处" in _html(page(role), path), role


def test_every_ledger_action_shows_on_every_page_for_every_role(page, signed_task, users, city):
    path, office, basic = f"/tasks/{signed_task.pk}/", page("office"), page("basic")
    views = {role: page(role) for role in ROLES}

    def everyone_sees(text: str, on=(path,)):
        for role, client in views.items():
            for where in on:
                assert text in _html(client, where), (role, where, text)

    everyone_sees("推进中")
    office.post(
        f"{path}edit/",
        {
            "version": signed_task.version,
            "title": "改后的标题",
            "section": "学前",
            "content": "改后的内容",
            "due_date": "2030-06-30",
        },
    )
    everyone_sees("改后的标题", on=(path, "/"))
    everyone_sees("2030-06-30", on=(path, "/"))
    basic.post(f"{path}report/", {"progress": "第二次进展"})
    everyone_sees("第二次进展")
    page("leader").post(f"{path}comment/", {"text": "抓紧落实"})
    everyone_sees("抓紧落实")
    office.post(f"{path}milestones/", {"title": "完成验收", "due_date": "2030-03-31"})
    everyone_sees("完成验收")
    office.post(f"{path}assign/", {"org": city["teachers"].pk, "role": "cooperate", "due_date": "2030-06-30"})
    everyone_sees("教师工作处")
    basic.post(f"{path}request/", {"kind": "close", "reason": "已全部完成"})
    everyone_sees("审核中", on=(path, "/"))
    request = signed_task.requests.get()
    office.post(f"/requests/{request.pk}/review/", {"decision": "approve", "note": ""})
    everyone_sees("已办结", on=(path, "/"))

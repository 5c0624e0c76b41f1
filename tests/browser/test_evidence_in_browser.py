"""Audit H1 in a real browser: a script in an uploaded file never runs when the leader opens it.

The department user tries to attach an .html and an .svg (refused with a message); a file stored by the
old code under its own name (.html, script that posts a 批示 as whoever opens it) is still reachable from
the item page and its old /media/ link, and both only download it: no 批示 appears, the page keeps its
title."""

from __future__ import annotations

import contextlib
import datetime as dt

import pytest
from django.conf import settings
from playwright.sync_api import Error as PlaywrightError

from eduplan.ledger import services
from eduplan.ledger.models import Comment, Org, ProgressReport, User
from eduplan.ledger.plan_import import import_plan

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PLAN = "滨江市教育局2024年工作要点\n\n一、扩大优质教育资源\n1.增加普惠学位。年内新建公办幼儿园12所。\n2.推进优质均衡。组建教育集团10个。\n"
ATTACK = """<html><body><script>
document.title = 'EVIDENCE-SCRIPT-RAN';
const token = document.cookie.split('; ').find(c => c.startsWith('csrftoken=')).split('=')[1];
fetch('/tasks/{target}/comment/', {{method: 'POST', headers: {{'X-CSRFToken': token,
  'Content-Type': 'application/x-www-form-urlencoded'}}, body: 'text=forged', credentials: 'same-origin'}});
</script></body></html>"""


@pytest.fixture
def item(transactional_db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    bureau = Org.objects.create(kind="bureau", code="B", name="滨江市教育局")
    office_unit = Org.objects.create(kind="department", code="sup", name="督查室", parent=bureau)
    basic = Org.objects.create(kind="department", code="basic", name="基础教育处", parent=bureau)
    office = User.objects.create_user("office", password="pw-office", role="office", org=office_unit)
    user = User.objects.create_user("basic", password="pw-basic", role="department", org=basic)
    User.objects.create_user("leader", password="pw-leader", role="leader", org=bureau)
    plan = import_plan(office, PLAN.encode(), "plan.txt")
    services.publish_plan(office, plan)
    task, other = plan.tasks.order_by("position")
    services.assign(office, task, basic, "lead", dt.date.today() + dt.timedelta(days=30))
    services.sign(user, task.assignments.get())
    return task, other


def test_uploaded_script_never_runs_for_the_leader(login, live_server, item, tmp_path, shot):
    task, other = item
    basic = login("basic", "pw-basic")
    for name, body in (("进展佐证.html", "<script>alert(1)</script>"), ("close-proof.svg", "<svg><script>1</script></svg>")):
        path = tmp_path / name
        path.write_text(body)
        basic.goto(f"{live_server.url}/tasks/{task.pk}/")
        basic.click("text=报送本月进展")
        basic.fill("#report-form textarea[name=progress]", "按计划推进")
        basic.set_input_files("#report-form input[name=attachment]", str(path))
        basic.click("#report-form button")
        basic.wait_for_selector("text=可上传")
    shot(basic, "evidence-refused")
    assert not ProgressReport.objects.exists()

    stored = "evidence/2026/12/evidence_16.html"  # what the old code stored, under its own name
    (settings.MEDIA_ROOT / stored).parent.mkdir(parents=True, exist_ok=True)
    (settings.MEDIA_ROOT / stored).write_text(ATTACK.format(target=other.pk))
    services.report(User.objects.get(username="basic"), task, progress="旧佐证")
    ProgressReport.objects.update(attachment=stored, attachment_name="evidence_16.html")

    leader = login("leader", "pw-leader")
    leader.goto(f"{live_server.url}/tasks/{task.pk}/")
    with leader.expect_download() as download:
        leader.click("a[href^=\"/files/report/\"]")
    assert download.value.suggested_filename == "evidence_16.html"
    old_link = leader.context.new_page()  # the old link, typed or bookmarked: a download too
    with old_link.expect_download() as download, contextlib.suppress(PlaywrightError):
        old_link.goto(f"{live_server.url}/media/{stored}")  # goto says "Download is starting"
    assert download.value.suggested_filename == "evidence_16.html"
    leader.wait_for_timeout(500)
    shot(leader, "evidence-leader-after-download")
    assert "EVIDENCE-SCRIPT-RAN" not in (leader.title(), old_link.title())
    assert not Comment.objects.exists()
    assert leader.problems == []

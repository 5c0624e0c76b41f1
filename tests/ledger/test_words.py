"""Chinese words everywhere a user reads (issue 16, item 10): the audit trail in sentences, the reader's and the
forms' refusals, the error pages in the site's own frame, the admin's labels, light tooltips."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from eduplan.ledger import services
from eduplan.ledger.models import Assignment


def _trail(client, task) -> str:
    html = client.get(f"/tasks/{task.pk}/").content.decode()
    return re.search(r'<table id="audit">(.*?)</table>', html, re.S).group(1)


def test_the_audit_trail_reads_as_sentences(page, signed_task, users, city):
    office = users["office"]
    services.file_request(
        users["basic"],
        signed_task,
        "extend",
        "用地手续未完成",
        new_due_date=signed_task.due_date + dt.timedelta(days=46),
    )
    services.review(office, signed_task.requests.get(), True)
    signed_task.refresh_from_db()
    services.edit_task(office, signed_task, {"title": "增加普惠性学位"}, signed_task.version)
    trail = _trail(page("office"), signed_task)
    old, new = signed_task.due_date - dt.timedelta(days=46), signed_task.due_date
    for words in (
        "基础教育处 签收",
        f"督查室 批准延期：{old} → {new}",
        f"基础教育处 提出延期申请：{old} → {new}",
        "督查室 交办 基础教育处（牵头）",
        "督查室 交办 江东区（配合）",
        "督查室 修改事项：标题：增加普惠学位 → 增加普惠性学位",
    ):
        assert words in trail, words
    for code in (
        "assign",
        "review-extend-approved",
        "request-extend",
        "role：",
        "lead",
        "due_date",
        "status：",
    ):
        assert code not in trail, code


def test_an_unknown_action_still_reads_in_words(page, signed_task, users):
    services.audit(
        users["office"],
        "withdraw-assignment",
        task=signed_task,
        before={"org": "江东区", "role": "cooperate", "status": "pending"},
        after={},
    )
    trail = _trail(page("office"), signed_task)
    assert "督查室 修改：单位：江东区 → —；角色：配合 → —；状态：待签收 → —" in trail


@pytest.mark.parametrize(
    ("data", "name", "words"),
    [
        (b"\x00\x01\x02\x03" * 500, "junk.docx", "junk.docx：不是工作要点文件"),
        (b"PK\x05\x06" + b"\x00" * 18, "wrongcols.docx", "wrongcols.docx："),
    ],
)
def test_a_refused_plan_file_is_told_in_chinese(page, api, users, data, name, words):
    html = (
        page("office")
        .post("/plans/import/", {"file": SimpleUploadedFile(name, data)}, follow=True)
        .content.decode()
    )
    message = re.search(r'<li class="error">(.*?)</li>', html, re.S).group(1)
    assert words in message and _english_words(message.replace(name, "")) <= {"Word", "PDF", "docx"}, message
    body = (
        api("office")
        .post("/api/plans/import/", {"file": SimpleUploadedFile(name, data)}, format="multipart")
        .json()
    )
    assert words in body["detail"] and _english_words(body["detail"].replace(name, "")) <= {
        "Word",
        "PDF",
        "docx",
    }


def _english_words(text: str) -> set[str]:
    return set(re.findall(r"[A-Za-z]{3,}", text))


def test_a_form_error_names_the_field_by_its_label(page, signed_task):
    target = signed_task.targets.first()
    response = page("basic").post(
        f"/tasks/{signed_task.pk}/report/", {"progress": "已开工", f"target_{target.pk}": "很多"}, follow=True
    )
    html = response.content.decode()
    assert f"target_{target.pk}" not in html and f"{target.indicator}（当前值，{target.unit}）：" in html


def test_a_page_out_of_scope_is_the_sites_own_404_in_chinese(page, plan):
    theirs = plan.tasks.get(assignments__org__code="d2")
    response = page("teachers").get(f"/tasks/{theirs.pk}/")
    html = response.content.decode()
    assert (
        response.status_code == 404
        and "页面不存在" in html
        and "督办台账" in html
        and "Not Found" not in html
    )


def test_a_csrf_failure_is_the_sites_own_page_in_chinese(users, signed_task):
    client = Client(enforce_csrf_checks=True)
    client.force_login(users["office"])
    response = client.post(f"/tasks/{signed_task.pk}/urge/", {"text": "请报送"})
    html = response.content.decode()
    assert response.status_code == 403 and "页面已过期" in html and "CSRF验证失败" not in html
    assert f"/tasks/{signed_task.pk}/" not in html or "督办台账" in html


def test_a_server_error_page_is_in_chinese(rf):
    from django.views.defaults import server_error

    html = server_error(rf.get("/")).content.decode()
    assert "系统出错" in html and "Server Error" not in html


def test_the_admin_speaks_chinese(users):
    admin = users["admin"]
    admin.is_staff = admin.is_superuser = True
    admin.save()
    client = Client()
    client.force_login(admin)
    home = client.get("/admin/").content.decode()
    assert "Audit entrys" not in home and "Orgs" not in home and "操作记录" in home and "单位" in home
    assert "督办台账管理" in home and "Django 管理" not in home
    users_page = client.get("/admin/ledger/user/").content.decode()
    assert "角色" in users_page and ">role<" not in users_page.lower() and "以 role" not in users_page
    add_page = client.get("/admin/ledger/user/add/").content.decode()
    assert "After you" not in add_page and "创建用户后" in add_page


def test_light_tooltips_are_words(page, plan):
    html = page("office").get("/").content.decode()
    assert not re.search(r'title="(red|yellow|green|grey)"', html)
    assert re.search(r'title="(逾期|预警|正常|已办结或中止)"', html)


def test_new_assignment_sentence_names_the_role_in_words(page, plan, users, city):
    task = plan.tasks.get(position=3)
    services.assign(users["office"], task, city["teachers"], Assignment.Role.LEAD, dt.date(2030, 1, 31))
    assert "督查室 交办 教师工作处（牵头），时限 2030-01-31" in _trail(page("office"), task)


def test_corrections_read_as_sentences(page, signed_task, users, city):
    """Every correction of issue 16 (withdraw, transfer, a target deleted, a report corrected and withdrawn, a
    plan renamed and archived) reads as a sentence with its before and after, never as a code."""
    from eduplan.ledger.models import Org, ProgressReport, Target

    office, basic = users["office"], users["basic"]
    target = Target.objects.create(task=signed_task, indicator="新增学位", comparator="=", value=3600, unit="个")
    services.delete_target(office, signed_task, target)
    helper = signed_task.assignments.get(role=Assignment.Role.COOPERATE)
    services.transfer_assignment(office, helper, Org.objects.exclude(pk=helper.org_id).filter(kind="district").first())
    services.report(basic, signed_task, progress="完成选址")
    entry = ProgressReport.objects.get(task=signed_task)
    services.correct_report(basic, entry, progress="完成选址和立项")
    services.withdraw_report(basic, ProgressReport.objects.get(pk=entry.pk))
    trail = _trail(page("office"), signed_task)
    for words in ("督查室 删除目标：新增学位 = 3600个", "督查室 转办：江东区 →", "基础教育处 更正",
                  "完成情况：完成选址 → 完成选址和立项", "基础教育处 撤回"):
        assert words in trail, (words, re.sub(r"<[^>]+>", " ", trail))
    for code in ("target-delete", "transfer", "report-correct", "report-withdraw", "修改："):
        assert code not in trail, code

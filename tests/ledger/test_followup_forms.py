"""Forms a clerk can read, the header without repeated names, a favicon (issue 17, item 11)."""

from __future__ import annotations

import re


def test_the_assign_row_and_the_urge_box_have_labels(page, task):
    body = page("office").get(f"/tasks/{task.pk}/").content.decode()
    assert re.search(r'<label>承办单位 <select name="org"', body)
    assert (
        '<label>角色 <select name="role"' in body
        and '<label>完成时限 <input type="date" name="due_date"' in body
    )
    assert '<label>催办说明（可空） <input name="text"></label>' in body


def test_the_draft_page_names_its_controls(page, draft_plan):
    body = page("office").get(f"/plans/{draft_plan.pk}/").content.decode()
    assert "从第几个字拆分" in body and "拆分为两项" in body and "保存目标" in body
    assert ">改<" not in body and "字位置" not in body
    assert body.count('placeholder="上限（区间）"') >= 1


def test_the_header_says_each_name_once(page, users):
    office = users["office"]
    office.first_name = "督查室"
    office.save(update_fields=["first_name"])
    who = re.search(r'id="account">(.*?)</a>', page("office").get("/todo/").content.decode()).group(1)
    assert who == "督查室"
    who = re.search(r'id="account">(.*?)</a>', page("basic").get("/todo/").content.decode()).group(1)
    assert who == "basic · 科室 · 基础教育处"


def test_a_favicon(client, db):
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"].endswith("favicon.svg")

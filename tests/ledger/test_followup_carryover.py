"""The year carried over (issue 17, item 7): unfinished items of last year's plan carried into the new
year's plan, linked both ways, the old item's history kept, the units asked to sign again."""

from __future__ import annotations

import datetime as dt

from eduplan.followup.models import CarryOver
from eduplan.ledger import services
from eduplan.ledger.models import Assignment, AuditEntry, Notice, Plan, ProgressReport, Request, Task
from eduplan.ledger.plan_import import import_plan

NEW_YEAR = "滨江市教育局2025年工作要点\n一、总则\n1.推进新一年工作。年内完成。\n"


def _new_plan(users, publish=True) -> Plan:
    plan = import_plan(users["office"], NEW_YEAR.encode(), "plan2025.txt")
    plan.year = 2025
    plan.save(update_fields=["year"])
    if publish:
        services.publish_plan(users["office"], plan)
    return plan


def test_open_items_are_carried_with_links_targets_units_and_history(page, signed_task, users, plan):
    plan.year = 2024
    plan.save(update_fields=["year"])
    services.report(users["basic"], signed_task, progress="完成8所")
    new_plan = _new_plan(users)
    closed = plan.tasks.order_by("position")[1]
    Task.objects.filter(pk=closed.pk).update(status=Task.Status.CLOSED)
    office = page("office")
    listing = office.get(f"/plans/{new_plan.pk}/carry/").content.decode()
    assert signed_task.title in listing and f'value="{closed.pk}"' not in listing

    response = office.post(f"/plans/{new_plan.pk}/carry/", {"task": [signed_task.pk]}, follow=True)
    assert "已结转 1 项" in response.content.decode()
    new = CarryOver.objects.get(old_task=signed_task).new_task
    assert new.plan == new_plan and new.title == signed_task.title and new.status == Task.Status.ACTIVE
    assert new.due_date == dt.date(2025, 12, 31)  # the old deadline (2024) lay in the past year
    assert [(t.indicator, t.value) for t in new.targets.all()] == [
        (t.indicator, t.value) for t in signed_task.targets.all()
    ]
    assert sorted(new.assignments.values_list("org__name", "role", "status")) == [
        ("基础教育处", "lead", "pending"),
        ("江东区", "cooperate", "pending"),
    ]
    assert Notice.objects.filter(recipient=users["basic"], task=new, kind="assign").exists()
    # the old item keeps its report and says where it went; the new one where it came from
    assert ProgressReport.objects.filter(task=signed_task).count() == 1
    assert f"/tasks/{new.pk}/" in office.get(f"/tasks/{signed_task.pk}/").content.decode()
    assert f"/tasks/{signed_task.pk}/" in office.get(f"/tasks/{new.pk}/").content.decode()
    assert AuditEntry.objects.filter(task=new, action="carry-in").exists()

    again = office.post(f"/plans/{new_plan.pk}/carry/", {"task": [signed_task.pk]}, follow=True)
    assert "已结转，不能重复结转" in again.content.decode()
    assert CarryOver.objects.count() == 1


def test_a_draft_plan_takes_items_as_drafts_and_refusals_are_messages(page, signed_task, users, plan):
    draft = _new_plan(users, publish=False)
    response = page("office").post(f"/plans/{draft.pk}/carry/", {"task": [signed_task.pk]}, follow=True)
    new = CarryOver.objects.get().new_task
    assert new.status == Task.Status.DRAFT and Assignment.objects.filter(task=new).count() == 2
    assert "请先勾选" in page("office").post(f"/plans/{draft.pk}/carry/", {}, follow=True).content.decode()
    assert page("basic").get(f"/plans/{draft.pk}/carry/").status_code == 403
    assert "已结转 1 项" in response.content.decode()


def test_an_item_under_review_is_carried_but_a_closed_one_is_refused(page, signed_task, users, plan):
    services.file_request(
        users["basic"], signed_task, Request.Kind.EXTEND, "延期", new_due_date=dt.date(2030, 1, 1)
    )
    new_plan = _new_plan(users)
    other = plan.tasks.order_by("position")[1]
    Task.objects.filter(pk=other.pk).update(status=Task.Status.SUSPENDED)
    response = page("office").post(
        f"/plans/{new_plan.pk}/carry/", {"task": [signed_task.pk, other.pk]}, follow=True
    )
    body = response.content.decode()
    assert "已结转 1 项" in body and f"“{other.title}”状态为已中止，无需结转" in body


def test_a_carry_racing_another_is_refused_and_leaves_nothing_behind(signed_task, users, plan):
    """The link's uniqueness decides when two office users carry the same item at once (SQLite locks nothing
    on select_for_update): the loser gets a message and its half-made item is rolled back."""
    from unittest import mock

    from eduplan.followup import carryover

    new_plan = _new_plan(users)
    carryover.carry(users["office"], new_plan, signed_task)
    before = Task.objects.count()
    with mock.patch.object(carryover.CarryOver.objects, "filter") as already:  # the check sees nothing yet
        already.return_value.exists.return_value = False
        try:
            carryover.carry(users["office"], new_plan, signed_task)
        except services.Invalid as refused:
            assert "不能重复结转" in str(refused)
        else:
            raise AssertionError("carried twice")
    assert Task.objects.count() == before and CarryOver.objects.count() == 1

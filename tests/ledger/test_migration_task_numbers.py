"""Migration 0004_task_number_assignment_created_at on a ledger that already has plans: 序号 from each plan's parsed
document, each unit's assignment time from the audit trail (else the plan's publication)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [("ledger", "0003_transitions")]
AFTER = [("ledger", "0004_task_number_assignment_created_at")]
PARSED = {
    "documents": [
        {
            "items": [
                {
                    "marker": "一、",
                    "children": [
                        {
                            "marker": "(一)",
                            "children": [{"marker": "1.", "children": []}, {"marker": "2.", "children": []}],
                        }
                    ],
                },
                {"marker": "二、", "children": [{"marker": "3.", "children": []}]},
            ]
        }
    ]
}


@pytest.mark.django_db(transaction=True)
def test_existing_plans_get_their_numbers_and_assignment_times():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    apps = executor.loader.project_state(BEFORE).apps
    Org, Plan, Task = (
        apps.get_model("ledger", "Org"),
        apps.get_model("ledger", "Plan"),
        apps.get_model("ledger", "Task"),
    )
    Assignment, AuditEntry = apps.get_model("ledger", "Assignment"), apps.get_model("ledger", "AuditEntry")
    unit = Org.objects.create(kind="department", code="basic", name="基础教育处")
    published = timezone.now() - dt.timedelta(days=90)
    plan = Plan.objects.create(
        title="计划", year=2026, status="published", parse_json=PARSED, published_at=published
    )
    tasks = [Task.objects.create(plan=plan, position=n, title=f"事项{n}", status="active") for n in (1, 2, 3)]
    Assignment.objects.create(task=tasks[0], org=unit, role="lead")
    Assignment.objects.create(task=tasks[1], org=unit, role="lead")
    AuditEntry.objects.create(
        task=tasks[0], plan=plan, action="assign", after={"org": "基础教育处", "role": "lead"}
    )
    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    apps = executor.loader.project_state(AFTER).apps
    Task, Assignment = apps.get_model("ledger", "Task"), apps.get_model("ledger", "Assignment")
    assert list(Task.objects.order_by("position").values_list("number", flat=True)) == [
        "一、（一）1.",
        "一、（一）2.",
        "二、3.",
    ]
    given = dict(Assignment.objects.values_list("task__position", "created_at"))
    assert given[2] == published  # no assign entry: the plan's publication
    assert abs((timezone.now() - given[1]).total_seconds()) < 120  # its assign entry, just written
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

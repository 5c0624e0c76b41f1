"""Task.number: the plan's own 序号 (一、（一）1.), filled for plans read before it from their parsed document.
Assignment.created_at: when a unit was given the item (the 月报 of a past month and the first reporting month
read it), filled from the audit trail's assign entries, else the plan's publication or creation."""

import django.utils.timezone
from django.db import migrations, models


def _marker_paths(items, trail=""):
    for item in items:
        path = trail + _shown(item.get("marker", ""))
        if item.get("children"):
            yield from _marker_paths(item["children"], path)
        else:
            yield path


def _shown(marker: str) -> str:
    return marker.replace("(", "（").replace(")", "）")


def fill_numbers(apps, schema_editor):
    Plan = apps.get_model("ledger", "Plan")
    for plan in Plan.objects.exclude(parse_json={}).iterator():
        documents = [d for d in (plan.parse_json or {}).get("documents", []) if d.get("items")]
        if not documents:
            continue
        paths = list(_marker_paths(documents[0]["items"]))
        tasks = list(plan.tasks.order_by("position", "id"))
        if len(paths) != len(tasks):  # split or merged in the draft: the position stands in
            continue
        for task, path in zip(tasks, paths, strict=True):
            task.number = path[:40]
            task.save(update_fields=["number"])


def fill_assigned_at(apps, schema_editor):
    Assignment, AuditEntry = apps.get_model("ledger", "Assignment"), apps.get_model("ledger", "AuditEntry")
    first: dict[tuple[int, str], object] = {}
    for task_id, after, at in (
        AuditEntry.objects.filter(action="assign").order_by("at").values_list("task_id", "after", "at")
    ):
        if isinstance(after, dict) and after.get("org"):
            first.setdefault((task_id, after["org"]), at)
    for assignment in Assignment.objects.select_related("org", "task__plan").iterator():
        plan = assignment.task.plan
        assignment.created_at = (
            first.get((assignment.task_id, assignment.org.name)) or plan.published_at or plan.created_at
        )
        assignment.save(update_fields=["created_at"])


class Migration(migrations.Migration):
    dependencies = [("ledger", "0003_transitions")]

    operations = [
        migrations.AddField(
            model_name="task", name="number", field=models.CharField(blank=True, max_length=40)
        ),
        migrations.RunPython(fill_numbers, migrations.RunPython.noop),
        migrations.AddField(
            model_name="assignment",
            name="created_at",
            field=models.DateTimeField(default=django.utils.timezone.now),
        ),
        migrations.RunPython(fill_assigned_at, migrations.RunPython.noop),
    ]

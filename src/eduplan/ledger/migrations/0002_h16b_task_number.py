"""Task.number: the plan's own 序号 (一、（一）1.), filled for plans read before it from their parsed document."""

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


class Migration(migrations.Migration):
    dependencies = [("ledger", "0002_audit_newest_indexes")]

    operations = [
        migrations.AddField(model_name="task", name="number", field=models.CharField(blank=True, max_length=40)),
        migrations.RunPython(fill_numbers, migrations.RunPython.noop),
    ]

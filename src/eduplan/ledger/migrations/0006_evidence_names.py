"""Evidence files keep their uploaded name in the row and are stored under random names from now on.

Files stored before keep their path (evidence/YYYY/MM/<original name>); their name is taken from it, so the
download view hands them out under the name they were uploaded with.
"""

from pathlib import PurePath

from django.db import migrations, models

import eduplan.ledger.evidence


def _names_from_paths(apps, schema_editor):
    for model, field in (("ProgressReport", "attachment"), ("Request", "evidence")):
        rows = apps.get_model("ledger", model).objects.exclude(**{field: ""})
        for row in rows.only("pk", field).iterator():
            name = PurePath(getattr(row, field).name).name[:255]
            rows.filter(pk=row.pk).update(**{f"{field}_name": name})


class Migration(migrations.Migration):
    dependencies = [("ledger", "0005_chinese_labels")]

    operations = [
        migrations.AddField("progressreport", "attachment_name", models.CharField(blank=True, max_length=255)),
        migrations.AddField("request", "evidence_name", models.CharField(blank=True, max_length=255)),
        migrations.AlterField("progressreport", "attachment",
                              models.FileField(blank=True, upload_to=eduplan.ledger.evidence.stored_name)),
        migrations.AlterField("request", "evidence",
                              models.FileField(blank=True, upload_to=eduplan.ledger.evidence.stored_name)),
        migrations.RunPython(_names_from_paths, migrations.RunPython.noop),
    ]

"""Accounts and audit (audit M6-M8): actors' names kept on audit entries, the security log, lock releases,
hashed API tokens. DRF's plain-text tokens are moved in (hashed, expiring after the usual lifetime) and
deleted from its table."""

import datetime as dt
import hashlib
import os

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def _actor_names(apps, schema_editor):
    entries = apps.get_model("ledger", "AuditEntry")
    users = apps.get_model("ledger", "User")
    for user in users.objects.filter(pk__in=entries.objects.values("actor_id")).only("pk", "username"):
        # QuerySet.update of the historical model: the app's append-only manager is not in play here
        entries.objects.filter(actor_id=user.pk).update(actor_name=user.username)


def _hash_drf_tokens(apps, schema_editor):
    from django.utils import timezone

    try:
        old = apps.get_model("authtoken", "Token")
    except LookupError:
        return
    tokens = apps.get_model("ledger", "ApiToken")
    expires = timezone.now() + dt.timedelta(days=int(os.environ.get("EDUPLAN_TOKEN_DAYS", "30")))
    for token in old.objects.all():
        tokens.objects.create(user_id=token.user_id, digest=hashlib.sha256(token.key.encode()).hexdigest(),
                              prefix=token.key[:8], expires_at=expires)
    old.objects.all().delete()


class Migration(migrations.Migration):

    dependencies = [
        ("ledger", "0006_evidence_names"),
        ('authtoken', '0003_tokenproxy'),
    ]

    operations = [
        migrations.AddField(
            model_name='auditentry',
            name='actor_name',
            field=models.CharField(blank=True, max_length=150),
        ),
        migrations.AlterField(
            model_name='auditentry',
            name='actor',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.CreateModel(
            name='ApiToken',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('digest', models.CharField(max_length=64, unique=True)),
                ('prefix', models.CharField(max_length=8)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('expires_at', models.DateTimeField()),
                ('last_used_at', models.DateTimeField(blank=True, null=True)),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='api_tokens', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['-created_at', '-id'],
            },
        ),
        migrations.CreateModel(
            name='LoginLockRelease',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('at', models.DateTimeField(auto_now_add=True)),
                ('username', models.CharField(blank=True, max_length=150)),
                ('address', models.GenericIPAddressField(blank=True, null=True)),
                ('released_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={'verbose_name': '登录锁定解除', 'verbose_name_plural': '登录锁定解除'},
        ),
        migrations.CreateModel(
            name='SecurityEvent',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('at', models.DateTimeField(auto_now_add=True, db_index=True)),
                ('username', models.CharField(blank=True, max_length=150)),
                ('address', models.GenericIPAddressField(blank=True, null=True)),
                ('action', models.CharField(max_length=32)),
                ('detail', models.CharField(blank=True, max_length=300)),
                ('actor', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['-at', '-id'],
                'verbose_name': '安全日志',
                'verbose_name_plural': '安全日志',
                'indexes': [models.Index(fields=['action', 'username', 'at'], name='security_failures'), models.Index(fields=['action', 'address', 'at'], name='security_failures_by_address')],
            },
        ),
        migrations.RunPython(_actor_names, migrations.RunPython.noop),
        migrations.RunPython(_hash_drf_tokens, migrations.RunPython.noop),
    ]

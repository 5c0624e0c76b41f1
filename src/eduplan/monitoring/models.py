"""A person's decision on which catalog indicator measures a ledger target.

Only confirmed decisions are stored; without one, the target is judged on the reader's confident
automatic link (eduplan.indicators.targets.link_target). An empty indicator_id records "no catalog
indicator measures this target", so the automatic link is not used either.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class TargetLink(models.Model):
    target = models.OneToOneField("ledger.Target", on_delete=models.CASCADE, related_name="link")
    indicator_id = models.CharField(max_length=64, blank=True)
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    confirmed_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"{self.target_id} → {self.indicator_id or '—'}"

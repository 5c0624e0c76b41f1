"""Signing in: Django's ModelBackend, but the user of each request arrives with their unit and its parent."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class UnitBackend(ModelBackend):
    """Every page reads the user's unit (the header) and a school's district (what it may see): one query
    for all three instead of three."""

    def get_user(self, user_id):
        model = get_user_model()
        try:
            user = model._default_manager.select_related("org__parent").get(pk=user_id)
        except model.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None

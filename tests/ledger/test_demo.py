"""The demo city: every unit, one user per role, the sample plan published and lights of every colour."""

from __future__ import annotations

import pytest
from django.db.models import Max

from eduplan.demo.city import DEPARTMENTS, DISTRICTS
from eduplan.demo.ledger_demo import USERS, set_up
from eduplan.ledger.lights import light
from eduplan.ledger.models import Org, Task, User


@pytest.mark.django_db
def test_demo_city_shows_every_light(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    printed = set_up()
    assert {name for name, _, _ in printed} == {username for username, *_ in USERS}
    assert Org.objects.filter(kind="district").count() == len(DISTRICTS) == 11
    assert Org.objects.filter(kind="department").count() == len(DEPARTMENTS)
    assert {user.role for user in User.objects.all()} == set(User.Role.values)
    tasks = Task.objects.annotate(latest=Max("reports__period"))
    assert tasks.count() > 10
    assert {light(task, latest_period=task.latest) for task in tasks} == {"red", "yellow", "green", "grey"}
    assert set_up() and Task.objects.count() == tasks.count()  # running it again adds nothing

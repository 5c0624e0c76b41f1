"""The hand-made town (town.py) as a fixture."""

from __future__ import annotations

import pytest
from town import town_db


@pytest.fixture
def town():
    con = town_db()
    yield con
    con.close()

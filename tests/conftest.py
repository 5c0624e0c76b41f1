"""Shared fixtures: where ../shared is, and the project's own sample documents."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """../shared beside the checkout; tests that need it skip with the reason where it is absent."""
    if not (SHARED / "seeds").is_dir():
        pytest.skip(f"{SHARED} is absent: the seed documents and answer keys live outside the repository")
    return SHARED


@pytest.fixture(scope="session")
def seed_paths(shared_dir: Path) -> list[Path]:
    return sorted((shared_dir / "seeds").glob("*.txt"))


@pytest.fixture(autouse=True)
def _data_in_tmp(tmp_path_factory):
    """No test reads or writes the checkout's ./var: statistics and uploads go to a fresh folder per test
    (parallel workers would otherwise share one DuckDB file). Tests that need their own still set them."""
    from django.conf import settings  # configured by pytest-django from pyproject's DJANGO_SETTINGS_MODULE

    folder = tmp_path_factory.mktemp("var")
    saved = settings.EDUPLAN_STATS_DB, settings.MEDIA_ROOT
    settings.EDUPLAN_STATS_DB, settings.MEDIA_ROOT = folder / "statistics.duckdb", folder / "media"
    yield
    settings.EDUPLAN_STATS_DB, settings.MEDIA_ROOT = saved

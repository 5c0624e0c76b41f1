"""Shared fixtures: where ../shared is, and the project's own sample documents."""

from __future__ import annotations

import fcntl
import shutil
import subprocess
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


# --- LibreOffice: the reports' layout test and the reader's .doc files --------------------------

ENSURE = ROOT / "scripts" / "ensure-libreoffice.sh"
TOOLS = ("soffice", "pdftoppm", "pdffonts", "pdfinfo")


@pytest.fixture(scope="session")
def office() -> None:
    """Make sure soffice and poppler are there; skip, saying why, only when they cannot be installed."""
    if _ready():
        return
    # Under pytest-xdist two workers may get here at once: apt must run once at a time.
    with open("/tmp/eduplan-ensure-libreoffice.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            result = subprocess.run(["sh", str(ENSURE)], capture_output=True, text=True, timeout=900)
            reason = (result.stderr.strip().splitlines() or [f"{ENSURE.name} exited {result.returncode}"])[-1]
        except (OSError, subprocess.TimeoutExpired) as error:
            reason = f"{ENSURE.name} could not run: {error}"
    missing = [tool for tool in TOOLS if not shutil.which(tool)] + ([] if _has_cjk_fonts() else ["Noto CJK fonts"])
    if missing:
        pytest.skip(f"LibreOffice/poppler could not be installed ({', '.join(missing)} missing): {reason}")


def _ready() -> bool:
    return all(shutil.which(tool) for tool in TOOLS) and _has_cjk_fonts()


def _has_cjk_fonts() -> bool:
    """The fallbacks the font map names; without them every Chinese glyph would be missing."""
    if not shutil.which("fc-list"):
        return False
    families = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True).stdout
    return "Noto Serif CJK SC" in families and "Noto Sans CJK SC" in families


FONT_MAP = ROOT / "scripts" / "fonts" / "eduplan-gbt9704.conf"


@pytest.fixture(scope="session")
def font_environment(tmp_path_factory) -> dict[str, str]:
    """fontconfig set up as on a conversion server: system fonts plus the 公文 font map."""
    folder = tmp_path_factory.mktemp("fontconfig")
    config = folder / "fonts.conf"
    config.write_text(
        '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
        f"<include>/etc/fonts/fonts.conf</include><include>{FONT_MAP}</include></fontconfig>",
        encoding="utf-8",
    )
    return {"FONTCONFIG_FILE": str(config)}

"""LibreOffice for the layout test: installed on demand by scripts/ensure-libreoffice.sh."""

from __future__ import annotations

import fcntl
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ENSURE = ROOT / "scripts" / "ensure-libreoffice.sh"
FONT_MAP = ROOT / "scripts" / "fonts" / "eduplan-gbt9704.conf"
TOOLS = ("soffice", "pdftoppm", "pdffonts", "pdfinfo")


@pytest.fixture(scope="session")
def office() -> None:
    """Make sure soffice and poppler are there; skip, saying why, only when they cannot be installed."""
    if all(shutil.which(tool) for tool in TOOLS):
        return
    # Under pytest-xdist two workers may get here at once: apt must run once at a time.
    with open("/tmp/eduplan-ensure-libreoffice.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        result = subprocess.run(["sh", str(ENSURE)], capture_output=True, text=True, timeout=900)
    missing = [tool for tool in TOOLS if not shutil.which(tool)]
    if missing:
        reason = (result.stderr.strip().splitlines() or ["no message"])[-1]
        pytest.skip(f"LibreOffice/poppler could not be installed ({', '.join(missing)} missing): {reason}")


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

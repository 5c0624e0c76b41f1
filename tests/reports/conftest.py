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

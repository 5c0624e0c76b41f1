"""The project's own sample documents: a demo city's plan and summary, for the demo and tests."""

from __future__ import annotations

from pathlib import Path

_HERE = Path(__file__).parent
_FILES = {"plan": "binjiang-2024-plan.txt", "summary": "binjiang-2023-summary.txt"}


def sample_path(kind: str) -> Path:
    """Path of the demo city's sample document: kind is "plan" or "summary"."""
    return _HERE / _FILES[kind]

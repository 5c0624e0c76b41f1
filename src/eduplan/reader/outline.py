"""Clean lines to documents: title, year, kind, preamble and the numbered item tree."""

from __future__ import annotations

from .model import Document


def outline(lines: list[str]) -> list[Document]:
    if not lines:
        return []
    return [Document(title=None, year=None, kind="plan", preamble="".join(lines))]

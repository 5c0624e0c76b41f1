"""Targets, actuals, deadlines and deliverables found in a document's text."""

from __future__ import annotations

from .model import Document


def annotate(document: Document) -> None:
    """Fill the targets, actuals, deadlines and deliverables of the document and its items."""
    return None

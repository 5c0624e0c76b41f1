"""The plan reader: any real 工作要点 / 工作总结 file in, the numbered tree out.

    from eduplan.reader import read
    plan = read("plan.docx")          # or bytes, with name=
    plan.to_dict()                    # the eduplan.parse/1 object
"""

from __future__ import annotations

from pathlib import Path

from .clean import clean
from .decode import decode
from .errors import ReaderError
from .extract import annotate
from .model import Actual, Deadline, Deliverable, Document, Item, Plan, Source, Target
from .outline import outline

__all__ = ["read", "ReaderError", "Plan", "Document", "Item", "Target", "Actual", "Deadline",
           "Deliverable", "Source", "MAX_BYTES"]

# A real plan is well under 5 MB even as a PDF with images; the cap keeps memory bounded.
MAX_BYTES = 50 * 1024 * 1024


def read(source: str | Path | bytes, name: str | None = None) -> Plan:
    """Read a plan from a path or from bytes; raise ReaderError with a one-line message."""
    data, name = _load(source, name)
    raw = decode(data, name)
    cleaned = clean(raw.text)
    documents = outline(cleaned.lines)
    for document in documents:
        annotate(document)
    plan = Plan(Source(name, raw.format, raw.encoding, cleaned.script), documents,
                cleaned="\n".join(str(line) for line in cleaned.lines))
    plan.warnings.extend(raw.warnings)  # e.g. a damaged PDF read only up to some page
    if not any(document.items for document in documents):
        plan.warnings.append(f"{name}: no numbered structure found; the text is kept as a preamble")
    return plan


def _load(source: str | Path | bytes, name: str | None) -> tuple[bytes, str]:
    if isinstance(source, bytes | bytearray):
        if len(source) > MAX_BYTES:
            raise ReaderError(f"{name or 'input'}: {len(source) // 2**20} MB is larger than the "
                              f"{MAX_BYTES // 2**20} MB a plan can be")
        return bytes(source), name or "input"
    path = Path(source)
    name = name or path.name
    try:
        size = path.stat().st_size
        if not path.is_file():
            raise ReaderError(f"{path}: not a file")
        if size > MAX_BYTES:
            raise ReaderError(f"{name}: {size // 2**20} MB is larger than the {MAX_BYTES // 2**20} MB a plan can be")
        return path.read_bytes(), name
    except FileNotFoundError:
        raise ReaderError(f"{path}: no such file") from None
    except PermissionError:
        raise ReaderError(f"{path}: permission denied") from None
    except IsADirectoryError:
        raise ReaderError(f"{path}: is a directory") from None

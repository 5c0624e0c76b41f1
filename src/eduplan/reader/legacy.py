"""Old Word (.doc, WPS) and RTF files, turned into .docx by LibreOffice when the machine has it.

Bureaus still mail .doc files. LibreOffice runs headless with a profile of its own (so conversions
never wait on each other's lock), in a process group of its own (so a stuck conversion is killed
whole), and within a time limit: a damaged or protected file gets a message, never a hang.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from .errors import ReaderError

TIMEOUT_SECONDS = 90


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .doc, .xls, .wps, a password-protected .docx


def _damaged_ole(data: bytes) -> bool:
    """An OLE compound file states its version 3 or 4, byte order FFFE and a sector size of 2⁹ or 2¹² at
    fixed places in its 512-byte header; LibreOffice reads anything else as plain text, i.e. as garbage."""
    if not data.startswith(OLE_MAGIC):
        return False  # RTF: text, nothing to check
    if len(data) < 512:
        return True
    major, order, shift = (int.from_bytes(data[at:at + 2], "little") for at in (0x1A, 0x1C, 0x1E))
    return (major, shift) not in ((3, 9), (4, 12)) or order != 0xFFFE


def to_docx(data: bytes, name: str, what: str, suffix: str) -> bytes:
    """The file as .docx bytes; ReaderError saying what to do when it cannot be converted."""
    if _damaged_ole(data):
        raise ReaderError(f"{name}: {what}, but damaged (its header is not an Office file's); "
                          "save it again as .docx")
    program = soffice()
    if program is None:
        raise ReaderError(f"{name}: {what}; save it as .docx, or install LibreOffice to read it directly")
    with tempfile.TemporaryDirectory(prefix="eduplan-convert-") as folder:
        source = Path(folder) / f"plan{suffix}"
        source.write_bytes(data)
        command = [program, f"-env:UserInstallation={Path(folder, 'profile').as_uri()}", "--headless",
                   "--norestore", "--convert-to", "docx:MS Word 2007 XML", "--outdir", folder, str(source)]
        _run(command, name)
        converted = source.with_suffix(".docx")
        if not converted.exists():
            raise ReaderError(f"{name}: {what}, and LibreOffice could not open it (password-protected, damaged, "
                              "or not a Word document); save it as an unprotected .docx")
        return converted.read_bytes()


def _run(command: list[str], name: str) -> None:
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               start_new_session=True)
    try:
        process.wait(timeout=TIMEOUT_SECONDS)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        raise ReaderError(f"{name}: LibreOffice did not finish converting it in {TIMEOUT_SECONDS} s "
                          "(a damaged file?); save it as .docx") from None

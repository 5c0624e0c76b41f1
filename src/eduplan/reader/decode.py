"""Bytes in any format the bureau circulates (txt, html, docx, pdf) to plain text.

Owned by the input stage: format sniffing by content, encoding detection, Word
numbering, PDF line joining, HTML to text.
"""

from __future__ import annotations

from dataclasses import dataclass

from .errors import ReaderError


@dataclass
class RawText:
    text: str  # one paragraph per line
    format: str  # txt | html | docx | pdf
    encoding: str  # e.g. utf-8, gb18030, big5; "binary" for docx/pdf


def decode(data: bytes, name: str) -> RawText:
    if not data.strip():
        raise ReaderError(f"{name}: the file is empty")
    try:
        return RawText(data.decode("utf-8"), "txt", "utf-8")
    except UnicodeDecodeError as error:
        raise ReaderError(f"{name}: not UTF-8 text ({error.reason})") from None

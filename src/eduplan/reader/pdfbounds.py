"""Bounds inside pdfminer: how much its streams may inflate and how many content objects a page may hold.

pdfminer inflates every stream whole and interprets every operator of a page, and the reader's time check
ran only between pages: a 62 KB page whose stream inflates to 20 MB of text operators took 33 s and
550 MB (audit H2). While `bounded(name)` is active in a thread, pdfminer's decoders stop at the document's
budget of inflated bytes, its content parser counts objects per page and looks at the clock, and going
past a bound raises TooLarge at once, not after the work is done. Outside it pdfminer is unchanged.
"""

from __future__ import annotations

import threading
import time
import zlib
from contextlib import contextmanager
from io import BytesIO

from eduplan.limits import MB

from .errors import TooLarge

MAX_INFLATED_BYTES = 64 * MB  # every stream of one document; a 300-page plan's are a few MB
MAX_OBJECTS_PER_PAGE = 60_000  # a dense page, each glyph placed on its own (Tm, Tj), has ~25,000
_state = threading.local()


class OutOfTime(Exception):
    """The document's time ran out inside a page: the reader keeps the pages before it."""


class _Budget:
    def __init__(self, name: str, seconds: float):
        self.name, self.seconds = name, seconds
        self.left = MAX_INFLATED_BYTES
        self.ends = time.monotonic() + seconds

    def spend(self, size: int) -> None:
        self.left -= size
        if self.left < 0:
            raise TooLarge(f"{self.name}: refused: its streams inflate to more than {MAX_INFLATED_BYTES // MB} MB "
                           f"(a decompression bomb?)", f"解压后超过 {MAX_INFLATED_BYTES // MB} MB")

    def check_time(self) -> None:
        if time.monotonic() > self.ends:
            raise OutOfTime


def _budget() -> _Budget | None:
    return getattr(_state, "budget", None)


class _Inflater:
    """zlib.decompressobj() whose output counts against the budget (pdfminer's corrupted-stream path)."""

    def __init__(self):
        self._inner = zlib.decompressobj()

    def decompress(self, data: bytes, max_length: int = 0) -> bytes:
        budget = _budget()
        if budget is None:
            return self._inner.decompress(data, max_length)
        out = self._inner.decompress(data, max(budget.left, 0) + 1)
        budget.spend(len(out))
        return out


class _BoundedZlib:
    """Stands in for the zlib module inside pdfminer.pdftypes."""

    error = zlib.error

    @staticmethod
    def decompressobj(*args, **kwargs):
        return _Inflater() if not args and not kwargs else zlib.decompressobj(*args, **kwargs)

    @staticmethod
    def decompress(data: bytes, *args) -> bytes:
        budget = _budget()
        if budget is None:
            return zlib.decompress(data, *args)
        inflater = zlib.decompressobj()
        out = inflater.decompress(data, max(budget.left, 0) + 1)
        budget.spend(len(out))
        if not inflater.eof:
            raise zlib.error("incomplete or truncated stream")  # as zlib.decompress says
        return out


def _lzwdecode(data: bytes) -> bytes:
    from pdfminer.lzw import LZWDecoder

    budget = _budget()
    out = []
    for chunk in LZWDecoder(BytesIO(data)).run():
        if budget is not None:
            budget.spend(len(chunk))
        out.append(chunk)
    return b"".join(out)


def _rldecode(data: bytes) -> bytes:
    """PDF RunLengthDecode (ISO 32000-1, 7.4.5), spending as it goes: a 2-byte run can make 128."""
    budget = _budget()
    out = bytearray()
    i = 0
    while i < len(data):
        length = data[i]
        if length == 128:
            break
        if length < 128:
            chunk = data[i + 1:i + 2 + length]
            i += length + 2
        else:
            chunk = data[i + 1:i + 2] * (257 - length)
            i += 2
        if budget is not None:
            budget.spend(len(chunk))
        out += chunk
    return bytes(out)


_installed = False
_install_lock = threading.Lock()


def _install() -> None:
    global _installed
    with _install_lock:
        if _installed:
            return
        from pdfminer import pdfinterp, pdftypes

        class BoundedContentParser(pdfinterp.PDFContentParser):
            def __init__(self, streams):
                super().__init__(streams)
                self._objects = 0

            def nextobject(self):
                budget = _budget()
                if budget is not None:
                    self._objects += 1
                    if self._objects > MAX_OBJECTS_PER_PAGE:
                        raise TooLarge(f"{budget.name}: refused: a page holds more than {MAX_OBJECTS_PER_PAGE:,} "
                                       f"content objects", f"单页超过 {MAX_OBJECTS_PER_PAGE:,} 个对象")
                    if self._objects % 1024 == 0:
                        budget.check_time()
                return super().nextobject()

        pdfinterp.PDFContentParser = BoundedContentParser
        pdftypes.zlib = _BoundedZlib
        pdftypes.lzwdecode = _lzwdecode
        pdftypes.rldecode = _rldecode
        _installed = True


@contextmanager
def bounded(name: str, seconds: float):
    """pdfminer within the bounds in this thread, for the duration of the block."""
    _install()
    _state.budget = _Budget(name, seconds)
    try:
        yield _state.budget
    finally:
        _state.budget = None

"""Bounds inside pdfminer: how much its streams may inflate and how many content objects a page may hold.

pdfminer inflates every stream whole and interprets every operator of a page, and the reader's time check
ran only between pages: a 62 KB page whose stream inflates to 20 MB of text operators took 33 s and
550 MB (audit H2). While `bounded(name)` is active in a thread, pdfminer's decoders stop at the document's
budget of inflated bytes, its content parser (and pdflines', through count_objects) counts objects per page
and looks at the clock, and going past a bound raises TooLarge at once, not after the work is done. Outside
it pdfminer is unchanged but for ASCII85Decode, which gives the same bytes faster.
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

    def check_objects(self, objects: int) -> None:
        if objects > MAX_OBJECTS_PER_PAGE:
            raise TooLarge(f"{self.name}: refused: a page holds more than {MAX_OBJECTS_PER_PAGE:,} "
                           f"content objects", f"单页超过 {MAX_OBJECTS_PER_PAGE:,} 个对象")


def _budget() -> _Budget | None:
    return getattr(_state, "budget", None)


def count_objects(objects: int) -> None:
    """A page's content parser has read `objects` objects so far (it says so every 1,024 and at the end):
    past the bound it is refused, and past the document's time the reader stops."""
    budget = _budget()
    if budget is not None:
        budget.check_objects(objects)
        budget.check_time()


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


_A85_DIGITS = bytes(range(33, 118))  # "!" to "u"
_A85_VALUES = bytes((c - 33) % 256 for c in range(256))


def _ascii85decode(data: bytes) -> bytes:
    """pdfminer's ASCII85Decode at C speed (base64.a85decode loops in Python over every byte): the five
    digits of every group are summed for all groups at once in 8-byte lanes of one big integer. What is
    not plain groups (a "z", a stray character, a group past 2**32) goes to the original, which words it."""
    from pdfminer import ascii85

    stripped = ascii85.end_re.sub(b"", ascii85.start_re.sub(b"", data))
    digits = stripped.translate(None, b" \t\n\r\v")
    if digits.translate(None, _A85_DIGITS):
        return ascii85.ascii85decode(data)
    short = -len(digits) % 5
    values = (digits + b"u" * short).translate(_A85_VALUES)
    groups = len(values) // 5
    total = 0
    for place in range(5):
        lanes = bytearray(8 * groups)
        lanes[7::8] = values[place::5]
        total = total * 85 + int.from_bytes(lanes, "big")
    wide = total.to_bytes(8 * groups, "big")
    if any(wide[high::8].strip(b"\0") for high in range(4)):
        return ascii85.ascii85decode(data)
    out = bytearray(4 * groups)
    for byte in range(4):
        out[byte::4] = wide[4 + byte::8]
    return bytes(out[:len(out) - short] if short else out)


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
                    budget.check_objects(self._objects)
                    if self._objects % 1024 == 0:
                        budget.check_time()
                return super().nextobject()

        pdfinterp.PDFContentParser = BoundedContentParser
        pdftypes.zlib = _BoundedZlib
        pdftypes.lzwdecode = _lzwdecode
        pdftypes.rldecode = _rldecode
        pdftypes.ascii85decode = _ascii85decode
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

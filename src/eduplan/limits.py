"""Bounds on the work one uploaded file may cause: inflated size, rows, pages, objects and time.

Every reader of an uploaded file (plan, comparison, ledger .xlsx, statistics .xlsx) checks these inside
its parse, so a small file that unpacks to gigabytes or millions of rows is refused in seconds with a
message, never read to the end. Depends on nothing else in eduplan: the reader, the indicator importer
and the ledger all use it.
"""

from __future__ import annotations

import time
import zipfile

MB = 1024 * 1024


def size_text(n_bytes: int, decimals: int = 1) -> str:
    """A size as every page and message says it: in MB (of 1024 × 1024 bytes), one decimal at most, so the
    limit and the refused file's size read in the same unit (10 MB; 10.4 MB; 0.1 MB for anything smaller)."""
    if n_bytes <= 0:
        return "0 MB"
    return f"{max(round(n_bytes / MB, decimals), 10.0 ** -decimals):g} MB"


def size_and_limit(size: int, limit: int) -> dict[str, str]:
    """A refused file's size and the limit, for a message's %(size)s and %(limit)s: in MB, with the decimals it
    takes to tell them apart (never "10 MB, 上限 10 MB" for a file a few bytes over)."""
    for decimals in (1, 2, 3):
        texts = {"size": size_text(size, decimals), "limit": size_text(limit, decimals)}
        if texts["size"] != texts["limit"]:
            break
    return texts


class TooLarge(Exception):
    """The file would take more memory or time than allowed; str() says which bound, in English.
    `what` is the bound in a few words, for a page to put in its own language."""

    def __init__(self, message: str, what: str = ""):
        super().__init__(message)
        self.what = what or message


def check_zip(archive: zipfile.ZipFile, name: str, *, max_total: int, max_member: int, max_members: int = 5000,
              max_ratio: int = 200) -> None:
    """Refuse an archive by its directory, before any member is inflated. Python's zipfile never inflates
    a member past its declared size (it stops there, and the CRC then fails), so the declared sizes bound
    what reading can cost."""
    infos = archive.infolist()
    if len(infos) > max_members:
        raise TooLarge(f"{name}: holds {len(infos)} files, more than {max_members}", f"{len(infos)} 个文件")
    total = 0
    for info in infos:
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > max_member or total > max_total or (ratio > max_ratio and info.file_size > MB):
            raise TooLarge(f"{name}: refused: {info.filename} would inflate to {info.file_size // MB} MB "
                           f"(limit {max_member // MB} MB a part, {max_total // MB} MB in all; a zip bomb?)",
                           f"解压后 {max(info.file_size, total) // MB} MB")


class Deadline:
    """A time bound checked from inside a loop: cheap enough to call for every row."""

    def __init__(self, seconds: float, what: str):
        self.seconds, self.what = seconds, what
        self.ends = time.monotonic() + seconds
        self.calls = 0

    def check(self) -> None:
        self.calls += 1
        if self.calls % 1024 == 0 and time.monotonic() > self.ends:
            raise TooLarge(f"{self.what}: took longer than {self.seconds:.0f} s", f"处理超过 {self.seconds:.0f} 秒")


# --- .xlsx workbooks (ledger import, statistics import) -----------------------------------------

XLSX_MAX_TOTAL = 64 * MB  # a city's statistics workbook inflates to a few MB
XLSX_MAX_MEMBER = 48 * MB
# openpyxl keeps every shared string in memory (~25x the XML for short strings): 10 M of them took 1.7 GB
XLSX_MAX_SHARED_STRINGS = 8 * MB
XLSX_SECONDS = 60.0


def check_xlsx(source, name: str) -> None:
    """Refuse a workbook whose parts would inflate past the bounds, before openpyxl reads any of them.
    `source` is a path or a binary file; a file that is no zip is left for openpyxl to call damaged."""
    try:
        archive = zipfile.ZipFile(source)
    except (zipfile.BadZipFile, OSError, ValueError):
        return
    with archive:
        check_zip(archive, name, max_total=XLSX_MAX_TOTAL, max_member=XLSX_MAX_MEMBER)
        for info in archive.infolist():
            if info.filename.lower().endswith("sharedstrings.xml") and info.file_size > XLSX_MAX_SHARED_STRINGS:
                raise TooLarge(f"{name}: refused: its shared strings inflate to {info.file_size // MB} MB "
                               f"(limit {XLSX_MAX_SHARED_STRINGS // MB} MB)", f"共享字符串解压后 {info.file_size // MB} MB")
    if hasattr(source, "seek"):
        source.seek(0)


def bounded_rows(rows, name: str, max_rows: int, deadline: Deadline):
    """The sheet's rows, refused past `max_rows` or the deadline, checked as each row is read."""
    for number, row in enumerate(rows, start=1):
        if number > max_rows:
            raise TooLarge(f"{name}: more than {max_rows:,} rows", f"超过 {max_rows:,} 行")
        deadline.check()
        yield row

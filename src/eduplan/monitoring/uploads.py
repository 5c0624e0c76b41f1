"""A year's statistics uploaded on the web: checked, imported all or nothing, the year recomputed.

The upload is an .xlsx workbook (the template: a sheet per table) or the template's .csv files
(one per table, several chosen at once). Files are written to a temporary folder under their own
names, because the importer tells tables apart by sheet or file name.
"""

from __future__ import annotations

import datetime as dt
import re
import tempfile
from contextlib import suppress
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

from eduplan.indicators.errors import IndicatorError
from eduplan.indicators.importer import ImportRejected, Report, import_statistics
from eduplan.limits import size_and_limit

from . import statistics

XLSX_MAGIC = b"PK\x03\x04"  # an .xlsx is a zip archive
FIRST_YEAR, LAST_YEAR = 2000, 2100


class UploadRefused(Exception):
    """A message for the page: the upload was not imported and nothing changed."""


def max_bytes() -> int:
    return getattr(settings, "EDUPLAN_STATS_MAX_UPLOAD_BYTES", settings.MAX_UPLOAD_BYTES)


def school_year(today: dt.date) -> int:
    """The school year a day falls in, named by its autumn (the year the statistics are taken in)."""
    return today.year if today.month >= 9 else today.year - 1


def next_year_due(today: dt.date) -> int:
    """The statistics year an import most likely brings: the one after the latest loaded, or the current school
    year when none is loaded yet."""
    import duckdb

    from eduplan.indicators.schema import years_loaded

    with statistics.reading() as con, suppress(duckdb.Error):  # no schools table yet: none loaded
        loaded = []
        loaded = years_loaded(con) if con is not None else []
    return loaded[-1] + 1 if loaded else school_year(today)


def parse_year(text: str | None) -> int:
    try:
        year = int(str(text or "").strip())
    except ValueError:
        raise UploadRefused(_("请填写统计年份（如 2024，指 2024 学年秋季统计）")) from None
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise UploadRefused(_("统计年份 %(year)s 不在 %(first)s–%(last)s 之间") %
                            {"year": year, "first": FIRST_YEAR, "last": LAST_YEAR})
    return year


def _safe_name(name: str, suffix: str) -> str:
    stem = re.sub(r"[\\/:*?\"<>|\x00-\x1f]", "_", Path(name).stem).strip(". ") or "upload"
    return stem[:100] + suffix


def _check(files: list) -> str:
    """The upload's kind (".xlsx" or ".csv"), or UploadRefused with the reason."""
    if not files:
        raise UploadRefused(_("请选择要导入的统计文件（.xlsx 工作簿，或各表的 .csv 文件）"))
    total = sum(f.size for f in files)
    if total > max_bytes():
        raise UploadRefused(_("文件过大（%(size)s），上限为 %(limit)s，未导入任何数据") %
                            size_and_limit(total, max_bytes()))
    suffixes = {Path(f.name).suffix.lower() for f in files}
    if suffixes == {".xlsx"} and len(files) == 1:
        head = files[0].read(4)
        files[0].seek(0)
        if head != XLSX_MAGIC:
            raise UploadRefused(_("%(name)s 不是 .xlsx 工作簿（文件内容不是 Excel 格式），未导入任何数据") %
                                {"name": files[0].name})
        return ".xlsx"
    if suffixes == {".csv"}:
        return ".csv"
    raise UploadRefused(_("请上传一个 .xlsx 工作簿，或各表的 .csv 文件（不要混合），未导入任何数据"))


def import_upload(files: list, year: int) -> Report:
    """Import the uploaded statistics for `year`; ImportRejected carries the row-level report."""
    kind = _check(files)
    with tempfile.TemporaryDirectory(prefix="eduplan-stats-") as folder:
        target = Path(folder) / "statistics"
        target.mkdir()
        for upload in files:
            with (target / _safe_name(upload.name, kind)).open("wb") as out:
                for chunk in upload.chunks():
                    out.write(chunk)
        source = target if kind == ".csv" else next(target.iterdir())
        with statistics.writing() as con:
            if con.execute("SELECT count(*) FROM org_units WHERE level = 'city'").fetchone()[0] == 0:
                raise UploadRefused(_("统计库中还没有本市及区县名录：请先运行演示数据（eduplan serve --demo），"
                                      "未导入任何数据"))
            return import_statistics(con, source, year)


__all__ = ["ImportRejected", "IndicatorError", "UploadRefused", "import_upload", "parse_year"]

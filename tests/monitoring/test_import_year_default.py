"""The statistics import's year defaults to the next year due (issue 17, item 11): the year after the latest
loaded, or the current school year when nothing is loaded yet."""

from __future__ import annotations

import datetime as dt
import re

from stats_city import YEARS

from eduplan.monitoring import uploads


def _year_box(html: str) -> str:
    return re.search(r'<input name="year" value="([^"]*)"', html).group(1)


def test_the_form_offers_the_year_after_the_latest_loaded(page):
    assert _year_box(page("office").get("/indicators/import/").content.decode()) == str(YEARS[-1] + 1)


def test_a_refused_upload_keeps_the_year_typed(page):
    html = page("office").post("/indicators/import/", {"year": "2019"}).content.decode()
    assert _year_box(html) == "2019"


def test_with_nothing_loaded_the_current_school_year(stats_path):
    assert uploads.next_year_due(dt.date(2026, 12, 5)) == 2026  # autumn 2026's statistics
    assert uploads.next_year_due(dt.date(2026, 5, 5)) == 2025  # spring: the school year began in 2025
    assert uploads.school_year(dt.date(2026, 9, 1)) == 2026

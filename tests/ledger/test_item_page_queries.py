"""The item page reads each of its parts once, whatever the item holds: the light, the evidence list and the
sections share the rows the page prefetched, so a year of reports and requests costs no more queries."""

from __future__ import annotations

import datetime as dt

from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from eduplan.ledger import services
from eduplan.ledger.models import Milestone, ProgressReport


def _queries(client, url: str) -> int:
    client.get(url)  # the first request after signing in also records the session
    with CaptureQueriesContext(connection) as seen:
        assert client.get(url).status_code == 200
    return len(seen.captured_queries)


def test_the_item_page_costs_the_same_queries_however_much_it_holds(page, signed_task, users):
    url = f"/tasks/{signed_task.pk}/"
    office, basic = page("office"), page("basic")
    year = signed_task.plan.year

    def report(month: int) -> None:
        services.report(users["basic"], signed_task, progress=f"{month}月进展", period=dt.date(year, month, 1),
                        attachment=ContentFile(b"%PDF-1.4 evidence", name=f"m{month}.pdf"))

    def ask(days: int) -> None:
        services.file_request(users["basic"], signed_task, "extension", f"需要延期{days}天",
                              new_due_date=signed_task.due_date + dt.timedelta(days=days))

    # one row of each part first: a part with no rows at all skips its prefetch
    report(1)
    ask(30)
    Milestone.objects.create(task=signed_task, title="中期检查", due_date=dt.date(year, 6, 30))
    before = {"office": _queries(office, url), "basic": _queries(basic, url)}
    for month in range(2, 6):
        report(month)
    services.review(users["office"], signed_task.requests.get(), approve=False, note="请补充理由")
    ask(60)  # one pending request at a time: the first is returned
    Milestone.objects.create(task=signed_task, title="年终验收", due_date=dt.date(year, 11, 30))
    assert ProgressReport.objects.filter(task=signed_task).count() == 5
    assert {"office": _queries(office, url), "basic": _queries(basic, url)} == before
    body = office.get(url).content.decode()
    assert body.count("m1.pdf") >= 1 and "5月进展" in body  # the evidence list and the reports from the same rows

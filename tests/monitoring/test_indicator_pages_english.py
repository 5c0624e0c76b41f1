"""Users who pick English get the indicator pages in English (monitoring/locale is compiled): every UI string
of the catalog, an indicator and a ledger item's judged targets has its English, and only data stays Chinese."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from stats_city import YEARS, query

from eduplan import monitoring
from eduplan.indicators.catalog import catalog
from eduplan.ledger.models import Org, Target
from eduplan.monitoring import statistics

pytestmark = pytest.mark.django_db

PO = Path(monitoring.__file__).parent / "locale" / "en" / "LC_MESSAGES" / "django.po"
PLACEHOLDER = re.compile(r"%\(\w+\)s")


def _msgids() -> list[str]:
    """The catalogue's msgids; a quoted line continues the msgid above it (po strings quote like JSON here)."""
    ids, parts = [], None
    for line in PO.read_text(encoding="utf-8").splitlines():
        if line.startswith("msgid "):
            parts = [json.loads(line[len("msgid "):])]
        elif line.startswith('"') and parts is not None:
            parts.append(json.loads(line))
        elif parts is not None:
            ids.append("".join(parts))
            parts = None
    return [m for m in ids if m]


def _pattern(msgid: str) -> re.Pattern:
    """The msgid as shown: each %(name)s stands for some text within the same line."""
    return re.compile(r"[^\n]*?".join(re.escape(part) for part in PLACEHOLDER.split(msgid)))


class _Text(HTMLParser):
    """What a reader sees: text nodes and the labels of attributes, a line each; scripts are left out."""

    LABELS = ("label", "title", "placeholder", "alt", "aria-label")

    def __init__(self):
        super().__init__()
        self.lines, self.skip = [], 0

    def handle_starttag(self, tag, attrs):
        self.skip += tag in ("script", "style")
        self.lines += [value for name, value in attrs if name in self.LABELS and value]

    def handle_endtag(self, tag):
        self.skip -= tag in ("script", "style")

    def handle_data(self, data):
        if not self.skip and data.strip():
            self.lines.append(data.strip())


def _visible(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return "\n".join(parser.lines)


def _data() -> list[str]:
    """Chinese that is data, not UI: indicator names and units, statistics' unit and school names, ledger texts.
    Single characters (units such as 所) are left in, so a msgid they are part of still shows."""
    texts = {text for item in catalog().values()
             for text in (item.name, item.unit, item.source, item.note, *item.aliases)}
    texts |= {name for (name,) in query("SELECT name FROM org_units UNION SELECT name FROM schools")}
    texts |= set(Org.objects.values_list("name", flat=True))
    for target in Target.objects.select_related("task__plan"):
        task = target.task
        texts |= {target.indicator, target.quote, target.unit, task.title, task.section, task.plan.title}
    return sorted((t for t in texts if t and len(t) > 1), key=len, reverse=True)


def _untranslated(html: str, data: list[str]) -> list[str]:
    text = _visible(html)
    for datum in data:
        text = text.replace(datum, "\n")
    return [msgid for msgid in _msgids() if _pattern(msgid).search(text)]


@pytest.fixture
def english(page, plan, settings):
    """The office's client after choosing English through Django's language form."""
    client = page("office")
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/indicators/"})
    assert response.status_code == 302 and client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    return client


def test_the_catalogue_is_complete_and_keeps_placeholders():
    text = PO.read_text(encoding="utf-8")
    entries = re.findall(r'^msgid ((?:".*"\n)+)msgstr ((?:".*"\n?)+)', text, flags=re.M)
    assert len(entries) == len(_msgids()) + 1  # and the header
    for msgid, msgstr in entries[1:]:
        source, english = ("".join(json.loads(line) for line in s.split("\n") if line) for s in (msgid, msgstr))
        assert english, f"no English for {source}"
        assert sorted(PLACEHOLDER.findall(source)) == sorted(PLACEHOLDER.findall(english)), source


def test_catalog_page_in_english(english, page):
    html = english.get("/indicators/").content.decode()
    for words in ("Indicators", "school-year statistics", "National standard", "Standard met?", "Lowest district",
                  "Import statistics"):
        assert words in html
    assert re.search(r"[✓✗] (Met|Missed)</td>", html)
    assert "公办园在园幼儿占比" in html  # an indicator's name is data
    assert _untranslated(html, _data()) == []
    chinese = _untranslated(page("office").get("/indicators/").content.decode(), _data())
    assert {"指标监测", "国家标准", "是否达标", "区县最低"} <= set(chinese)  # the check sees untranslated UI


def test_indicator_page_in_english(english):
    html = english.get(f"/indicators/kg_public_share/?year={YEARS[-1]}").content.decode()
    for words in ("Districts compared", "Trend over the years", "Source data", "higher is better", "Numerator",
                  "Denominator", f"· {YEARS[-1]}\u2060</h3>", "Standard met?"):
        assert words in html
    assert re.search(r"Schools 1–\d+ of \d+", html)
    assert "公办园在园幼儿占比" in html
    assert _untranslated(html, _data()) == []


def test_city_trace_in_english(english):
    city = query("SELECT code FROM org_units WHERE level = 'city'")[0][0]
    html = english.get(f"/indicators/kg_public_share/trace/{city}/?year={YEARS[-1]}").content.decode()
    for words in ("Source data", "City value = sum of the districts' numerators", "District code", "Rows 1–"):
        assert words in html
    assert _untranslated(html, _data()) == []


def test_task_page_judged_targets_in_english(english, plan):
    target = Target.objects.get(task__plan=plan, indicator__contains="公办幼儿园在园幼儿占比")
    html = english.get(f"/tasks/{target.task_id}/").content.decode()
    block = html.split('id="target-judgements"', 1)[1].split("</table>", 1)[0]
    for words in ("Target monitoring", "Judgement", "Projected", "Automatic", "Confirm or change",
                  "Candidate indicators", "No indicator measures this target", "percentage points"):
        assert words in block
    assert re.search(r"(✓ Met|↗ On track|! At risk|✗ Missed|— No data)<", block)
    assert f"%（{YEARS[-1]}\u2060）" in block  # a value's year written bare
    assert "公办幼儿园在园幼儿占比" in block  # the plan's own words are data
    assert _untranslated(block, _data()) == []


def test_assessment_page_in_english(english):
    from eduplan.indicators.assessment import assessments

    html = english.get(f"/indicators/assessments/quality/?year={YEARS[-1]}").content.decode()
    for words in ("Results by district", "Criterion by criterion", "What the statistics cannot judge",
                  "Download the self-assessment report (.docx)"):
        assert words in html
    from eduplan.indicators.assessment import assess

    criteria = [text for spec in assessments().values()
                for text in (spec.name, spec.source, *spec.cannot_judge,
                             *(t for c in spec.criteria for t in (c.label, c.source, c.standard)))]
    with statistics.reading() as con:  # the verdicts' figures, reasons and school details are data too
        criteria += [text for county in assess(con, "quality", YEARS[-1]) for v in county.verdicts
                     for text in (v.shown, v.reason, *(s["detail"] for s in v.schools))]
    assert _untranslated(html, sorted(set(_data()) | set(criteria), key=len, reverse=True)) == []

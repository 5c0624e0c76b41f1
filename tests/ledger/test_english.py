"""English through Django's i18n: every catalogue entry translated and compiled, the pages and messages in it."""

from __future__ import annotations

import gettext
import re
from pathlib import Path

import eduplan.web

CATALOGUE = Path(eduplan.web.__file__).parent / "locale" / "en" / "LC_MESSAGES"


def _entries() -> dict[str, str]:
    """msgid → msgstr from the .po, continuation lines joined."""
    text = (CATALOGUE / "django.po").read_text(encoding="utf-8")
    pairs = re.findall(r'^msgid ((?:".*"\n)+)msgstr ((?:".*"\n)+)', text, flags=re.M)

    def joined(block: str) -> str:
        return "".join(re.findall(r'"(.*)"', block)).replace('\\"', '"').replace("\\n", "\n")

    return {joined(msgid): joined(msgstr) for msgid, msgstr in pairs if joined(msgid)}


def test_every_entry_is_translated_and_compiled():
    entries = _entries()
    assert [msgid for msgid, msgstr in entries.items() if not msgstr] == []
    with (CATALOGUE / "django.mo").open("rb") as compiled:
        catalogue = gettext.GNUTranslations(compiled)
    stale = [msgid for msgid, msgstr in entries.items() if catalogue.gettext(msgid) != msgstr]
    assert stale == [], "django.mo is older than django.po: compile the messages"


def _english(client):
    client.cookies["django_language"] = "en"
    return client


def test_the_import_page_explains_its_columns_in_english(page, users):
    html = _english(page("office")).get("/import-ledger/").content.decode()
    assert "Nothing is imported unless every row is valid" in html and "全部行无误才导入" not in html


def test_messages_after_actions_are_in_english(page, signed_task):
    client = _english(page("basic"))
    response = client.post(f"/tasks/{signed_task.pk}/report/", {"progress": "started"}, follow=True)
    assert "Progress reported" in response.content.decode()
    refused = _english(page("leader")).get("/plans/import/").content.decode()
    assert "Only the supervision office can import plans" in refused


def test_the_audit_trail_names_the_system_in_english(page, signed_task):
    from eduplan.ledger.services import audit

    audit(None, "remind", task=signed_task, after={"text": "x"})
    html = _english(page("office")).get(f"/tasks/{signed_task.pk}/").content.decode()
    assert "<td>System</td>" in html and "<td>系统</td>" not in html


def test_a_page_in_english_leaves_the_threads_language_as_it_was(page):
    from django.utils import translation

    client = page("office")
    client.cookies["django_language"] = "en"
    with translation.override("zh-hans"):
        assert "Due" in client.get("/").content.decode()
        assert translation.get_language() == "zh-hans"  # code after the request still speaks Chinese

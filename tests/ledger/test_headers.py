"""Headers (audit L3, L4): a CSP without inline script on every page, no-store on what a signed-in user
gets, the API schema behind login, and no template left with an inline script or handler."""

from __future__ import annotations

import re
from pathlib import Path

from rest_framework.test import APIClient

SRC = Path(__file__).resolve().parents[2] / "src" / "eduplan"


def test_pages_carry_a_csp_without_inline_script_and_no_store_when_signed_in(page, client, users, plan):
    for url in ("/", "/plans/", "/notices/", "/dashboard/", "/indicators/", "/reports/", "/account/"):
        response = page("office").get(url)
        assert response.status_code == 200, url
        policy = response["Content-Security-Policy"]
        script = re.search(r"script-src ([^;]*)", policy).group(1)
        assert "'unsafe-inline'" not in script and "'unsafe-eval'" not in script
        assert "no-store" in response["Cache-Control"], url
    export = page("office").get("/export.xlsx")
    assert "no-store" in export["Cache-Control"]
    login = client.get("/login/")
    assert "Content-Security-Policy" in login  # Django marks the login page never_cache itself


def test_no_template_has_an_inline_script_or_event_handler():
    inline = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/(?:ld\+)?json)[^>]*>|\son[a-z]+=\"", re.I)
    found = [f"{path.relative_to(SRC)}: {match.group(0)}" for path in SRC.rglob("*.html")
             for match in inline.finditer(path.read_text(encoding="utf-8"))]
    assert found == []


def test_the_api_schema_needs_a_sign_in(api, users):
    assert APIClient().get("/api/schema/").status_code in (401, 403)
    assert api("office").get("/api/schema/").status_code == 200


BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"


def test_the_api_answers_a_browser_in_json_not_in_html(page, users, plan):
    """DRF's browsable API is HTML with forms of its own, outside the pages' CSP-checked templates: off."""
    client = page("office")
    for url in ("/api/", "/api/tasks/", f"/api/plans/{plan.pk}/", "/api/no-such-thing/", "/api/tasks/x/"):
        response = client.get(url, HTTP_ACCEPT=BROWSER_ACCEPT)
        assert response["Content-Type"] == "application/json", url
        assert b"<script" not in response.content, url
    assert client.get("/api/tasks/", HTTP_ACCEPT="text/html").status_code == 406  # and never HTML
    assert client.get("/api/no-such-thing/").json() == {"detail": "未找到。"}
    assert "<html" in client.get("/no-such-page/").content.decode()  # the pages keep their own 404

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

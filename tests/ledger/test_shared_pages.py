"""`eduplan serve`'s worker processes share cached pages through files: each page right in every process."""

from __future__ import annotations

import http.client
import os
import re
import socket
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

import pytest

from eduplan.web.cache import SharedCache


def _cache(folder: Path) -> SharedCache:
    return SharedCache(str(folder), {"OPTIONS": {"MAX_ENTRIES": 100}})


def test_a_value_set_in_one_process_is_read_in_another(tmp_path):
    one = _cache(tmp_path)
    one.set("page", "<p>body</p>", 600)
    one._local.clear()  # what another process has in memory: nothing
    other = _cache(tmp_path)
    assert other.get("page") == "<p>body</p>"
    (tmp_path / os.listdir(tmp_path)[0]).unlink()
    assert other.get("page") == "<p>body</p>"  # kept in memory once read


def test_delete_add_and_clear_reach_both_tiers(tmp_path):
    cache = _cache(tmp_path)
    assert cache.add("key", 1) and not cache.add("key", 2) and cache.get("key") == 1
    cache.delete("key")
    assert cache.get("key", "gone") == "gone" and not cache.has_key("key")
    cache.set("key", 3)
    cache.clear()
    assert cache.get("key") is None and not os.listdir(tmp_path)


def test_the_markers_in_cached_pages_are_the_same_in_every_process():
    """A body cached by one worker holds markers another worker must find: derived from the secret key."""
    from eduplan.ledger import views

    code = "import django; django.setup(); from eduplan.ledger import views; print(views._CSRF_SLOT, views._BODY_SLOT)"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "eduplan.web.settings"}
    printed = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert printed.stdout.split() == [views._CSRF_SLOT, views._BODY_SLOT]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _request(port: int, method: str, path: str, cookie: str = "", form: dict | None = None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=20)  # a new connection: any worker
    headers = {"Cookie": cookie}
    body = None
    if form is not None:
        body, headers["Content-Type"] = urllib.parse.urlencode(form), "application/x-www-form-urlencoded"
    connection.request(method, path, body=body, headers=headers)
    response = connection.getresponse()
    return response, response.read().decode()


def _cookies(response) -> str:
    return "; ".join(c.split(";")[0] for c in response.msg.get_all("Set-Cookie") or [])


@pytest.fixture
def two_workers(tmp_path):
    port = _free_port()
    env = {**os.environ, "EDUPLAN_DATA_DIR": str(tmp_path)}
    env.pop("DATABASE_URL", None)  # the demo on its own SQLite file, whatever database the suite runs on
    server = subprocess.Popen([sys.executable, "-m", "eduplan.cli", "serve", "--demo", "--port", str(port),
                               "--workers", "2"], cwd=tmp_path, env=env, stdout=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if _request(port, "GET", "/login/")[0].status == 200:
                    break
            except OSError:
                time.sleep(0.3)
        else:
            pytest.fail("eduplan serve did not start")
        yield port
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_every_worker_serves_the_shared_pages_whole(two_workers):
    port = two_workers
    response, page = _request(port, "GET", "/login/")
    cookie = _cookies(response)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    response, _ = _request(port, "POST", "/login/", cookie,
                           {"csrfmiddlewaretoken": token, "username": "office", "password": "binjiang2024"})
    assert response.status == 302
    cookie = f"{cookie}; {_cookies(response)}"
    pages = {}
    for _ in range(12):  # new connections, so both processes serve some and read what the other cached
        for path in ("/", "/tasks/1/"):
            response, html = _request(port, "GET", path, cookie)
            assert response.status == 200, (path, html[:300])
            assert "slot-" not in html
            pages.setdefault(path, set()).add(re.sub(r'value="[^"]{64}"', "", html))
    assert all(len(bodies) == 1 for bodies in pages.values())  # the same page from either process

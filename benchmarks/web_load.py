"""Web load benchmark: the demo city on PostgreSQL, 50 concurrent clients on loopback, p50 and p95.

    .venv/bin/python benchmarks/web_load.py [--clients 50] [--requests 20] [--seconds 120]

Creates a throw-away database (eduplan_bench) on the local server (scripts/ensure-postgres.sh), fills it with
the demo city, serves it with `eduplan serve` in a separate process and has each client, logged in as a
different role, alternate between the ledger list and item pages. A benchmark, not a timed test.

--think 0 (the default) is the worst case: every client fires its next request the moment the last one
returns, so latency is mostly queueing behind the two cores. --think 2 models people reading a page for
about two seconds between clicks.
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ADMIN_URL = "postgres://postgres@127.0.0.1:5432/postgres"
BENCH_DB = "eduplan_bench"
ROLES = ("office", "leader", "basic", "teachers", "jiangdong")


def _fresh_database() -> str:
    import psycopg

    with psycopg.connect(ADMIN_URL, autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)")
        connection.execute(f"CREATE DATABASE {BENCH_DB}")
    return f"postgres://postgres@127.0.0.1:5432/{BENCH_DB}"


def _drop_database() -> None:
    import psycopg

    with psycopg.connect(ADMIN_URL, autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)")


def _set_up_demo() -> tuple[dict[str, str], dict[str, list[int]]]:
    """Migrate, create the demo city, and open one session per role (cookies, so no login round-trips)."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "eduplan.web.settings"
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.management import call_command

    from eduplan.demo.ledger_demo import set_up
    from eduplan.ledger.models import User
    from eduplan.ledger.policy import visible_tasks

    call_command("migrate", verbosity=0)
    set_up()
    cookies, visible = {}, {}
    for role in ROLES:
        user = User.objects.get(username=role)
        session = SessionStore()
        session[SESSION_KEY], session[BACKEND_SESSION_KEY] = str(user.pk), settings.AUTHENTICATION_BACKENDS[0]
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        cookies[role] = f"{settings.SESSION_COOKIE_NAME}={session.session_key}"
        visible[role] = list(visible_tasks(user).values_list("pk", flat=True))  # item pages this role may open
    from django.db import connections

    connections.close_all()
    return cookies, visible


def _wait_for(port: int, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/login/")
            if connection.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.3)
    raise SystemExit("web_load: the server did not start")


def _client(port, cookie, paths, deadline, think, timings, errors, lock):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    pause = random.Random()
    time.sleep(pause.uniform(0, think))  # clients arrive spread out, as people do, not all in one instant
    for path in paths:
        time.sleep(pause.uniform(0.5 * think, 1.5 * think))
        if time.monotonic() > deadline:
            return
        start = time.perf_counter()
        try:
            connection.request("GET", path, headers={"Cookie": cookie})
            response = connection.getresponse()
            response.read()
            ok = response.status == 200
        except OSError:
            connection.close()
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            ok = False
        elapsed = (time.perf_counter() - start) * 1000
        with lock:
            (timings if ok else errors).append(elapsed)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--requests", type=int, default=20, help="requests per client")
    parser.add_argument("--seconds", type=float, default=120, help="stop sending after this long")
    parser.add_argument("--port", type=int, default=8781)
    parser.add_argument("--threads", type=int, default=8, help="server threads per worker process")
    parser.add_argument("--workers", type=int, default=2, help="server processes (one per core)")
    parser.add_argument("--think", type=float, default=0.0,
                        help="seconds each client waits before a request (0: back-to-back, the worst case)")
    args = parser.parse_args()

    url = _fresh_database()
    os.environ["DATABASE_URL"] = url
    cookies, task_ids = _set_up_demo()
    server = subprocess.Popen([sys.executable, "-m", "eduplan.cli", "serve", "--port", str(args.port),
                               "--threads", str(args.threads), "--workers", str(args.workers)], cwd=ROOT, env={**os.environ, "DATABASE_URL": url},
                              stdout=subprocess.DEVNULL)
    try:
        _wait_for(args.port)
        timings, errors, lock = [], [], threading.Lock()
        deadline = time.monotonic() + args.seconds
        threads = []
        for number in range(args.clients):
            role = ROLES[number % len(ROLES)]
            own = task_ids[role]
            paths = ["/" if i % 2 == 0 or not own else f"/tasks/{own[(number * 7 + i) % len(own)]}/"
                     for i in range(args.requests)]
            threads.append(threading.Thread(target=_client, args=(args.port, cookies[role], paths, deadline,
                                                                  args.think, timings, errors, lock)))
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        wall = time.perf_counter() - started
    finally:
        server.terminate()
        server.wait(timeout=10)
        _drop_database()
    if not timings:
        raise SystemExit(f"web_load: no successful requests ({len(errors)} failed)")
    cuts = statistics.quantiles(timings, n=100)
    print(f"web_load: {args.clients} clients (think {args.think:g} s), {len(timings)} ok, {len(errors)} failed, {wall:.1f} s, "
          f"{len(timings) / wall:.0f} req/s")
    print(f"p50 {cuts[49]:.0f} ms   p95 {cuts[94]:.0f} ms   max {max(timings):.0f} ms   (goal p95 ≤ 150 ms)")


if __name__ == "__main__":
    main()

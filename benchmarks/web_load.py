"""Web load benchmark: the demo city on PostgreSQL, 50 concurrent clients on loopback, p50 and p95.

    .venv/bin/python benchmarks/web_load.py [--clients 50] [--requests 20] [--seconds 120] [--think 0 2]

Creates a throw-away database (eduplan_bench) on the local server (scripts/ensure-postgres.sh), fills it with
the demo city, serves it with `eduplan serve` in a separate process and has each client, logged in as a
different role, alternate between the ledger list and item pages. A benchmark, not a timed test.

A first pass has each client ask once for each of its pages (the renders a just-started server must do),
timed and printed apart. Then each --think value is one run: 0 is the worst case, every client fires its next
request the moment the last one returns, so latency is mostly queueing behind the two cores; 2 models people
reading a page for about two seconds between clicks.

The same clients then hit a bare Django "hello" view (same settings, middleware, session cookies, server and
worker setting; no template, no query of its own): the floor any page of this project stands on, measured in
the same run. Every run also prints where the machine's CPU went: the load generator itself (it shares the
two cores with the server), the Django server processes, PostgreSQL, and everything else on the machine.

Dated figures are in docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import re
import secrets
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from importlib import import_module
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ADMIN_URL = "postgres://postgres@127.0.0.1:5432/postgres"
BENCH_DB = os.environ.get("EDUPLAN_BENCH_DB", "eduplan_bench")  # a session of its own: EDUPLAN_BENCH_DB
ROLES = ("office", "leader", "basic", "teachers", "jiangdong")
TICKS = os.sysconf("SC_CLK_TCK")


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
    from django.core.management import call_command

    from eduplan.demo.ledger_demo import set_up
    from eduplan.ledger.models import User
    from eduplan.ledger.policy import visible_tasks

    call_command("migrate", verbosity=0)
    set_up()
    store = import_module(settings.SESSION_ENGINE).SessionStore  # the configured engine's sessions
    cookies, visible = {}, {}
    for role in ROLES:
        user = User.objects.get(username=role)
        session = store()
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
            cookie = _with_set_cookies(cookie, response)
        except OSError:
            connection.close()
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            ok = False
        elapsed = (time.perf_counter() - start) * 1000
        with lock:
            (timings if ok else errors).append(elapsed)


def _with_set_cookies(cookie: str, response) -> str:
    """What a browser sends next: its cookies and those the response set (the csrf cookie: without it the
    server makes a new csrf secret for every page)."""
    jar = dict(part.split("=", 1) for part in cookie.split("; ") if "=" in part)
    for header in response.msg.get_all("Set-Cookie") or []:
        name, value = header.split(";", 1)[0].split("=", 1)
        jar[name.strip()] = value
    return "; ".join(f"{name}={value}" for name, value in jar.items())


def _hello(request):
    from django.http import HttpResponse

    return HttpResponse("hello")


def _hello_urls():
    from django.urls import path

    return [path("hello/", _hello), path("login/", _hello)]


urlpatterns = []  # filled by _serve_hello: this module is the baseline server's ROOT_URLCONF


def _serve_hello(port: int, threads: int, workers: int) -> None:
    """The floor: the project's settings and middleware, one view that returns a word."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "eduplan.web.settings"
    import django
    from django.conf import settings

    django.setup()
    sys.modules["web_load_urls"] = sys.modules[__name__]
    urlpatterns.extend(_hello_urls())
    settings.ROOT_URLCONF = "web_load_urls"
    from eduplan.web.serve import run

    run("127.0.0.1", port, threads, workers)


def _cpu_ticks() -> dict[str, int]:
    """CPU ticks used so far: by the Django server processes (the serve command and its forks), by PostgreSQL,
    and by the whole machine (busy, from /proc/stat)."""
    used = {"server": 0, "postgres": 0}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        name, fields = stat[stat.index("(") + 1:stat.rindex(")")], stat[stat.rindex(")") + 2:].split()
        # utime, stime, and those of its children that have exited and been waited for: PostgreSQL's backends
        # come and go (each server connection has one), and their time lands on the postmaster when they end
        ticks = sum(int(value) for value in fields[11:15])
        if name.startswith("postgres"):
            used["postgres"] += ticks
        elif _SERVER_PIDS & {int(entry.name), int(fields[1])}:
            used["server"] += ticks
    cpu = Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]
    used["machine"] = sum(map(int, cpu)) - int(cpu[3]) - int(cpu[4])  # all but idle and iowait
    return used


_SERVER_PIDS: set[int] = set()


def _writer(port, cookie, task_ids, every, stop, written):
    """The leader comments on one item after another every `every` seconds: each write makes the list pages and
    that item's page new (their cache keys move), as people reporting through the day do."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    number = 0
    while not stop.wait(every):
        task = task_ids[number % len(task_ids)]
        number += 1
        connection.request("GET", f"/tasks/{task}/", headers={"Cookie": cookie})
        response = connection.getresponse()
        page = response.read().decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        csrf = re.search(r"csrftoken=([^;]+)", response.getheader("Set-Cookie") or "")
        if not (token and csrf):
            raise SystemExit("web_load: the writer found no csrf token on the item page")
        body = urllib.parse.urlencode({"csrfmiddlewaretoken": token.group(1), "text": f"压测留言 {number}"})
        connection.request("POST", f"/tasks/{task}/comment/", body=body, headers={
            "Cookie": f"{cookie}; csrftoken={csrf.group(1)}", "Content-Type": "application/x-www-form-urlencoded"})
        response = connection.getresponse()
        response.read()
        written.append(response.status)


def _load(port, cookies, paths_for, args, think, writes: tuple[list[int], float] | None = None) -> dict:
    timings, errors, lock = [], [], threading.Lock()
    deadline = time.monotonic() + args.seconds
    threads = []
    for number in range(args.clients):
        role = ROLES[number % len(ROLES)]
        threads.append(threading.Thread(target=_client, args=(port, cookies[role], paths_for(number, role),
                                                              deadline, think, timings, errors, lock)))
    stop, written = threading.Event(), []
    if writes:
        writer = threading.Thread(target=_writer, args=(port, cookies["leader"], *writes, stop, written))
    before, client_before = _cpu_ticks(), time.process_time()
    started = time.perf_counter()
    for thread in threads + ([writer] if writes else []):
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    stop.set()
    if writes:
        writer.join()
    after, client = _cpu_ticks(), time.process_time() - client_before
    capacity = wall * (os.cpu_count() or 1)
    share = {key: (after[key] - before[key]) / TICKS / capacity for key in before}
    share["client"] = client / capacity
    share["other"] = max(0.0, share["machine"] - share["server"] - share["postgres"] - share["client"])
    return {"timings": timings, "errors": errors, "wall": wall, "think": think, "cpu": share, "written": written}


def _distinct(paths_for):
    """Each client's pages once each, in the order it first asks for them."""
    return lambda number, role: list(dict.fromkeys(paths_for(number, role)))


def _report(name: str, run: dict, clients: int, goal: bool = True) -> None:
    timings, wall, cpu = run["timings"], run["wall"], run["cpu"]
    if not timings:
        print(f"{name}: no successful requests ({len(run['errors'])} failed)")
        return
    cuts = statistics.quantiles(timings, n=100) if len(timings) > 1 else timings * 100
    writes = f", {len(run['written'])} comments written beside them" if run["written"] else ""
    print(f"{name}: {clients} clients, think {run['think']:g} s: {len(timings)} ok, {len(run['errors'])} failed, "
          f"{wall:.1f} s, {len(timings) / wall:.0f} req/s{writes}")
    print(f"    p50 {cuts[49]:.0f} ms   p95 {cuts[94]:.0f} ms   max {max(timings):.0f} ms"
          + ("   (goal p95 ≤ 150 ms)" if goal else ""))
    per_request = cpu["server"] * wall * (os.cpu_count() or 1) / len(timings) * 1000
    print(f"    CPU of both cores: machine {cpu['machine']:.0%} = server {cpu['server']:.0%} + PostgreSQL "
          f"{cpu['postgres']:.0%} + load generator {cpu['client']:.0%} + other {cpu['other']:.0%}; "
          f"server CPU {per_request:.1f} ms a request")


def _server(command: list[str], url: str, port: int) -> subprocess.Popen:
    # a key of its own: `eduplan serve` without --demo refuses the public demo key; the logs stay off
    env = {**os.environ, "DATABASE_URL": url, "EDUPLAN_LOGS": os.environ.get("EDUPLAN_LOGS", "0"),
           "EDUPLAN_SECRET_KEY": os.environ["EDUPLAN_SECRET_KEY"]}
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL)
    _SERVER_PIDS.clear()
    _SERVER_PIDS.add(process.pid)
    _wait_for(port)
    return process


def _stop(server: subprocess.Popen) -> None:
    server.terminate()
    server.wait(timeout=10)


FILTERS = ("?due=month&sort=due", "?missing=1", "?sign=signed&role=lead", "?due=overdue&sort=-due",
           "?light=yellow&missing=1&sort=status")


def _list_path(number: int, filtered: bool) -> str:
    """The ledger list, plain or with one of a few filter combinations (each client cycles through them)."""
    return "/" + (FILTERS[number % len(FILTERS)] if filtered else "")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--requests", type=int, default=20, help="requests per client")
    parser.add_argument("--seconds", type=float, default=120, help="stop sending after this long")
    parser.add_argument("--port", type=int, default=8781)
    parser.add_argument("--threads", type=int, default=4, help="server threads per worker (eduplan serve's default)")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1,
                        help="server processes (eduplan serve's default: one per core)")
    parser.add_argument("--think", type=float, nargs="+", default=[0.0, 2.0],
                        help="seconds each client waits before a request, one run per value "
                             "(0: back-to-back, the worst case)")
    parser.add_argument("--write-every", type=float, default=0.25, metavar="SECONDS",
                        help="each run again with the leader commenting on an item this often (0: no writes)")
    parser.add_argument("--cold", action="store_true",
                        help="no first pass: the timed runs start on a just-started server with cold caches")
    parser.add_argument("--no-baseline", action="store_true", help="skip the bare Django hello view")
    parser.add_argument("--filtered", action="store_true",
                        help="ask for the ledger list with its filters in use (plan year, 签收, deadline, 缺报, sort)")
    parser.add_argument("--serve-hello", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve_hello:
        _serve_hello(args.port, args.threads, args.workers)
        return

    url = _fresh_database()
    os.environ["DATABASE_URL"] = url
    # the sessions made here carry a hash of the key: the server must be started with the same one
    os.environ.setdefault("EDUPLAN_SECRET_KEY", secrets.token_urlsafe(50))
    cookies, task_ids = _set_up_demo()

    def ledger_paths(number, role):
        own = task_ids[role]
        return [_list_path(number + i, args.filtered) if i % 2 == 0 or not own
                else f"/tasks/{own[(number * 7 + i) % len(own)]}/" for i in range(args.requests)]

    server_args = ["--port", str(args.port), "--threads", str(args.threads), "--workers", str(args.workers)]
    targets = [("ledger pages", [sys.executable, "-m", "eduplan.cli", "serve", *server_args], ledger_paths)]
    if not args.no_baseline:
        targets.append(("hello baseline", [sys.executable, __file__, "--serve-hello", *server_args],
                        lambda number, role: ["/hello/"] * args.requests))
    print(f"web_load: server {args.workers} worker(s) × {args.threads} threads, {os.cpu_count()} cores")
    try:
        for name, command, paths_for in targets:
            server = _server(command, url, args.port)
            try:
                if not args.cold:  # every page each client will ask for, once: the first renders, timed apart
                    _report(f"{name}, first pass (caches cold)", _load(
                        args.port, cookies, _distinct(paths_for), args, 0.0),
                        args.clients, goal=False)
                for think in args.think:
                    _report(name, _load(args.port, cookies, paths_for, args, think), args.clients)
                    if args.write_every and paths_for is ledger_paths:
                        writes = (task_ids["leader"], args.write_every)
                        _report(f"{name}, with writes", _load(args.port, cookies, paths_for, args, think, writes),
                                args.clients)
            finally:
                _stop(server)
    finally:
        _drop_database()


if __name__ == "__main__":
    main()

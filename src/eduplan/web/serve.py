"""`eduplan serve`: migrate, optionally set up the demo city, and serve on loopback with waitress."""

from __future__ import annotations

import os

import click


def _django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "eduplan.web.settings")
    import django

    django.setup()


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--demo", is_flag=True, help="Create the demo city, users and ledger first (prints the passwords).")
# One process per core: a Python process runs one thread at a time, so a single worker could never use the
# second core (web_load: 1 worker × 4 threads held the server at 47% of two cores). Four threads a worker keep
# a core busy while others wait on PostgreSQL; more only queue behind the same lock (2×8 did no better).
# At most 8 by default: each thread may hold a PostgreSQL connection, and the server's default allows 100.
@click.option("--threads", default=4, show_default=True, type=int, help="Threads per worker process.")
@click.option("--workers", default=min(os.cpu_count() or 1, 8), show_default="one per core, at most 8", type=int,
              help="Processes sharing the port (Linux SO_REUSEPORT).")
def serve(host: str, port: int, demo: bool, threads: int, workers: int):
    """Serve the 督办台账 web platform (SQLite under ./var, or PostgreSQL when DATABASE_URL is set)."""
    os.environ.setdefault("EDUPLAN_LOGS", "1")  # access and error logs under var/log (settings.py)
    _django()
    if not demo:
        _refuse_insecure()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    if demo:
        call_command("demo_setup")
    from django.db import connections

    connections.close_all()  # each worker opens its own connections after the fork
    click.echo(f"督办台账: http://{host}:{port}/  (Ctrl+C to stop)")
    run(host, port, threads, workers)


def _refuse_insecure() -> None:
    """A real platform (no --demo) never starts with the public demo key or DEBUG; it says what to set."""
    from .production import advice, refusals

    problems = refusals()
    if problems:
        lines = "\n".join(f"  - {problem}" for problem in problems)
        raise click.ClickException(f"refusing to serve without --demo:\n{lines}\n(see README, Running in production)")
    for note in advice():
        click.echo(f"eduplan serve: note: {note}", err=True)


def run(host: str, port: int, threads: int, workers: int) -> None:
    """Serve the configured Django project: `workers` processes sharing the port, `threads` each."""
    for _ in range(workers - 1):
        if os.fork() == 0:  # a worker: serve until the parent goes, then go with it
            _die_with_parent()
            _serve_forever(host, port, threads, reuse_port=True)
            os._exit(0)
    _serve_forever(host, port, threads, reuse_port=workers > 1)


def _die_with_parent() -> None:
    """Linux prctl(PR_SET_PDEATHSIG, SIGTERM): stopping `eduplan serve` stops every worker."""
    import ctypes
    import signal

    pr_set_pdeathsig = 1
    ctypes.CDLL("libc.so.6", use_errno=True).prctl(pr_set_pdeathsig, signal.SIGTERM)


def _serve_forever(host: str, port: int, threads: int, reuse_port: bool) -> None:
    import socket

    from django.contrib.staticfiles.handlers import StaticFilesHandler
    from django.core.wsgi import get_wsgi_application
    from waitress import serve as waitress_serve

    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if reuse_port:
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    listener.bind((host, port))
    from eduplan.followup.daily import start_scheduler

    start_scheduler()  # the daily reminder pass: each worker tries, one claims the day (followup/daily.py)
    # StaticFilesHandler serves css and the npm-pinned htmx straight from their folders: no collectstatic step.
    waitress_serve(StaticFilesHandler(get_wsgi_application()), sockets=[listener], threads=threads, _quiet=True)

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
@click.option("--threads", default=8, show_default=True, type=int)
def serve(host: str, port: int, demo: bool, threads: int):
    """Serve the 督办台账 web platform (SQLite under ./var, or PostgreSQL when DATABASE_URL is set)."""
    _django()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    if demo:
        call_command("demo_setup")
    from django.contrib.staticfiles.handlers import StaticFilesHandler
    from django.core.wsgi import get_wsgi_application
    from waitress import serve as waitress_serve

    click.echo(f"督办台账: http://{host}:{port}/  (Ctrl+C to stop)")
    # StaticFilesHandler serves css and the npm-pinned htmx straight from their folders: no collectstatic step.
    waitress_serve(StaticFilesHandler(get_wsgi_application()), host=host, port=port, threads=threads,
                   _quiet=True)

"""`eduplan remind`: the daily reminder pass, for cron (`eduplan serve` runs it by itself)."""

from __future__ import annotations

import click


@click.command()
@click.option("--date", "day", help="Pretend today is YYYY-MM-DD (catch-up runs, tests).")
@click.option("--force", is_flag=True, help="Send even if the day's pass has run already.")
def remind(day: str | None, force: bool):
    """Send the day's reminders once (SQLite under ./var, or PostgreSQL when DATABASE_URL is set)."""
    from eduplan.web.serve import _django

    _django()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    args = (["--date", day] if day else []) + (["--force"] if force else [])
    call_command("remind", *args)

"""`manage remind` (and `eduplan remind`), for cron once a day: the same pass `eduplan serve` runs itself."""

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = ("Send the day's reminders (7 and 3 days before a due date, daily when overdue, unsigned items, "
            "missing monthly reports) and the office's digest, unless the day's pass was run already.")

    def add_arguments(self, parser):
        parser.add_argument("--date", help="pretend today is YYYY-MM-DD (for tests and catch-up runs)")
        parser.add_argument("--force", action="store_true", help="send even if the day's pass was run already")

    def handle(self, *args, date=None, force=False, **options):
        import datetime as dt

        from eduplan.followup.daily import run_daily_pass

        try:
            today = dt.date.fromisoformat(date) if date else None
        except ValueError:
            self.stderr.write(f"日期格式应为 YYYY-MM-DD：{date}")
            raise SystemExit(2) from None
        counts = run_daily_pass(today, force=force)
        if counts is None:
            self.stdout.write("already sent: the day's reminder pass has run (use --force to send again)")
        else:
            self.stdout.write(" ".join(f"{kind}={count}" for kind, count in counts.items()))

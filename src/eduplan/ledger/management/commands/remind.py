"""`manage remind`, for cron once a day: 7 and 3 days before a due date, daily once overdue, and a digest."""

from django.core.management.base import BaseCommand

from eduplan.ledger.reminders import send_reminders


class Command(BaseCommand):
    help = "Send due-date reminders (7 and 3 days before, daily when overdue) and the office's daily digest."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="pretend today is YYYY-MM-DD (for tests and catch-up runs)")

    def handle(self, *args, date=None, **options):
        import datetime as dt

        today = dt.date.fromisoformat(date) if date else None
        counts = send_reminders(today)
        self.stdout.write(" ".join(f"{kind}={count}" for kind, count in counts.items()))

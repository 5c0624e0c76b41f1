"""`manage demo_setup`: the demo city, one user per role (passwords printed) and a populated ledger."""

from django.core.management.base import BaseCommand

from eduplan.demo.ledger_demo import set_up


class Command(BaseCommand):
    help = "Create the demo city, its users and a ledger with months of progress."

    def add_arguments(self, parser):
        parser.add_argument("--reset", action="store_true", help="drop existing plans first")

    def handle(self, *args, reset=False, **options):
        users = set_up(reset=reset)
        self.stdout.write("演示账号 (demo users):")
        for username, role, password in users:
            self.stdout.write(f"  {username:<10} {role:<6} 密码 password: {password}")

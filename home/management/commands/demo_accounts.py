"""Print the demo accounts (`make run` shows them before serving)."""

from django.core.management.base import BaseCommand

from home.demo import DEMO_ACCOUNTS


class Command(BaseCommand):
    help = "List the local demo accounts and their passwords."

    def handle(self, *args, **options):
        self.stdout.write("Demo accounts (local only):")
        for account in DEMO_ACCOUNTS:
            role = account["role"].value[:-1].lower()
            self.stdout.write(f"  {role:<14} {account['email']:<24} {account['password']}")

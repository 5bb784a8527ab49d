"""Print the demo accounts (`make run` shows them before serving; `make demo-code` a fresh code)."""

import time

from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.core.management.base import BaseCommand

from home.demo import DEMO_ACCOUNTS, DEMO_COHORT, DEMO_TOTP_SECRET
from home.roles import Role

TOTP_PERIOD = 30


def demo_totp_code(now: float | None = None) -> str:
    """The demo staff accounts' current two-factor code."""
    counter = int(now if now is not None else time.time()) // TOTP_PERIOD
    return format_hotp_value(hotp_value(DEMO_TOTP_SECRET, counter))


class Command(BaseCommand):
    help = "List the local demo accounts, their passwords and the staff accounts' two-factor code."

    def add_arguments(self, parser):
        parser.add_argument(
            "--code", action="store_true", help="Print only the current two-factor code."
        )

    def handle(self, *args, **options):
        if options["code"]:
            self.stdout.write(demo_totp_code())
            return
        self.stdout.write("Demo accounts (local only):")
        staff_roles = {Role.SUPERVISOR, Role.EDUCATOR, Role.ADMINISTRATOR}
        staff = {a["email"] for a in DEMO_ACCOUNTS if a["role"] in staff_roles}
        for account in DEMO_ACCOUNTS:
            role = account["role"].value[:-1].lower()
            mark = "  + two-factor code" if account["email"] in staff else ""
            self.stdout.write(f"  {role:<14} {account['email']:<24} {account['password']}{mark}")
        self.stdout.write(
            f"\nA new trainee (sign up on the site) joins the {DEMO_COHORT['name']} with the "
            f"invite code {DEMO_COHORT['invite_code']} (dashboard, Join a cohort).\n"
            "Email is not sent in the demo: read it at /demo/mail/ on the demo site "
            "(the demo's inbox), or as files in var/demo-mail/."
        )
        if staff:
            remaining = TOTP_PERIOD - int(time.time()) % TOTP_PERIOD
            self.stdout.write(
                f"\nStaff accounts use two-factor login. Code now: {demo_totp_code()} "
                f"(valid {remaining} s more; `make demo-code` prints a fresh one).\n"
                f"Or add this key to an authenticator app: {DEMO_TOTP_SECRET}"
            )

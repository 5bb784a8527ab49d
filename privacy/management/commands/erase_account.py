from django.core.management.base import BaseCommand, CommandError

from home.models import User
from privacy.selectors import mentions_find, personal_terms
from privacy.services import ErasureError, account_erase


def _one(email: str, what: str) -> User:
    people = list(User.objects.filter(email__iexact=email.strip()))
    if len(people) != 1:
        raise CommandError(f"No single account has the email {email!r} ({what}).")
    return people[0]


class Command(BaseCommand):
    help = (
        "Erase a person's account (right to erasure): personal data removed or pseudonymised "
        "as the README's Privacy section describes. Run by an administrator, named with --by."
    )

    def add_arguments(self, parser):
        parser.add_argument("email", help="The email address of the account to erase.")
        parser.add_argument("--by", required=True, help="Your own (administrator's) email.")
        parser.add_argument("--no-input", action="store_true", help="Do not ask for confirmation.")

    def handle(self, *args, **options):
        user = _one(options["email"], "the account to erase")
        by = _one(options["by"], "the administrator")
        if not options["no_input"]:
            typed = input(
                f"This erases account {user.pk} ({user.email}) and cannot be undone. "
                "Type the email address again to go ahead: "
            )
            if typed.strip().lower() != user.email.lower():
                raise CommandError("The address typed does not match; nothing was changed.")
        terms = personal_terms(user)
        try:
            erasure = account_erase(user=user, by=by)
        except ErasureError as exc:
            raise CommandError(str(exc)) from exc
        for what, n in erasure.removed.items():
            if n:
                self.stdout.write(f"  {what}: {n}")
        self.stdout.write(self.style.SUCCESS(f"Account {user.pk} is now {erasure.pseudonym}."))
        left = mentions_find(terms=terms)
        if left:
            self.stdout.write(
                self.style.WARNING(
                    "The former name or email still appears in text written by others (kept "
                    "as written; see the Privacy section of the README):\n  " + "\n  ".join(left)
                )
            )
        else:
            self.stdout.write(
                "A search of every text column found the former name and email nowhere."
            )

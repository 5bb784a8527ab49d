from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS

from supervision.models import SignOffRecord
from supervision.services import sign_off_chains_verify


class Command(BaseCommand):
    help = "Walk every trainee's chain of sign-off records and report any broken link."

    def add_arguments(self, parser):
        parser.add_argument(
            "--database",
            default=DEFAULT_DB_ALIAS,
            help="The database to check (a restore checks the one it restored into).",
        )

    def handle(self, *args, **options):
        using = options["database"]
        problems = sign_off_chains_verify(using=using)
        total = SignOffRecord.objects.using(using).count()
        for trainee_id, found in problems.items():
            for problem in found:
                self.stdout.write(self.style.ERROR(f"trainee {trainee_id}: {problem}"))
        if problems:
            raise CommandError(f"{len(problems)} chain(s) broken among {total} records.")
        self.stdout.write(self.style.SUCCESS(f"{total} sign-off records: every chain is intact."))

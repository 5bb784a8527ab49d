from django.core.management.base import BaseCommand, CommandError

from assessments.models import SignOffRecord
from assessments.services import sign_off_chains_verify


class Command(BaseCommand):
    help = "Walk every trainee's chain of sign-off records and report any broken link."

    def handle(self, *args, **options):
        problems = sign_off_chains_verify()
        total = SignOffRecord.objects.count()
        for trainee_id, found in problems.items():
            for problem in found:
                self.stdout.write(self.style.ERROR(f"trainee {trainee_id}: {problem}"))
        if problems:
            raise CommandError(f"{len(problems)} chain(s) broken among {total} records.")
        self.stdout.write(self.style.SUCCESS(f"{total} sign-off records: every chain is intact."))

"""Recompute the mastery summaries from the evidence alone.

The summaries are kept up to date as evidence is written; this command exists to repair them
after a restore or a data fix, and to prove (in the tests) that the two routes agree.
"""

from django.core.management.base import BaseCommand

from assessments.services import mastery_rebuild


class Command(BaseCommand):
    help = "Rebuild per-trainee mastery summaries from the evidence rows."

    def handle(self, *args, **options):
        pairs = mastery_rebuild()
        self.stdout.write(self.style.SUCCESS(f"Rebuilt {pairs} trainee-element summaries."))

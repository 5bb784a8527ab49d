from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS

from home.backup import BackupError, backup_create


class Command(BaseCommand):
    help = (
        "Write one tar.gz archive with the database, the media folder and a manifest of "
        "per-table row counts and checksums (restore it with `manage.py restore`)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            type=Path,
            help="Where to write the archive (default: backups/psycomp-<UTC time>.tar.gz).",
        )
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)

    def handle(self, *args, **options):
        try:
            path = backup_create(output=options["output"], using=options["database"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"Backup written to {path}"))
        self.stdout.write("It holds personal data: keep it as carefully as the database.")

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS

from home.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = (
        "Restore an archive made by `manage.py backup` into an empty database and media "
        "folder, then check row counts, checksums, triggers and the sign-off chains."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path)
        parser.add_argument(
            "--force",
            action="store_true",
            help="Drop the database and media folder that are there and replace them.",
        )
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)

    def handle(self, *args, **options):
        try:
            report = backup_restore(
                archive_path=options["archive"],
                using=options["database"],
                force=options["force"],
            )
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored the backup of {report.created_at} (code {report.app_version}): "
                f"{report.tables} tables, {report.rows} rows and {report.media_files} media "
                "files, each matching the manifest; every sign-off chain verifies."
            )
        )

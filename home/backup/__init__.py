"""Backups of the whole site (database and media) and their verified restore.

Called by the ``backup`` and ``restore`` management commands (``make backup``, ``make restore``).
Dependency direction: this module -> ``archive`` (the tar.gz format) -> ``databases`` (SQLite
and PostgreSQL dump and load) and ``measure`` (counts, checksums, schema, triggers). It knows no
domain app: the checks a restore runs on the restored data (the sign-off chains) are management
commands named in ``settings.BACKUP_RESTORE_CHECKS``, each called with ``--database``.
"""

import datetime
import io
import json
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.db.migrations.loader import MigrationLoader

from . import archive, databases, measure
from .databases import BackupError

__all__ = ["BackupError", "RestoreReport", "backup_create", "backup_restore"]


def _measure(alias: str) -> dict:
    connection = connections[alias]
    return {
        "schema": measure.schema(connection),
        "tables": measure.table_sums(connection),
        "triggers": measure.triggers(connection),
    }


def app_version() -> str:
    """The git commit of the running code, or "unknown" outside a git checkout."""
    try:
        result = subprocess.run(
            ["git", "rev-parse", "HEAD"],  # noqa: S607 - git from PATH, fixed arguments
            cwd=settings.BASE_DIR,
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return result.stdout.strip() if result.returncode == 0 else "unknown"


def default_output() -> Path:
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%d-%H%M%S")
    return Path(settings.BASE_DIR) / "backups" / f"psycomp-{stamp}.tar.gz"


def backup_create(*, output: Path | None = None, using: str = DEFAULT_DB_ALIAS) -> Path:
    """Write one archive with the database, MEDIA_ROOT and a manifest; return its path."""
    output = Path(output) if output else default_output()
    vendor = databases.vendor_of(using)
    media_root = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory(prefix="psycomp-backup-") as tmp:
        folder = Path(tmp) / archive.ROOT
        folder.mkdir()
        measured = databases.dump(using, folder / databases.DUMP_FILES[vendor], _measure)
        media_files = 0
        if media_root.is_dir():
            import shutil

            shutil.copytree(media_root, folder / "media", symlinks=False)
            media_files = sum(1 for p in (folder / "media").rglob("*") if p.is_file())
        manifest = {
            "format": archive.FORMAT,
            "created_at": datetime.datetime.now(datetime.UTC).isoformat(),
            "app_version": app_version(),
            "database": {"vendor": vendor, "file": databases.DUMP_FILES[vendor]},
            "media_files": media_files,
            **measured,
        }
        (folder / archive.MANIFEST).write_text(
            json.dumps(manifest, indent=2, sort_keys=True), encoding="utf-8"
        )
        archive.write(folder, output)
    return output


@dataclass
class RestoreReport:
    tables: int = 0
    rows: int = 0
    media_files: int = 0
    app_version: str = ""
    created_at: str = ""
    notes: list[str] = field(default_factory=list)


def _unknown_migrations(schema: dict) -> list[str]:
    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    return [f"{app}.{name}" for app, name in schema.items() if (app, name) not in known]


def backup_restore(
    *, archive_path: Path, using: str = DEFAULT_DB_ALIAS, force: bool = False
) -> RestoreReport:
    """Restore an archive made by ``backup_create`` into an empty database (or, with ``force``,
    over one), then prove it: counts, checksums, triggers and the restore checks.

    Everything that can be checked before the restore is checked first, so a damaged, tampered
    or mismatched archive, or an occupied target, raises ``BackupError`` and changes nothing.
    """
    vendor = databases.vendor_of(using)
    media_root = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory(prefix="psycomp-restore-") as tmp:
        folder, manifest = archive.extract(Path(archive_path), Path(tmp))
        if manifest["database"]["vendor"] != vendor:
            raise BackupError(
                f"The archive holds a {manifest['database']['vendor']} database; this site "
                f"uses {vendor}. Restore it into a {manifest['database']['vendor']} database."
            )
        unknown = _unknown_migrations(manifest["schema"])
        if unknown:
            raise BackupError(
                "The archive was made by a newer version of the code (it has migrations this "
                f"code does not: {', '.join(unknown[:5])}). Restore it with the version "
                f"{manifest['app_version']}."
            )
        dump_path = folder / manifest["database"]["file"]
        databases.check_readable(vendor, dump_path)
        if vendor == "sqlite":
            settings_dict = connections[using].settings_dict
            try:
                with databases.temporary_alias(settings_dict, NAME=str(dump_path)) as alias:
                    found = measure.differences(manifest["tables"], _measure(alias)["tables"])
            except DatabaseError as exc:
                raise BackupError(f"The database in the archive cannot be read ({exc}).") from exc
            if found:
                raise BackupError(
                    "The database in the archive does not match its manifest: "
                    + "; ".join(found[:5])
                )
        occupied = databases.occupied(using)
        if occupied and not force:
            raise BackupError(
                f"The database {connections[using].settings_dict['NAME']} already holds "
                f"{len(occupied)} tables. Restore refuses to overwrite data; restore into an "
                "empty database, or use --force to drop it and replace it with the backup."
            )
        if media_root.is_dir() and any(media_root.iterdir()) and not force:
            raise BackupError(
                f"The media folder {media_root} is not empty. Restore refuses to overwrite "
                "files; empty it, or use --force to replace it with the backup's."
            )
        databases.load(using, dump_path, replace=force)
        databases.copy_media(folder / "media", media_root, replace=force)
    # Nothing cached from the database that was there before (pages, routes, records, roles,
    # sessions) may answer for the restored one. Emptied after the check, whatever it finds:
    # without Redis the cache is a table of this database, restored with the rest.
    from django.core.cache import cache

    try:
        return _verify(using, manifest)
    finally:
        cache.clear()


def _verify(using: str, manifest: dict) -> RestoreReport:
    restored = _measure(using)
    problems = measure.differences(manifest["tables"], restored["tables"])
    missing = sorted(set(manifest["triggers"]) - set(restored["triggers"]))
    if missing:
        problems.append(f"database triggers missing after the restore: {', '.join(missing)}")
    for command in getattr(settings, "BACKUP_RESTORE_CHECKS", ()):
        out = io.StringIO()
        try:
            call_command(command, database=using, stdout=out, stderr=out)
        except CommandError as exc:
            problems.append(f"{command}: {exc} {out.getvalue().strip()}".strip())
    if problems:
        raise BackupError(
            "The backup was restored, but it does not match its manifest:\n  "
            + "\n  ".join(problems)
        )
    return RestoreReport(
        tables=len(restored["tables"]),
        rows=sum(t["rows"] for t in restored["tables"].values()),
        media_files=manifest.get("media_files", 0),
        app_version=manifest["app_version"],
        created_at=manifest["created_at"],
    )

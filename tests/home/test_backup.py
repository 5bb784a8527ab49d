"""Backup and restore: a seeded database and its media round-trip into a second, empty database
(a new SQLite file, or a second PostgreSQL database) with every table's row count and checksum
equal, the append-only triggers in place and the sign-off chains verifying. A damaged, tampered
or misdirected archive is refused before anything changes."""

import io
import json
import tarfile
from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connections, transaction

from home.backup import backup_create, backup_restore, measure
from home.backup.archive import file_sha256
from home.backup.databases import occupied
from supervision.models import SignOffRecord
from supervision.services import sign_off_chains_verify
from tests.databases import empty_database
from tests.history import build_history

# pg_dump reads committed data from its own connection: a test that writes data to back up must
# really commit it. serialized_rollback puts back what the migrations created (the root page).
ROUND_TRIP = pytest.mark.django_db(transaction=True, serialized_rollback=True)
# The other tests only back up what the migrations committed, so they run in a rolled-back
# transaction like most tests (no flush afterwards).
pytestmark = pytest.mark.django_db


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def restore_target(tmp_path):
    """An alias for a second database that does not exist yet (``tests.databases``)."""
    with empty_database(tmp_path, "restored") as alias:
        yield alias


def _empty(settings, tmp_path, name):
    settings.MEDIA_ROOT = tmp_path / name
    return settings.MEDIA_ROOT


@ROUND_TRIP
def test_a_seeded_site_round_trips_with_equal_counts_and_checksums(
    media, restore_target, settings, tmp_path
):
    history = build_history()
    archive = backup_create(output=tmp_path / "site.tar.gz")
    assert archive.stat().st_mode & 0o077 == 0  # personal data: owner only

    restored_media = _empty(settings, tmp_path, "restored-media")
    report = backup_restore(archive_path=archive, using=restore_target)

    original = measure.table_sums(connections["default"])
    restored = measure.table_sums(connections[restore_target])
    assert restored == original
    assert original["assessments_signoffrecord"]["rows"] == 2
    assert original["assessments_quizanswer"]["rows"] == 6
    assert report.tables == len(original) and report.media_files == 1
    assert (restored_media / "documents" / "handout.txt").read_bytes() == (
        media / "documents" / "handout.txt"
    ).read_bytes()

    # The sign-off chain verifies in the restored database, record for record.
    assert sign_off_chains_verify(using=restore_target) == {}
    codes = SignOffRecord.objects.using(restore_target).values_list("record_hash", flat=True)
    assert sorted(codes) == sorted(r.record_hash for r in history.records)
    # And the append-only triggers came back with the tables.
    assert measure.triggers(connections[restore_target]) == measure.triggers(connections["default"])
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(using=restore_target),
        connections[restore_target].cursor() as cursor,
    ):
        cursor.execute("UPDATE assessments_signoffrecord SET feedback = 'Changed'")


class _CacheIn:
    """A router that puts Django's database cache in one database: a restore replaces the
    database that holds the cache, as on a site without Redis."""

    def __init__(self, alias: str):
        self.alias = alias

    def _route(self, model, **hints):
        return self.alias if model._meta.app_label == "django_cache" else None

    db_for_read = db_for_write = _route


@ROUND_TRIP
def test_a_site_whose_cache_is_a_table_of_its_database_restores(
    media, restore_target, settings, tmp_path
):
    """Without Redis the cache is a table of the database (make run, a small site): the archive
    holds its rows, and the restore checks them against the manifest before emptying it."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "psycomp_cache",
        }
    }
    call_command("createcachetable")
    try:
        cache.set("greeting", "cached before the backup")
        archive = backup_create(output=tmp_path / "site.tar.gz")
        settings.DATABASE_ROUTERS = [_CacheIn(restore_target)]
        _empty(settings, tmp_path, "restored-media")
        report = backup_restore(archive_path=archive, using=restore_target)
        assert report.tables == len(measure.table_names(connections["default"]))
        # Emptied once checked: nothing cached before the restore answers for its data.
        assert cache.get("greeting") is None
    finally:
        with connections["default"].cursor() as cursor:
            cursor.execute("DROP TABLE psycomp_cache")


def _retar(folder: Path, output: Path) -> Path:
    with tarfile.open(output, "w:gz") as tar:
        tar.add(folder, arcname="psycomp-backup")
    return output


@pytest.fixture
def archive(media, tmp_path):
    """An archive written by the command, of the (empty) test site and one media file."""
    (media / "note.txt").parent.mkdir(parents=True, exist_ok=True)
    (media / "note.txt").write_text("kept")
    out = tmp_path / "site.tar.gz"
    call_command("backup", output=out, stdout=io.StringIO())
    return out


def _unpacked(archive: Path, tmp_path: Path) -> Path:
    with tarfile.open(archive) as tar:
        tar.extractall(tmp_path / "unpacked", filter="data")
    return tmp_path / "unpacked" / "psycomp-backup"


def _refused(archive: Path, alias: str, message: str) -> None:
    with pytest.raises(CommandError, match=message):
        call_command("restore", str(archive), database=alias)
    assert occupied(alias) == []  # nothing was written


def test_bad_archives_are_refused_and_change_nothing_then_a_good_one_restores(
    archive, restore_target, settings, tmp_path
):
    alias = restore_target
    _empty(settings, tmp_path, "restored-media")
    truncated = tmp_path / "truncated.tar.gz"
    truncated.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])
    _refused(truncated, restore_target, "damaged or incomplete")

    folder = _unpacked(archive, tmp_path)
    dump = next(folder.glob("database.*"))
    data = bytearray(dump.read_bytes())
    data[len(data) // 2] ^= 0xFF
    dump.write_bytes(bytes(data))
    _refused(_retar(folder, tmp_path / "tampered.tar.gz"), restore_target, "altered or damaged")

    (folder / "media" / "extra.txt").write_text("slipped in")
    _refused(_retar(folder, tmp_path / "extra.tar.gz"), restore_target, "unexpected")

    _refused(tmp_path / "missing.tar.gz", restore_target, "does not exist")
    assert not settings.MEDIA_ROOT.exists()

    # A manifest that disagrees with the data, re-summed so that every checksum is right, is
    # caught by the comparison: before the restore on SQLite (the copy is measured first),
    # after it on PostgreSQL. Either way the command fails and names the table.
    folder = _unpacked(archive, tmp_path / "again")
    manifest = json.loads((folder / "manifest.json").read_text())
    manifest["tables"]["home_user"]["rows"] += 1
    (folder / "manifest.json").write_text(json.dumps(manifest))
    (folder / "SHA256SUMS").write_text(
        "".join(
            f"{file_sha256(f)}  {f.relative_to(folder).as_posix()}\n"
            for f in sorted(folder.rglob("*"))
            if f.is_file() and f.name != "SHA256SUMS"
        )
    )
    with pytest.raises(CommandError, match="does not match its manifest") as refused:
        call_command("restore", str(_retar(folder, tmp_path / "lying.tar.gz")), database=alias)
    assert "table home_user" in str(refused.value)

    # The untouched archive restores (--force: on PostgreSQL the lying one was loaded), with
    # the backup's media only, and says what it checked.
    settings.MEDIA_ROOT.mkdir(exist_ok=True)
    (settings.MEDIA_ROOT / "stray.txt").write_text("replaced by the backup's media")
    out = io.StringIO()
    call_command("restore", str(archive), database=alias, force=True, stdout=out)
    assert "each matching the manifest; every sign-off chain verifies" in out.getvalue()
    assert sorted(p.name for p in settings.MEDIA_ROOT.iterdir()) == ["note.txt"]
    assert measure.table_sums(connections[alias]) == measure.table_sums(connections["default"])
    # Now the database holds data: a restore without --force is refused.
    with pytest.raises(CommandError, match="already holds"):
        call_command("restore", str(archive), database=alias)

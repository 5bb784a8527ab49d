"""The upgrade from the code before the moves (commit cc73cbc), rehearsed on a copy of a used
site: its backup restores into an empty database as it was, ``migrate`` brings it to this code's
head, and nothing is lost on the way. Every table keeps its rows and their contents (new
migrations are recorded after the old ones); the moved models' content types keep their ids
under their new apps, so permissions, log entries, revisions and the search index still point
at them; the sign-off chains still verify; the append-only trigger still refuses; the schema is
the one a fresh install gets; and nothing the old code left in the cache breaks the new code.

The archives were made by ``scripts/rehearsal/make_old_backup.py`` (``scripts/rehearse-upgrade.sh
--write-test-data`` makes them again). An archive restores only into the kind of database it
was taken from, so there is one per engine and each pass of ``make test`` restores its own.
"""

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.db import DatabaseError, connections, transaction

from competencies.models import ClinicalSetting, CompetencyElement
from home.backup import backup_restore
from supervision.models import Cohort, SignOffRecord, SignOffRequest, SupervisorAssignment
from tests import upgrade
from tests.databases import empty_database

pytestmark = pytest.mark.django_db


@pytest.fixture
def target(settings, tmp_path):
    """An empty database to upgrade: a new SQLite file, or a PostgreSQL database named after the
    test database (two checkouts never share it), dropped afterwards."""
    settings.MEDIA_ROOT = tmp_path / "media"
    with empty_database(tmp_path, "upgrade") as alias:
        yield alias


def _database_url(alias: str) -> str:
    conf = connections[alias].settings_dict
    if connections[alias].vendor == "sqlite":
        return f"sqlite:///{conf['NAME']}"
    password = f":{conf['PASSWORD']}" if conf.get("PASSWORD") else ""
    return f"postgres://{conf['USER']}{password}@{conf['HOST']}:{conf['PORT']}/{conf['NAME']}"


def test_a_site_of_the_old_code_restores_migrates_and_keeps_everything(target):
    from django.core.management import call_command

    archive, expected = upgrade.expected_for(connections[target].vendor)
    assert expected["made_by"].startswith("cc73cbc")

    # The old archive restores into the new code's hands as it was (its own checks pass,
    # verify_signoffs among them), still under the old labels.
    report = backup_restore(archive_path=archive, using=target)
    assert report.app_version == expected["made_by"]
    record_type = expected["content_types"]["assessments.signoffrecord"]
    assert ContentType.objects.using(target).get(pk=record_type).app_label == "assessments"

    call_command("migrate", database=target, verbosity=0)

    found = upgrade.problems(expected, target, fresh="default")
    assert found == [], "\n".join(found)
    rows = {table: (before, after) for table, before, after in upgrade.row_table(expected, target)}
    signed = sum(expected["sign_off_records"].values())
    assert rows["assessments_signoffrecord"] == (signed, signed)
    assert rows["curriculum_competencyelement"][0] == rows["curriculum_competencyelement"][1] > 0
    assert rows["django_migrations"][1] > rows["django_migrations"][0]

    # The moved content types: same ids, new labels, none left or made under the old ones.
    types = ContentType.objects.using(target)
    for old, new in upgrade.MOVES.items():
        moved = types.get(pk=expected["content_types"][old])
        assert f"{moved.app_label}.{moved.model}" == new
        assert not types.filter(app_label=old.split(".")[0], model=moved.model).exists()
        assert types.filter(app_label=moved.app_label, model=moved.model).count() == 1

    # Groups keep their permissions on the moved models, now labelled with the new apps.
    educators = Group.objects.using(target).get(name="Educators")
    held = set(
        educators.permissions.filter(content_type__app_label__in=["competencies", "supervision"])
        .values_list("content_type__app_label", "content_type__model", "codename")
        .iterator()
    )
    wanted = {
        (*upgrade.MOVES[label].split("."), codename)
        for name, label, codename in expected["group_permissions"]
        if name == "Educators"
    }
    assert held == wanted and ("supervision", "cohort", "view_cohort") in held

    # The moved rows, read through the models that own them now.
    records = SignOffRecord.objects.using(target)
    assert records.count() == signed
    assert records.filter(decision="revoked", revokes__decision="competent").count() == 1
    cohort = Cohort.objects.using(target).get(name="Rehearsal cohort")
    assert cohort.memberships.count() == 2
    assert SignOffRequest.objects.using(target).count() == 2
    assert SupervisorAssignment.objects.using(target).count() == 3
    element = CompetencyElement.objects.using(target).get(pk=expected["element"]["pk"])
    assert element.code == expected["element"]["code"]
    assert ClinicalSetting.objects.using(target).count() == rows["curriculum_clinicalsetting"][0]

    # The append-only trigger came through the move with its table.
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(using=target),
        connections[target].cursor() as cursor,
    ):
        cursor.execute("UPDATE assessments_signoffrecord SET feedback = 'Changed'")

    # And the command an operator runs after an upgrade says so, exiting 0.
    connections[target].close()
    result = subprocess.run(
        [sys.executable, "manage.py", "verify_signoffs"],
        cwd=settings.BASE_DIR,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "psycomp.settings.test",
            "DATABASE_URL": _database_url(target),
        },
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert f"{signed} sign-off records: every chain is intact." in result.stdout

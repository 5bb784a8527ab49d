"""Migration supervision 0003 gives existing sign-off requests their state: a request followed
by a decision is decided (by that decision); a request with none after it stays open; a
trainee's later requests sent while one was open (three POSTs, before the index existed) are
withdrawn, so that 0004's one-open-request index can be built. Run here on rows as they stood
before 0003 (the index dropped for the duplicates, then built again over the result)."""

import datetime
import importlib

import pytest
from django.apps import apps
from django.db import connection

from home.roles import Role
from supervision.models import SignOffRecord, SignOffRequest
from tests.factories import make_user

pytestmark = pytest.mark.django_db

migration = importlib.import_module("supervision.migrations.0003_request_states_for_existing_rows")
TABLE, INDEX = SignOffRequest._meta.db_table, "one_open_sign_off_request"


def test_existing_requests_get_their_state(supervisor):
    decided_trainee = make_user(Role.TRAINEE, email="decided@test.example")
    waiting_trainee = make_user(Role.TRAINEE, email="waiting@test.example")
    with connection.cursor() as cursor:
        cursor.execute(f"DROP INDEX {INDEX}")
    day = datetime.datetime(2026, 1, 5, 9, tzinfo=datetime.UTC)
    decided = SignOffRequest.objects.create(trainee=decided_trainee)
    waiting = [SignOffRequest.objects.create(trainee=waiting_trainee) for _ in range(3)]
    for n, request in enumerate([decided, *waiting]):
        SignOffRequest.objects.filter(pk=request.pk).update(
            created_at=day + datetime.timedelta(hours=n)
        )
    record = SignOffRecord.objects.create(
        trainee=decided_trainee,
        supervisor=supervisor,
        decision="not_yet",
        level=2,
        feedback="Not yet.",
        snapshot={},
        snapshot_hash="a" * 64,
        previous_hash="0" * 64,
        record_hash="b" * 64,
        created_at=day + datetime.timedelta(minutes=30),
    )

    migration.states(apps, None)

    states = dict(SignOffRequest.objects.values_list("pk", "status"))
    assert states[decided.pk] == "decided"
    assert SignOffRequest.objects.get(pk=decided.pk).decision == record
    assert [states[r.pk] for r in waiting] == ["open", "withdrawn", "withdrawn"]
    # 0004's index builds over the result (in its own migration, as here after the pending
    # foreign-key checks of the updates have run: PostgreSQL refuses it before).
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(f"CREATE UNIQUE INDEX {INDEX} ON {TABLE} (trainee_id) WHERE status = 'open'")

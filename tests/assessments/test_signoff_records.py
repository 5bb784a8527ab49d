"""Sign-off records: who may record them, the hash chain, and append-only at every level (model,
queryset, database trigger); verify_signoffs finds a planted tampered row. And the audit log."""

import datetime
import time

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, IntegrityError, connection, transaction

from home.append_only import AppendOnlyError, append_only_trigger_sql
from home.models import AuditEvent
from home.roles import Role
from supervision import chain
from supervision import services as supervision_services
from supervision.models import SignedName, SignOffRecord, SupervisorAssignment
from supervision.services import SignOffError
from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db
TABLE = SignOffRecord._meta.db_table


@pytest.fixture
def assigned(supervisor, trainee):
    supervision_services.supervisor_assign(supervisor=supervisor, trainee=trainee)
    return supervisor, trainee


def sign(supervisor, trainee, **overrides):
    kwargs = {
        "decision": "competent",
        "level": 3,
        "feedback": "Asks about home and work every time.",
        "justification": "Observed in clinic on four occasions.",
        "reauthenticated_at": time.time(),
    }
    kwargs.update(overrides)
    return supervision_services.sign_off_record(supervisor=supervisor, trainee=trainee, **kwargs)


def test_records_form_a_chain_that_verifies(assigned):
    supervisor, trainee = assigned
    first = sign(supervisor, trainee, decision="not_yet", level=2, next_steps="Two more cases.")
    second = sign(supervisor, trainee)
    assert first.previous_hash == chain.GENESIS
    assert second.previous_hash == first.record_hash
    assert second.snapshot["ready"] is False and second.justification
    assert len(second.verification_code) == 19
    assert supervision_services.sign_off_chains_verify() == {}
    out = []
    call_command("verify_signoffs", stdout=type("W", (), {"write": out.append})())
    assert "2 sign-off records: every chain is intact." in out[-1]
    assert AuditEvent.objects.filter(action="sign_off", target_id=str(second.pk)).exists()


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"reauthenticated_at": None}, "Confirm your password"),
        ({"reauthenticated_at": time.time() - 301}, "Confirm your password"),
        ({"feedback": "   "}, "feedback"),
        ({"decision": "not_yet", "next_steps": ""}, "next steps"),
        ({"justification": ""}, "justification"),
        ({"level": 0}, "level"),
        ({"level": 6}, "level"),
        ({"decision": "revoked"}, "competent or not yet"),
    ],
)
def test_invalid_sign_offs_are_refused_and_write_nothing(assigned, overrides, message):
    supervisor, trainee = assigned
    with pytest.raises(SignOffError, match=message):
        sign(supervisor, trainee, **overrides)
    assert not SignOffRecord.objects.exists()


def test_only_a_currently_assigned_supervisor_may_sign(assigned, other_trainee):
    supervisor, trainee = assigned
    with pytest.raises(SignOffError, match="not currently assigned"):
        sign(supervisor, other_trainee)
    with pytest.raises(SignOffError, match="Only a supervisor"):
        sign(other_trainee, trainee)
    with pytest.raises(SignOffError, match="themselves"):
        sign(supervisor, supervisor)
    # An assignment that has ended ends the right at once.
    SupervisorAssignment.objects.filter(supervisor=supervisor).update(
        starts_on=datetime.date(2020, 1, 1), ends_on=datetime.date(2020, 12, 31)
    )
    with pytest.raises(SignOffError, match="not currently assigned"):
        sign(supervisor, trainee)
    assert not SignOffRecord.objects.exists()


def test_revocation_is_a_new_record(assigned):
    supervisor, trainee = assigned
    record = sign(supervisor, trainee)
    revocation = supervision_services.sign_off_revoke(
        supervisor=supervisor,
        record=record,
        reason="Concerns raised.",
        reauthenticated_at=time.time(),
    )
    assert revocation.decision == "revoked" and revocation.revokes_id == record.pk
    assert revocation.previous_hash == record.record_hash
    with pytest.raises(SignOffError, match="already been revoked"):
        supervision_services.sign_off_revoke(
            supervisor=supervisor, record=record, reason="Again.", reauthenticated_at=time.time()
        )
    record.refresh_from_db()
    assert record.feedback == "Asks about home and work every time."  # untouched
    assert supervision_services.sign_off_chains_verify() == {}


def test_the_orm_can_neither_update_nor_delete(assigned):
    supervisor, trainee = assigned
    record = sign(supervisor, trainee)
    record.feedback = "Changed"
    with pytest.raises(AppendOnlyError):
        record.save()
    with pytest.raises(AppendOnlyError):
        record.delete()
    with pytest.raises(AppendOnlyError):
        SignOffRecord.objects.filter(pk=record.pk).update(feedback="Changed")
    with pytest.raises(AppendOnlyError):
        SignOffRecord.objects.all().delete()
    record.refresh_from_db()
    assert record.feedback == "Asks about home and work every time."


def test_raw_sql_is_refused_by_the_database(assigned):
    supervisor, trainee = assigned
    record = sign(supervisor, trainee)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"UPDATE {TABLE} SET feedback = 'forged' WHERE id = %s", [record.pk])
    if connection.vendor == "postgresql":
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {TABLE} WHERE id = %s", [record.pk])
    record.refresh_from_db()
    assert record.feedback == "Asks about home and work every time."


def test_the_chain_cannot_fork(assigned):
    supervisor, trainee = assigned
    first = sign(supervisor, trainee)
    sign(supervisor, trainee)
    rogue = SignOffRecord(
        trainee=trainee,
        supervisor=supervisor,
        decision="competent",
        level=5,
        feedback="Forged.",
        snapshot={},
    )
    rogue.seal(first.record_hash)  # claims to follow the first record, as the second does
    with pytest.raises(IntegrityError), transaction.atomic():
        rogue.save()


def _without_trigger(sql: str, params):
    forward, _ = append_only_trigger_sql(connection.vendor, TABLE)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # What a database superuser could do: switch triggers off for this transaction.
            cursor.execute("SET LOCAL session_replication_role = replica")
            cursor.execute(sql, params)
            cursor.execute("SET LOCAL session_replication_role = DEFAULT")
        else:
            cursor.execute(f"DROP TRIGGER {TABLE}_append_only_update")
            cursor.execute(sql, params)
            for statement in forward:
                cursor.execute(statement)


@pytest.mark.parametrize(
    "sql, problem",
    [
        (f"UPDATE {TABLE} SET level = 5 WHERE id = %s", "its fields have changed"),
        (f"UPDATE {TABLE} SET snapshot = '{{}}' WHERE id = %s", "snapshot has changed"),
        (f"DELETE FROM {TABLE} WHERE id = %s", "does not follow"),
    ],
)
def test_verify_signoffs_detects_a_planted_tampered_row(assigned, sql, problem):
    supervisor, trainee = assigned
    first = sign(supervisor, trainee)
    sign(supervisor, trainee)
    # Someone with database access goes around every guard (deleting a record, they delete
    # the name signed off beside it too, as its foreign key requires)...
    if sql.startswith("DELETE"):
        SignedName.objects.filter(record=first).delete()
    _without_trigger(sql, [first.pk])
    # ...and the chain shows it.
    with pytest.raises(CommandError, match="1 chain"):
        call_command("verify_signoffs", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert any(problem in p for p in supervision_services.sign_off_chains_verify()[trainee.pk])


def test_logins_failed_logins_and_lockouts_are_audited(client, trainee):
    client.post("/accounts/login/", {"login": trainee.email, "password": "wrong-password"})
    failed = AuditEvent.objects.get(action="login_failed")
    # The account by id, never its email address (the log outlives an erasure unchanged).
    assert failed.actor_label == f"user {trainee.pk}" and failed.ip == "127.0.0.1"
    assert (failed.target_type, failed.target_id) == ("home.User", str(trainee.pk))
    assert "wrong-password" not in str(failed.detail)
    client.post("/accounts/login/", {"login": trainee.email, "password": PASSWORD})
    assert AuditEvent.objects.filter(action="login", actor=trainee).count() == 1
    client.logout()
    for _ in range(5):
        client.post("/accounts/login/", {"login": trainee.email, "password": "still-wrong"})
    lockouts = AuditEvent.objects.filter(action="lockout")
    assert lockouts.exists() and {e.actor_label for e in lockouts} == {f"user {trainee.pk}"}


def test_a_failed_login_for_no_account_keeps_only_a_keyed_hash_of_what_was_typed(client):
    from home.audit import login_pseudonym

    client.post("/accounts/login/", {"login": "Nobody@Test.example", "password": "guess"})
    failed = AuditEvent.objects.get(action="login_failed")
    assert failed.actor_label == login_pseudonym("nobody@test.example")
    assert failed.actor_label.startswith("login ") and failed.target_id == ""
    row = str(AuditEvent.objects.filter(pk=failed.pk).values().get()).lower()
    assert "nobody" not in row and "guess" not in row


def test_the_audit_log_is_append_only(trainee):
    from home.audit import audit_record

    event = audit_record("role_change", actor=trainee, target=trainee, role="Trainees")
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE home_auditevent SET action = 'login' WHERE id = %s", [event.pk])


def test_deleting_a_user_keeps_their_audit_trail(db):
    person = make_user(Role.TRAINEE, email="gone@test.example")
    from home.audit import audit_record

    audit_record("login", actor=person)
    pk = person.pk
    person.delete()
    event = AuditEvent.objects.get(action="login")
    assert event.actor_id == pk and event.actor_label == f"user {pk}"


def test_assignments_and_role_changes_are_audited(supervisor, trainee, administrator):
    supervision_services.supervisor_assign(
        supervisor=supervisor, trainee=trainee, actor=administrator
    )
    event = AuditEvent.objects.get(action="assignment_change")
    assert event.actor == administrator and event.detail["trainee"] == trainee.pk
    supervision_services.supervisor_assign(
        supervisor=supervisor, trainee=trainee
    )  # unchanged: no event
    assert AuditEvent.objects.filter(action="assignment_change").count() == 1
    granted = AuditEvent.objects.filter(action="role_change", target_id=str(trainee.pk))
    assert granted.filter(detail__change="granted", detail__roles=["Trainees"]).exists()


def test_role_changes_made_inside_any_request_record_who_and_where(rf, administrator, trainee):
    """A role changed by any screen (the Wagtail user editor saves groups the same way) is
    logged with the person making the request and their address."""
    from django.contrib.auth.models import Group

    from home.audit import AuditContextMiddleware, current_request

    def view(request):
        trainee.groups.add(Group.objects.get(name="Supervisors"))
        return None

    request = rf.post("/admin/users/edit/", REMOTE_ADDR="203.0.113.9")
    request.user = administrator
    AuditContextMiddleware(view)(request)
    event = AuditEvent.objects.filter(action="role_change", target_id=str(trainee.pk)).latest("id")
    assert event.detail == {"change": "granted", "roles": ["Supervisors"]}
    assert event.actor == administrator and event.ip == "203.0.113.9"
    assert current_request.get() is None  # reset after the request

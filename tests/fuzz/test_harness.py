"""The fuzzer's own instruments can see what they are meant to see: a write, a change of a
row, a failed login's legitimate audit row, and a form shown again with errors."""

import pytest
from django.db import connection

from home.models import AuditEvent, User
from tests.factories import PASSWORD

from . import harness

pytestmark = pytest.mark.django_db


def test_a_changed_row_changes_the_fingerprint_and_the_tracker_names_its_table(trainee):
    table = User._meta.db_table
    before = harness.table_fingerprint(table)
    tracker = harness.WriteTracker()
    with connection.execute_wrapper(tracker):
        User.objects.filter(pk=trainee.pk).update(display_name="Changed")
    assert table in tracker.tables
    assert harness.table_fingerprint(table) != before


def test_failed_logins_in_the_audit_log_do_not_count_as_changes():
    table = AuditEvent._meta.db_table
    before = harness.table_fingerprint(table)
    AuditEvent.objects.create(action=AuditEvent.Action.LOGIN_FAILED, actor_label="x@example.org")
    assert harness.table_fingerprint(table) == before
    AuditEvent.objects.create(action=AuditEvent.Action.DATA_EXPORT, actor_label="x@example.org")
    assert harness.table_fingerprint(table) != before


def test_a_form_shown_again_with_errors_is_rejected_and_a_redirect_is_not(client, trainee):
    failed = client.post("/accounts/login/", {"login": trainee.email, "password": "wrong"})
    assert failed.status_code == 200 and harness.rejected(failed)
    done = client.post("/accounts/login/", {"login": trainee.email, "password": PASSWORD})
    assert done.status_code == 302 and not harness.rejected(done)

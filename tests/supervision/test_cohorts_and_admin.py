"""Cohorts (self-enrolment with an invite code, the supervisor's cohort filter) and the admin
screens: cohorts and assignments for administrators, cohorts read-only for educators, and sign-off
records and the audit log read-only for everyone, superusers included."""

import datetime
import time

import pytest

from home.models import AuditEvent
from supervision import services as supervision_services
from supervision.models import Cohort, CohortMembership, SupervisorAssignment

pytestmark = pytest.mark.django_db


def refused(response) -> bool:
    """Wagtail answers a missing permission with 403, or with a redirect to the admin home
    and a message; either way the form is not shown and nothing is saved."""
    return response.status_code == 403 or (
        response.status_code == 302 and response.headers["Location"] == "/admin/"
    )


@pytest.fixture
def cohort(db):
    return Cohort.objects.create(name="Spring 2027", invite_code="spring-27")


def test_a_trainee_joins_with_the_code_and_bad_codes_get_a_400(client, trainee, cohort):
    client.force_login(trainee)
    assert client.post("/cohorts/join/", {"code": "wrong"}).status_code == 400
    assert client.post("/cohorts/join/", {"code": ""}).status_code == 400
    assert client.post("/cohorts/join/", {"code": "spring-27"}).status_code == 302
    assert client.post("/cohorts/join/", {"code": "spring-27"}).status_code == 302  # idempotent
    assert CohortMembership.objects.filter(cohort=cohort, trainee=trainee).count() == 1
    Cohort.objects.create(
        name="Old",
        invite_code="old",
        starts_on=datetime.date(2020, 1, 1),
        ends_on=datetime.date(2020, 6, 1),
    )
    closed = client.post("/cohorts/join/", {"code": "old"})
    assert closed.status_code == 400 and "closed" in closed.content.decode()


def test_the_supervisor_filters_by_cohort(client, supervisor, trainee, other_trainee, cohort):
    for person in (trainee, other_trainee):
        supervision_services.supervisor_assign(supervisor=supervisor, trainee=person)
    supervision_services.cohort_join(trainee=trainee, code="spring-27")
    client.force_login(supervisor)
    html = client.get(f"/supervision/?cohort={cohort.pk}").content.decode()
    assert trainee.name in html and other_trainee.name not in html
    assert client.get("/supervision/?cohort=999999").status_code == 400


def test_administrators_manage_cohorts_and_assignments(client, administrator):
    client.force_login(administrator)
    assert client.get("/admin/cohort/").status_code == 200
    assert client.get("/admin/cohort/new/").status_code == 200
    assert client.get("/admin/supervisorassignment/").status_code == 200


def test_assignment_changes_in_the_admin_are_audited(client, administrator, supervisor, trainee):
    client.force_login(administrator)
    response = client.post(
        "/admin/supervisorassignment/new/",
        {
            "supervisor": supervisor.pk,
            "trainee": trainee.pk,
            "starts_on": "2026-01-01",
            "ends_on": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:500]
    assert SupervisorAssignment.objects.filter(supervisor=supervisor, trainee=trainee).exists()
    assert AuditEvent.objects.filter(action="assignment_change", actor=administrator).exists()


def test_educators_may_view_cohorts_but_not_change_them(client, educator, cohort):
    client.force_login(educator)
    assert client.get("/admin/cohort/").status_code == 200
    assert refused(client.get("/admin/cohort/new/"))
    assert refused(client.get(f"/admin/cohort/edit/{cohort.pk}/"))
    assert refused(client.post(f"/admin/cohort/edit/{cohort.pk}/", {"name": "Renamed"}))
    assert refused(client.get("/admin/auditevent/"))
    assert refused(client.get("/admin/supervisorassignment/"))
    cohort.refresh_from_db()
    assert cohort.name == "Spring 2027"


def test_records_and_the_audit_log_are_read_only_in_the_admin(
    client, administrator, supervisor, trainee
):
    supervision_services.supervisor_assign(supervisor=supervisor, trainee=trainee)
    record = supervision_services.sign_off_record(
        supervisor=supervisor,
        trainee=trainee,
        decision="not_yet",
        level=2,
        feedback="More cases first.",
        next_steps="Two cases.",
        reauthenticated_at=time.time(),
    )
    event = AuditEvent.objects.first()
    client.force_login(administrator)  # a superuser
    assert client.get("/admin/signoffrecord/").status_code == 200
    assert client.get("/admin/auditevent/").status_code == 200
    for url in (
        "/admin/signoffrecord/new/",
        f"/admin/signoffrecord/edit/{record.pk}/",
        f"/admin/signoffrecord/delete/{record.pk}/",
        "/admin/auditevent/new/",
        f"/admin/auditevent/edit/{event.pk}/",
        f"/admin/auditevent/delete/{event.pk}/",
    ):
        assert refused(client.get(url)), url
        assert refused(client.post(url, {})), url
    record.refresh_from_db()
    assert record.feedback == "More cases first."


def _assignment_form(supervisor, trainee, **more) -> dict:
    return {
        "supervisor": supervisor.pk,
        "trainee": trainee.pk,
        "starts_on": "2026-01-01",
        "ends_on": "",
        **more,
    }


def test_assigning_a_non_supervisor_in_the_admin_is_a_form_error(
    client, administrator, trainee, other_trainee
):
    client.force_login(administrator)
    response = client.post(
        "/admin/supervisorassignment/new/", _assignment_form(other_trainee, trainee)
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["supervisor"] == [f"{other_trainee} is not a supervisor."]
    assert f"{other_trainee} is not a supervisor." in response.content.decode()
    assert not SupervisorAssignment.objects.exists()
    assert not AuditEvent.objects.filter(action="assignment_change").exists()


def test_editing_an_assignment_in_the_admin_goes_through_the_same_checks(
    client, administrator, supervisor, trainee, educator
):
    assignment = supervision_services.supervisor_assign(supervisor=supervisor, trainee=trainee)
    client.force_login(administrator)
    url = f"/admin/supervisorassignment/edit/{assignment.pk}/"
    refused = client.post(url, _assignment_form(supervisor, educator))
    assert refused.status_code == 200
    assert refused.context["form"].errors["trainee"] == [f"{educator} is not a trainee."]
    assignment.refresh_from_db()
    assert assignment.trainee == trainee
    ended = client.post(url, _assignment_form(supervisor, trainee, ends_on="2026-02-01"))
    assert ended.status_code == 302
    assignment.refresh_from_db()
    assert str(assignment.ends_on) == "2026-02-01"
    assert AuditEvent.objects.filter(
        action="assignment_change", actor=administrator, detail__change="edited"
    ).exists()

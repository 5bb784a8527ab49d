"""A supervisor sees the trainees assigned to them now, and nobody else."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from supervision import selectors
from supervision import services as supervision_services
from supervision.models import SupervisorAssignment

pytestmark = pytest.mark.django_db


def test_supervisor_sees_only_their_current_trainees(client, supervisor, trainee, other_trainee):
    supervision_services.supervisor_assign(supervisor=supervisor, trainee=trainee)
    client.force_login(supervisor)
    html = client.get("/dashboard/").content.decode()
    assert "Tara Trainee" in html
    assert "Omar Other" not in html


def test_access_ends_when_the_assignment_ends(client, supervisor, trainee):
    assignment = supervision_services.supervisor_assign(
        supervisor=supervisor,
        trainee=trainee,
        starts_on=timezone.localdate() - datetime.timedelta(days=30),
    )
    assert list(selectors.trainees_for_supervisor(supervisor=supervisor)) == [trainee]
    assignment.ends_on = timezone.localdate() - datetime.timedelta(days=1)
    assignment.save()
    assert list(selectors.trainees_for_supervisor(supervisor=supervisor)) == []
    client.force_login(supervisor)
    assert "Tara Trainee" not in client.get("/dashboard/").content.decode()


def test_future_assignments_do_not_grant_access_yet(supervisor, trainee):
    supervision_services.supervisor_assign(
        supervisor=supervisor,
        trainee=trainee,
        starts_on=timezone.localdate() + datetime.timedelta(days=3),
    )
    assert list(selectors.trainees_for_supervisor(supervisor=supervisor)) == []


def test_assigning_is_idempotent(supervisor, trainee):
    first = supervision_services.supervisor_assign(supervisor=supervisor, trainee=trainee)
    second = supervision_services.supervisor_assign(supervisor=supervisor, trainee=trainee)
    assert first.pk == second.pk
    assert SupervisorAssignment.objects.count() == 1


def test_roles_are_checked_when_assigning(supervisor, trainee, other_trainee):
    with pytest.raises(ValidationError):
        supervision_services.supervisor_assign(supervisor=other_trainee, trainee=trainee)
    with pytest.raises(ValidationError):
        supervision_services.supervisor_assign(supervisor=supervisor, trainee=supervisor)


def test_trainee_dashboard_names_their_supervisor(client, supervisor, trainee):
    supervision_services.supervisor_assign(supervisor=supervisor, trainee=trainee)
    client.force_login(trainee)
    html = client.get("/dashboard/").content.decode()
    assert "Sita Supervisor" in html
    assert "Your trainees" not in html

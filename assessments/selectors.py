"""Reads for supervision and dashboards. Views call these; they never build querysets themselves."""

from django.contrib.auth import get_user_model
from django.db.models import QuerySet

from .models import SupervisorAssignment

User = get_user_model()


def trainees_for_supervisor(*, supervisor) -> QuerySet:
    """The trainees a supervisor is assigned to today, and no one else."""
    trainee_ids = SupervisorAssignment.objects.current().filter(supervisor=supervisor)
    return User.objects.filter(id__in=trainee_ids.values("trainee_id")).order_by(
        "display_name", "email"
    )


def supervisors_for_trainee(*, trainee) -> QuerySet:
    """The supervisors currently responsible for a trainee."""
    supervisor_ids = SupervisorAssignment.objects.current().filter(trainee=trainee)
    return User.objects.filter(id__in=supervisor_ids.values("supervisor_id")).order_by(
        "display_name", "email"
    )

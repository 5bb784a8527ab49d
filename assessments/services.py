"""Writes for supervision. Admin screens, seed_demo and tests call these."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from home.roles import Role, has_role

from .models import SupervisorAssignment


@transaction.atomic
def supervisor_assign(
    *, supervisor, trainee, starts_on: datetime.date | None = None
) -> SupervisorAssignment:
    """Make ``supervisor`` responsible for ``trainee`` from ``starts_on`` (today by default).

    Idempotent: an assignment already in force is returned unchanged.
    """
    if supervisor.pk == trainee.pk:
        raise ValidationError("A supervisor cannot supervise themselves.")
    if not has_role(supervisor, Role.SUPERVISOR):
        raise ValidationError(f"{supervisor} is not a supervisor.")
    if not has_role(trainee, Role.TRAINEE):
        raise ValidationError(f"{trainee} is not a trainee.")
    existing = (
        SupervisorAssignment.objects.current()
        .filter(supervisor=supervisor, trainee=trainee)
        .first()
    )
    if existing:
        return existing
    return SupervisorAssignment.objects.create(
        supervisor=supervisor, trainee=trainee, starts_on=starts_on or timezone.localdate()
    )

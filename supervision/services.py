"""Writes for supervision: assignments, cohorts, sign-off requests (``sign_off_requests``) and
sign-off records (``sign_offs``), whose functions are part of this module.

Views, the admin's assignment screens, seed_demo, management commands and tests call these, so
every assignment and every sign-off passes the same role checks and leaves the same audit entry.
"""

import datetime

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import dateformat, timezone

from home.audit import audit_record
from home.roles import Role, has_role

from .chain_checks import sign_off_chains_verify  # noqa: F401  (part of this interface)
from .models import (
    Cohort,
    CohortMembership,
    SupervisorAssignment,
)

# Observed practice is written in its own module; its services are these too.
from .observing import observation_ask as observation_ask
from .observing import observation_record as observation_record
from .observing import observation_reflect as observation_reflect
from .observing import observation_request_withdraw as observation_request_withdraw
from .sign_off_requests import (  # noqa: F401  (part of this module's interface)
    ALREADY_ASKED,
    _notify_supervisors,
    latest_decision,
    may_ask_again,
    new_evidence_since,
    sign_off_request,
    sign_off_request_withdraw,
)
from .sign_offs import (  # noqa: F401  (part of this module's interface)
    REAUTH_SECONDS,
    AlreadyDecided,
    NotConfirmed,
    SignOffError,
    evidence_snapshot,
    sign_off_record,
    sign_off_revoke,
)

User = get_user_model()


# --- Assignments and cohorts ------------------------------------------------------------------


def _check_assignment(*, supervisor, trainee) -> None:
    """Who may supervise whom: a supervisor, a trainee, and never the same person. The errors
    name the field at fault, so a form shows each beside its choice."""
    if supervisor.pk == trainee.pk:
        raise ValidationError("A supervisor cannot supervise themselves.")
    errors = {}
    if not has_role(supervisor, Role.SUPERVISOR):
        errors["supervisor"] = f"{supervisor} is not a supervisor."
    if not has_role(trainee, Role.TRAINEE):
        errors["trainee"] = f"{trainee} is not a trainee."
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def supervisor_assign(
    *,
    supervisor,
    trainee,
    starts_on: datetime.date | None = None,
    ends_on: datetime.date | None = None,
    actor=None,
    request=None,
) -> SupervisorAssignment:
    """Make ``supervisor`` responsible for ``trainee`` from ``starts_on`` (today by default)
    until ``ends_on`` (open-ended by default).

    Idempotent: an assignment of the two already in force is returned unchanged.
    """
    _check_assignment(supervisor=supervisor, trainee=trainee)
    existing = (
        SupervisorAssignment.objects.current()
        .filter(supervisor=supervisor, trainee=trainee)
        .first()
    )
    if existing:
        return existing
    assignment = SupervisorAssignment(
        supervisor=supervisor,
        trainee=trainee,
        starts_on=starts_on or timezone.localdate(),
        ends_on=ends_on,
    )
    return _assignment_save(assignment, change="assigned", actor=actor, request=request)


@transaction.atomic
def supervisor_assignment_update(
    *,
    assignment: SupervisorAssignment,
    supervisor,
    trainee,
    starts_on: datetime.date,
    ends_on: datetime.date | None,
    actor=None,
    request=None,
) -> SupervisorAssignment:
    """Change an assignment (most often: end it, with ``ends_on``), with the same checks as
    ``supervisor_assign``. The admin's assignment screen calls this."""
    _check_assignment(supervisor=supervisor, trainee=trainee)
    assignment.supervisor, assignment.trainee = supervisor, trainee
    assignment.starts_on, assignment.ends_on = starts_on, ends_on
    return _assignment_save(assignment, change="edited", actor=actor, request=request)


def _assignment_save(assignment, *, change: str, actor, request) -> SupervisorAssignment:
    """Validate (dates, not oneself), save and audit an assignment."""
    assignment.full_clean()
    assignment.save()
    audit_record(
        "assignment_change",
        actor=actor,
        request=request,
        target=assignment,
        change=change,
        supervisor=assignment.supervisor_id,
        trainee=assignment.trainee_id,
        ends_on=str(assignment.ends_on or ""),
    )
    return assignment


def cohort_ensure(*, name: str, invite_code: str, starts_on: datetime.date | None = None) -> Cohort:
    """The cohort called ``name``, created with ``invite_code`` if there is none (seed_demo).
    Idempotent: an existing cohort keeps its dates, and takes ``invite_code`` if it differs."""
    cohort = Cohort.objects.filter(name=name).first()
    if cohort is None:
        cohort = Cohort(
            name=name, invite_code=invite_code, starts_on=starts_on or timezone.localdate()
        )
    elif cohort.invite_code == invite_code:
        return cohort
    cohort.invite_code = invite_code
    cohort.full_clean()
    cohort.save()
    return cohort


def cohort_join(*, trainee, code: str) -> Cohort:
    """A trainee joins a cohort with its invite code. Idempotent."""
    if not has_role(trainee, Role.TRAINEE):
        raise PermissionDenied("Only trainees join cohorts.")
    cohort = Cohort.objects.filter(invite_code=(code or "").strip()).first()
    if cohort is None:
        raise ValidationError("No cohort has that invite code. Check it with your programme lead.")
    if not cohort.is_open():
        ended = dateformat.format(cohort.ends_on, "j F Y")
        raise ValidationError(f"{cohort.name} ended on {ended}; it is closed.")
    CohortMembership.objects.get_or_create(cohort=cohort, trainee=trainee)
    return cohort

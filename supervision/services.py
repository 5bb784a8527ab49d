"""Writes for supervision: assignments, cohorts, sign-off requests and sign-off records.

Views, the admin's assignment screens, seed_demo, management commands and tests call these, so
every assignment and every sign-off passes the same role checks and leaves the same audit entry.
"""

import datetime
import logging
import time

from django.contrib.auth import get_user_model
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from assessments.models import AttemptStatus, Evidence, QuizAttempt
from cases.models import VignetteAttempt
from home.audit import audit_record
from home.roles import Role, has_role
from progress.selectors import trainee_progress

from . import chain
from .models import Cohort, CohortMembership, SignOffRecord, SignOffRequest, SupervisorAssignment

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
        raise ValidationError(f"{cohort.name} ended on {cohort.ends_on:%d %B %Y}; it is closed.")
    CohortMembership.objects.get_or_create(cohort=cohort, trainee=trainee)
    return cohort


# --- Sign-off requests ------------------------------------------------------------------------


def sign_off_request(*, trainee, message: str = "") -> SignOffRequest:
    """Ask for sign-off. Only a trainee who is ready may ask (the readiness rule)."""
    if not has_role(trainee, Role.TRAINEE):
        raise PermissionDenied("Only trainees request sign-off.")
    progress = trainee_progress(user=trainee)
    if not progress["ready"]:
        raise ValidationError("You are not ready for sign-off yet: see what is still needed.")
    request = SignOffRequest.objects.create(trainee=trainee, message=message.strip()[:2000])
    # Mail goes out only once the request is safely stored, and a mail failure never undoes it.
    transaction.on_commit(lambda: _notify_supervisors(request))
    return request


def _notify_supervisors(request: SignOffRequest) -> int:
    supervisors = User.objects.filter(
        pk__in=SupervisorAssignment.objects.current()
        .filter(trainee=request.trainee)
        .values("supervisor_id")
    )
    sent = 0
    for supervisor in supervisors:
        try:
            sent += mail.send_mail(
                f"[Psychosocial competency] {request.trainee.name} asks for sign-off",
                f"Dear {supervisor.name},\n\n"
                f"{request.trainee.name} has asked you to review their evidence for the "
                "psychosocial competency and record a sign-off decision. Open your trainees page "
                "to see their evidence.\n\nWith best wishes,\nPsychosocial competency\n",
                None,
                [supervisor.email],
            )
        except Exception:
            logging.getLogger(__name__).exception("Sign-off request mail failed")
    return sent


# --- Sign-off ---------------------------------------------------------------------------------

REAUTH_SECONDS = 5 * 60


class SignOffError(Exception):
    """A sign-off that cannot be recorded, with a message for the supervisor."""


def evidence_snapshot(*, trainee) -> dict:
    """What a supervisor judged: the mastery table and readiness as shown, the policy, and the
    ids of every finalised attempt with the revision each was pinned to."""
    progress = trainee_progress(user=trainee)
    policy = progress["policy"]
    return {
        "policy": {
            "min_items": policy.min_items,
            "min_settings": policy.min_settings,
            "threshold": policy.threshold,
        },
        "elements": [
            {
                "code": row["element"].code,
                "items": row["mastery"].items,
                "settings": row["mastery"].settings,
                "mean": row["mastery"].mean,
                "met": row["mastery"].met,
            }
            for row in progress["elements"]
        ],
        "core_lessons": [progress["core_done"], progress["core_total"]],
        "ready": progress["ready"],
        "missing": progress["missing"],
        "quiz_attempts": sorted(
            QuizAttempt.objects.filter(trainee=trainee, status=AttemptStatus.SUBMITTED)
            .values_list("id", "revision_id")
            .iterator()
        ),
        "vignette_attempts": sorted(
            VignetteAttempt.objects.filter(trainee=trainee, status="finished")
            .values_list("id", "revision_id")
            .iterator()
        ),
        "evidence_rows": Evidence.objects.filter(trainee=trainee).count(),
    }


def _check_supervisor(*, supervisor, trainee, reauthenticated_at: float | None, now: float):
    if supervisor.pk == trainee.pk:
        raise SignOffError("Nobody can sign themselves off.")
    if not has_role(supervisor, Role.SUPERVISOR):
        raise SignOffError("Only a supervisor can record a sign-off.")
    if (
        not SupervisorAssignment.objects.current()
        .filter(supervisor=supervisor, trainee=trainee)
        .exists()
    ):
        raise SignOffError("You are not currently assigned to supervise this trainee.")
    if reauthenticated_at is None or not 0 <= now - reauthenticated_at <= REAUTH_SECONDS:
        raise SignOffError("Confirm your password (or code) again: it is needed within 5 minutes.")


def _append(record: SignOffRecord) -> SignOffRecord:
    """Seal the record onto the end of its trainee's chain, one writer at a time."""
    User.objects.select_for_update().filter(pk=record.trainee_id).first()
    last = SignOffRecord.objects.filter(trainee_id=record.trainee_id).order_by("-id").first()
    record.seal(last.record_hash if last else chain.GENESIS)
    record.full_clean(exclude=["snapshot_hash", "previous_hash", "record_hash"])
    record.save()
    return record


@transaction.atomic
def sign_off_record(
    *,
    supervisor,
    trainee,
    decision: str,
    level: int | None,
    feedback: str,
    next_steps: str = "",
    justification: str = "",
    reauthenticated_at: float | None,
    now: float | None = None,
    request=None,
) -> SignOffRecord:
    _check_supervisor(
        supervisor=supervisor,
        trainee=trainee,
        reauthenticated_at=reauthenticated_at,
        now=time.time() if now is None else now,
    )
    if decision not in (SignOffRecord.Decision.COMPETENT, SignOffRecord.Decision.NOT_YET):
        raise SignOffError("Choose competent or not yet competent.")
    if level not in range(1, 6):
        raise SignOffError("Choose an entrustment level from 1 to 5.")
    if not feedback.strip():
        raise SignOffError("Write feedback for the trainee: it is required.")
    if decision == SignOffRecord.Decision.NOT_YET and not next_steps.strip():
        raise SignOffError("Say what the next steps are when the decision is not yet.")
    snapshot = evidence_snapshot(trainee=trainee)
    unready = decision == SignOffRecord.Decision.COMPETENT and not snapshot["ready"]
    if unready and not justification.strip():
        raise SignOffError(
            "This trainee is not yet ready by the platform's rule. Signing off anyway needs "
            "a written justification, which will be shown on the record."
        )
    record = _append(
        SignOffRecord(
            trainee=trainee,
            supervisor=supervisor,
            decision=decision,
            level=level,
            feedback=feedback.strip(),
            next_steps=next_steps.strip(),
            justification=justification.strip(),
            snapshot=snapshot,
        )
    )
    audit_record(
        "sign_off", actor=supervisor, request=request, target=record, decision=decision, level=level
    )
    return record


@transaction.atomic
def sign_off_revoke(
    *,
    supervisor,
    record: SignOffRecord,
    reason: str,
    reauthenticated_at: float | None,
    now: float | None = None,
    request=None,
) -> SignOffRecord:
    """A revocation is a new record that points at the one it revokes."""
    trainee = record.trainee
    _check_supervisor(
        supervisor=supervisor,
        trainee=trainee,
        reauthenticated_at=reauthenticated_at,
        now=time.time() if now is None else now,
    )
    if record.decision != SignOffRecord.Decision.COMPETENT:
        raise SignOffError("Only a competent decision can be revoked.")
    if record.revocations.exists():
        raise SignOffError("This sign-off has already been revoked.")
    if not reason.strip():
        raise SignOffError("Give the reason for revoking this sign-off.")
    revocation = _append(
        SignOffRecord(
            trainee=trainee,
            supervisor=supervisor,
            decision=SignOffRecord.Decision.REVOKED,
            level=None,
            feedback=f"Revokes the sign-off of {record.created_at:%d %B %Y}.",
            revokes=record,
            reason=reason.strip(),
            snapshot=evidence_snapshot(trainee=trainee),
        )
    )
    audit_record("revocation", actor=supervisor, request=request, target=revocation)
    return revocation


def sign_off_chains_verify(*, using: str = "default") -> dict[int, list[str]]:
    """Every trainee's chain, walked: {trainee id: problems} for the broken ones only.
    ``using`` names another database (a restore checks the database it restored into)."""
    problems: dict[int, list[str]] = {}
    links: dict[int, list] = {}
    for record in SignOffRecord.objects.using(using).order_by("trainee_id", "id").iterator():
        links.setdefault(record.trainee_id, []).append(record.link())
    for trainee_id, chain_links in links.items():
        found = chain.verify(chain_links)
        if found:
            problems[trainee_id] = found
    return problems

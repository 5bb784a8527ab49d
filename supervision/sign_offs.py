"""Sign-off records: the decisions supervisors make on a trainee's competency (one per
supervisor and request; with two supervisors, the policy's rule combines them), their evidence
snapshot, the hash chain they are appended to, and revocation. Part of ``supervision.services``,
which imports these names: callers use that module.
"""

import time

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import dateformat

from assessments.engine import mastery
from assessments.models import AttemptStatus, Evidence, Observation, QuizAttempt
from assessments.selectors import mastery_policy
from cases.models import VignetteAttempt
from home.audit import audit_record
from home.roles import Role, has_role
from progress.selectors import trainee_progress

from . import chain
from .models import SignedName, SignOffRecord, SignOffRequest, SupervisorAssignment
from .models.signoff import name_to_sign
from .selectors.assignments import lead_supervisor_id, sign_off_panel

User = get_user_model()

REAUTH_SECONDS = 5 * 60


class SignOffError(Exception):
    """A sign-off that cannot be recorded, with a message for the supervisor."""


class NotConfirmed(SignOffError):
    """The supervisor's password (or code) was not confirmed in the last five minutes."""


class AlreadyDecided(SignOffError):
    """Another decision was recorded first (the same form posted twice, say)."""


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
            "observations_needed": policy.observations_needed,
            "observation_level": policy.observation_level,
            # Only when two supervisors decide: snapshots made under one stay as they were.
            **(
                {
                    "supervisors_needed": policy.supervisors_needed,
                    "sign_off_rule": policy.sign_off_rule,
                }
                if policy.supervisors_needed > 1
                else {}
            ),
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
        "observations": sorted(
            Observation.objects.filter(trainee=trainee).values_list("id", flat=True).iterator()
        ),
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
        raise NotConfirmed("Confirm your password (or code) again: it is needed within 5 minutes.")


def _append(record: SignOffRecord, *, name: str | None = None) -> SignOffRecord:
    """Seal the record onto the end of its trainee's chain, one writer at a time. With
    ``name``, the name signed off is frozen: its salted hash inside the record's hash, the name
    and salt beside it (``SignedName``)."""
    User.objects.select_for_update().filter(pk=record.trainee_id).first()
    last = SignOffRecord.objects.filter(trainee_id=record.trainee_id).order_by("-id").first()
    signed = None
    if name is not None:
        signed = SignedName(trainee_id=record.trainee_id, name=name)
        record.name_commitment = signed.commitment()
    record.seal(last.record_hash if last else chain.GENESIS)
    record.full_clean(exclude=["snapshot_hash", "previous_hash", "record_hash"])
    record.save()
    if signed is not None:
        signed.record = record
        signed.save()
    return record


def _lock_open_request(*, trainee, request_id: int | None) -> SignOffRequest | None:
    """The trainee's open request, locked until the decision is stored: a second decision
    posted at the same moment waits here, then finds the request decided and is refused."""
    if request_id is not None:
        request = (
            SignOffRequest.objects.select_for_update()
            .filter(pk=request_id, trainee=trainee)
            .first()
        )
        if request is None or not request.is_open:
            raise AlreadyDecided(
                "This request has already been decided or withdrawn: see the record below "
                "before recording another decision."
            )
        return request
    return (
        SignOffRequest.objects.select_for_update()
        .filter(trainee=trainee, status=SignOffRequest.Status.OPEN)
        .first()
    )


def _two_supervisors(*, asked, supervisor, trainee, decision: str) -> dict:
    """How a decision made where two supervisors decide counts: the rule (the one the first
    decision on the request was made under, else the policy's), and whether it is the outcome
    (it closes the request). Refuses a second decision by the same supervisor on the request."""
    if asked is None:
        raise SignOffError(
            "Two supervisors decide together on the trainee's request for sign-off, and they "
            "have no open request: ask them to request sign-off first."
        )
    earlier = list(SignOffRecord.objects.filter(sign_off_request=asked).order_by("id"))
    if any(r.supervisor_id == supervisor.pk for r in earlier):
        raise AlreadyDecided(
            "You have already recorded your decision on this request: it now waits for the "
            "other supervisor's."
        )
    rule = earlier[0].rule if earlier else mastery_policy().sign_off_rule
    if rule == mastery.LEAD_DECIDES:
        is_result = supervisor.pk == lead_supervisor_id(trainee=trainee)
    elif decision == SignOffRecord.Decision.NOT_YET:
        is_result = True  # all must agree: one "not yet" decides
    else:
        current = set(
            SupervisorAssignment.objects.current()
            .filter(trainee=trainee)
            .values_list("supervisor_id", flat=True)
        )
        is_result = any(
            r.decision == SignOffRecord.Decision.COMPETENT and r.supervisor_id in current
            for r in earlier
        )
    return {"rule": rule, "is_result": is_result, "sign_off_request": asked}


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
    request_id: int | None = None,
    after_record_id: int | None = None,
) -> SignOffRecord:
    """Record a decision, once: it closes the trainee's open request (``request_id``, the one
    the form was about, when given), and ``after_record_id`` (the trainee's latest record
    when the form was shown, 0 for none) refuses a decision made without seeing one recorded
    in the meantime: the same form posted twice records one decision.

    Where two supervisors decide (``MasteryPolicy.supervisors_needed``), each records their own
    decision on the open request, once (checked here, under the request's row lock, and by a
    unique index); the request closes, and the record is the outcome, when the rule is met
    (``_two_supervisors``): until then it stays open with the first decision on it."""
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
    asked = _lock_open_request(trainee=trainee, request_id=request_id)
    if after_record_id is not None:
        User.objects.select_for_update().filter(pk=trainee.pk).first()
        latest = SignOffRecord.objects.filter(trainee=trainee).order_by("-id").first()
        if (latest.pk if latest else 0) != after_record_id:
            raise AlreadyDecided(
                "A decision was recorded for this trainee while this form was open: read it "
                "on their page before recording another."
            )
    panel = (
        _two_supervisors(asked=asked, supervisor=supervisor, trainee=trainee, decision=decision)
        if sign_off_panel(trainee=trainee, request=asked)["needed"] > 1
        else {}
    )
    snapshot = evidence_snapshot(trainee=trainee)
    unready = decision == SignOffRecord.Decision.COMPETENT and not snapshot["ready"]
    if unready and not justification.strip():
        raise SignOffError(
            "This trainee is not yet ready by the platform's rule. Signing off anyway needs "
            "a written justification, which will be shown on the record."
        )
    try:
        with transaction.atomic():
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
                    **panel,
                ),
                name=name_to_sign(trainee),
            )
    except IntegrityError:
        # The unique indexes, when the locks above could not serialise the posts (SQLite
        # has none): one decision per supervisor per request, and a chain that cannot fork.
        raise AlreadyDecided(
            "A decision was recorded for this trainee at the same moment: read it on their "
            "page before recording another."
        ) from None
    if asked is not None and record.counts:
        asked.status, asked.decision, asked.closed_at = (
            SignOffRequest.Status.DECIDED,
            record,
            record.created_at,
        )
        asked.save(update_fields=["status", "decision", "closed_at"])
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
    if not record.counts:
        raise SignOffError(
            "This decision is one of two and not the outcome: there is no sign-off to revoke."
        )
    User.objects.select_for_update().filter(pk=trainee.pk).first()
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
            feedback=f"Revokes the sign-off of {dateformat.format(record.created_at, 'j F Y')}.",
            revokes=record,
            reason=reason.strip(),
            snapshot=evidence_snapshot(trainee=trainee),
        ),
        name=name_to_sign(trainee),
    )
    audit_record("revocation", actor=supervisor, request=request, target=revocation)
    return revocation

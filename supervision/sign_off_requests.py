"""Writes for a trainee's requests for sign-off: asking (one open request at a time, and after
a "not yet" or a revocation only with new evidence), withdrawing, and the mail to their
supervisors. Part of ``supervision.services``, which imports these names; a decision closes a
request there (``sign_off_record``)."""

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from assessments.models import Evidence
from home.roles import Role, has_role
from progress.selectors import trainee_progress

from .models import SignOffRecord, SignOffRequest, SupervisorAssignment
from .models.requests import MESSAGE_MAX_CHARS

User = get_user_model()


# --- Sign-off requests ------------------------------------------------------------------------


def latest_decision(*, trainee) -> SignOffRecord | None:
    """The trainee's latest sign-off outcome (a decision or a revocation), if any: not a
    decision that is one of two and not the outcome (``SignOffRecordQuerySet.results``)."""
    return SignOffRecord.objects.filter(trainee=trainee).results().order_by("-id").first()


def new_evidence_since(*, trainee, moment) -> bool:
    """New evidence, for asking again after a "not yet" or a revocation: at least one scored
    answer (a quiz question or a case step) given after that decision."""
    return Evidence.objects.filter(trainee=trainee, created_at__gt=moment).exists()


def may_ask_again(*, trainee, decision: SignOffRecord | None) -> bool:
    """After a "not yet" or a revocation, a trainee asks again once they have new evidence;
    after a competent decision that stands, there is nothing to ask for."""
    if decision is None:
        return True
    if decision.decision == SignOffRecord.Decision.COMPETENT:
        return False
    return new_evidence_since(trainee=trainee, moment=decision.created_at)


def sign_off_request(*, trainee, message: str = "") -> SignOffRequest:
    """Ask for sign-off. Only a trainee who is ready may ask (the readiness rule), one request
    at a time (and the database's partial unique index, when two arrive at once), and after a
    "not yet" or a revocation only with new evidence since."""
    if not has_role(trainee, Role.TRAINEE):
        raise PermissionDenied("Only trainees request sign-off.")
    message = (message or "").replace("\x00", "").strip()
    if len(message) > MESSAGE_MAX_CHARS:
        raise ValidationError(
            f"Keep your message under {MESSAGE_MAX_CHARS:,} characters (it has {len(message):,})."
        )
    waiting = SignOffRequest.objects.filter(trainee=trainee, status=SignOffRequest.Status.OPEN)
    if waiting.exists():
        raise ValidationError(ALREADY_ASKED)
    progress = trainee_progress(user=trainee)
    if not progress["ready"]:
        raise ValidationError("You are not ready for sign-off yet: see what is still needed.")
    decision = latest_decision(trainee=trainee)
    if not may_ask_again(trainee=trainee, decision=decision):
        if decision.decision == SignOffRecord.Decision.COMPETENT:
            raise ValidationError("You have been signed off as competent.")
        raise ValidationError(
            "Ask again once you have new evidence since the decision of "
            f"{timezone.localtime(decision.created_at):%-d %B %Y}: answer a quiz or play a case."
        )
    try:
        with transaction.atomic():
            request = SignOffRequest.objects.create(trainee=trainee, message=message)
    except IntegrityError:
        # Another post made the open request first (the partial unique index): one request.
        raise ValidationError(ALREADY_ASKED) from None
    # Mail goes out only once the request is safely stored, and a mail failure never undoes it.
    transaction.on_commit(lambda: _notify_supervisors(request))
    return request


ALREADY_ASKED = "You have already asked for sign-off: your supervisors have your request."


@transaction.atomic
def sign_off_request_withdraw(*, trainee) -> SignOffRequest:
    """The trainee withdraws their open request (they can ask again later)."""
    if not has_role(trainee, Role.TRAINEE):
        raise PermissionDenied("Only trainees withdraw requests for sign-off.")
    request = (
        SignOffRequest.objects.select_for_update()
        .filter(trainee=trainee, status=SignOffRequest.Status.OPEN)
        .first()
    )
    if request is None:
        raise ValidationError("You have no open request for sign-off to withdraw.")
    request.status, request.closed_at = SignOffRequest.Status.WITHDRAWN, timezone.now()
    request.save(update_fields=["status", "closed_at"])
    return request


def _notify_supervisors(request: SignOffRequest) -> int:
    supervisors = User.objects.filter(
        pk__in=SupervisorAssignment.objects.current()
        .filter(trainee=request.trainee)
        .values("supervisor_id")
    )
    # One line, whatever the stored name holds: an email header cannot carry a line break.
    name = " ".join(request.trainee.name.split())
    link = settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse(
        "supervision:trainee", args=[request.trainee_id]
    )
    message = f"Their message: {request.message}\n\n" if request.message else ""
    sent = failed = 0
    for supervisor in supervisors:
        try:
            sent += mail.send_mail(
                f"[Psychosocial competency] {name} asks for sign-off",
                f"Dear {supervisor.name},\n\n"
                f"{name} has asked you to review their evidence for the psychosocial "
                f"competency and record a sign-off decision.\n\n{message}"
                f"Their evidence and the sign-off form: {link}\n\n"
                "With best wishes,\nPsychosocial competency\n",
                None,
                [supervisor.email],
            )
        except Exception:
            failed += 1
            logging.getLogger(__name__).exception("Sign-off request mail failed")
    # What the trainee is told (supervision.views.sign_off.request_sign_off): never "sent"
    # when it was not.
    request.emails_sent, request.emails_failed = sent, failed
    return sent

"""Writes for observed practice: a supervisor records a direct observation of a trainee (the
evidence, ``assessments.models.Observation``); a trainee asks a supervisor to observe them,
withdraws the request, and reflects on an observation. ``supervision.services`` exports these.

Free text is checked for obvious patient identifiers (``supervision.identifiers``); errors name
the field at fault, so a form shows each beside its field and keeps what was typed."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from assessments.models import Observation, ObservationRating, ObservationReflection
from competencies.models import ClinicalSetting, CompetencyElement
from home.audit import audit_record
from home.caching import records_changed
from home.roles import Role, has_role

from . import identifiers
from .models import ObservationRequest, SupervisorAssignment

TEXT_LIMIT = 4000


def _is_current_supervisor(*, supervisor, trainee) -> bool:
    return (
        supervisor.pk != trainee.pk
        and has_role(supervisor, Role.SUPERVISOR)
        and SupervisorAssignment.objects.current()
        .filter(supervisor=supervisor, trainee=trainee)
        .exists()
    )


def _text(errors: dict, field: str, value: str, *, required: bool = True) -> str:
    """``value`` stripped, or an error for ``field``: missing, too long, or an identifier."""
    value = (value or "").strip()
    if required and not value:
        errors[field] = "This is required."
    elif len(value) > TEXT_LIMIT:
        errors[field] = f"Keep it under {TEXT_LIMIT} characters (it has {len(value)})."
    elif found := identifiers.find(value):
        errors[field] = found
    return value


@transaction.atomic
def observation_record(
    *,
    supervisor,
    trainee,
    observed_on: datetime.date | None,
    setting: ClinicalSetting | None,
    activity: str,
    ratings: dict[int, int],
    went_well: str,
    next_steps: str,
    observation_request: ObservationRequest | None = None,
    request=None,
) -> Observation:
    """Record a direct observation of ``trainee`` by ``supervisor``, their current supervisor:
    ``ratings`` maps element ids observed to a level on the entrustment scale (1-5), at least
    one. Closes ``observation_request`` (an open request of this trainee to this supervisor)."""
    if not _is_current_supervisor(supervisor=supervisor, trainee=trainee):
        raise PermissionDenied("Only a current supervisor of this trainee can record this.")
    errors: dict[str, str] = {}
    if observed_on is None:
        errors["observed_on"] = "Enter the date of the observation."
    elif observed_on > timezone.localdate():
        errors["observed_on"] = "The date cannot be in the future."
    if setting is None:
        errors["setting"] = "Choose the clinical setting."
    activity = _text(errors, "activity", activity)
    went_well = _text(errors, "went_well", went_well)
    next_steps = _text(errors, "next_steps", next_steps)
    elements = set(
        CompetencyElement.objects.filter(pk__in=list(ratings)).values_list("pk", flat=True)
    )
    if not ratings:
        errors["ratings"] = "Rate at least one competency element you observed."
    elif set(ratings) - elements or any(level not in range(1, 6) for level in ratings.values()):
        errors["ratings"] = "Rate each element observed from 1 to 5."
    if observation_request is not None and (
        observation_request.trainee_id != trainee.pk
        or observation_request.supervisor_id != supervisor.pk
        or observation_request.state != ObservationRequest.State.OPEN
    ):
        errors["observation_request"] = "That request is not open, or not for you."
    if errors:
        raise ValidationError(errors)
    observation = Observation.objects.create(
        trainee=trainee,
        supervisor=supervisor,
        observed_on=observed_on,
        setting=setting,
        activity=activity,
        went_well=went_well,
        next_steps=next_steps,
    )
    for element_id, level in sorted(ratings.items()):
        ObservationRating.objects.create(
            observation=observation, trainee=trainee, element_id=element_id, rating=level
        )
    if observation_request is not None:
        # Only an open request closes: two supervisors' tabs cannot both close it.
        closed = ObservationRequest.objects.filter(
            pk=observation_request.pk, state=ObservationRequest.State.OPEN
        ).update(
            state=ObservationRequest.State.OBSERVED,
            observation=observation,
            closed_at=timezone.now(),
        )
        if not closed:
            raise ValidationError({"observation_request": "That request is no longer open."})
        records_changed(trainee.pk)  # an update sends no signal
    audit_record(
        "observation",
        actor=supervisor,
        request=request,
        target=observation,
        trainee=trainee.pk,
        elements=sorted(ratings),
    )
    return observation


def observation_ask(*, trainee, supervisor, note: str = "") -> ObservationRequest:
    """The trainee asks one of their current supervisors to observe their practice. Asking
    the same supervisor again while a request is open returns that request."""
    if not has_role(trainee, Role.TRAINEE):
        raise PermissionDenied("Only trainees ask to be observed.")
    if not _is_current_supervisor(supervisor=supervisor, trainee=trainee):
        raise ValidationError({"supervisor": "Choose one of your current supervisors."})
    errors: dict[str, str] = {}
    note = _text(errors, "note", note, required=False)[:2000]
    if errors:
        raise ValidationError(errors)
    open_request = ObservationRequest.objects.filter(
        trainee=trainee, supervisor=supervisor, state=ObservationRequest.State.OPEN
    ).first()
    if open_request is not None:
        return open_request
    try:
        with transaction.atomic():
            return ObservationRequest.objects.create(
                trainee=trainee, supervisor=supervisor, note=note
            )
    except IntegrityError:  # the same request, posted twice at once
        return ObservationRequest.objects.get(
            trainee=trainee, supervisor=supervisor, state=ObservationRequest.State.OPEN
        )


def observation_request_withdraw(*, trainee, observation_request: ObservationRequest) -> None:
    """The trainee withdraws their own open request."""
    if observation_request.trainee_id != trainee.pk:
        raise PermissionDenied("That request is not yours.")
    if observation_request.state != ObservationRequest.State.OPEN:
        raise ValidationError("That request is already closed.")
    observation_request.state = ObservationRequest.State.WITHDRAWN
    observation_request.closed_at = timezone.now()
    observation_request.save(update_fields=["state", "closed_at"])


def observation_reflect(*, trainee, observation: Observation, text: str) -> ObservationReflection:
    """The trainee's own reflection on an observation of them: once."""
    if observation.trainee_id != trainee.pk:
        raise PermissionDenied("That observation is not of you.")
    errors: dict[str, str] = {}
    text = _text(errors, "text", text)
    if ObservationReflection.objects.filter(observation=observation).exists():
        errors["text"] = "You have already reflected on this observation."
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            return ObservationReflection.objects.create(
                observation=observation, trainee=trainee, text=text
            )
    except IntegrityError:
        raise ValidationError({"text": "You have already reflected on this observation."}) from None

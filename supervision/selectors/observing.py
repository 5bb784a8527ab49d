"""Reads for observed practice: the requests waiting in a supervisor's box, and what a trainee
has asked of their supervisors. The observations themselves are read by
``progress.selectors.observations`` (they are evidence)."""

from supervision.models import ObservationRequest

from .assignments import current_trainee_ids


def open_observation_requests(*, supervisor, trainee=None) -> list[ObservationRequest]:
    """Open requests to this supervisor from their current trainees (or from one of them),
    oldest first: who has waited longest comes first."""
    found = ObservationRequest.objects.filter(
        supervisor=supervisor,
        state=ObservationRequest.State.OPEN,
        trainee_id__in=current_trainee_ids(supervisor),
    )
    if trainee is not None:
        found = found.filter(trainee=trainee)
    return list(found.select_related("trainee").order_by("created_at", "id"))


def trainee_observation_requests(*, trainee) -> list[ObservationRequest]:
    """The trainee's open requests, newest first, with the supervisor asked."""
    return list(
        ObservationRequest.objects.filter(trainee=trainee, state=ObservationRequest.State.OPEN)
        .select_related("supervisor")
        .order_by("-created_at", "-id")
    )

"""Which kinds of supervision record a trainee has: one cheap read that lets a page skip the
reads of the kinds a trainee has none of."""

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef

from assessments.models import Observation
from home import prepared
from supervision.models import (
    ObservationRequest,
    SignOffRecord,
    SignOffRequest,
    SupervisorAssignment,
)

User = get_user_model()

# What ``record_kinds`` tells about a trainee.
KINDS = ("supervised", "observed", "asked_to_be_observed", "asked", "decided")


def record_kinds(*, trainee) -> dict[str, bool]:
    """Which kinds of the trainee's supervision records might exist: assignments (past, present
    or future), observations, open requests to be observed, an open sign-off request, sign-off
    records. One query, compiled once per process (``home.prepared``). A page then reads only
    the kinds that exist, so a trainee with none (most of them, most of the time) costs this
    query alone, not one per kind. A kind reported is only looked for: the page's own reads
    apply the rules (which assignments are current, which records are outcomes)."""
    found = prepared.rows("supervision-record-kinds", _kinds_query, trainee.pk)
    values = found[0] if found else (False,) * len(KINDS)
    return {name: bool(value) for name, value in zip(KINDS, values, strict=True)}


def _kinds_query(person_id: int):
    mine = {"trainee": OuterRef("pk")}
    return (
        User.objects.filter(pk=person_id)
        .annotate(
            supervised=Exists(SupervisorAssignment.objects.filter(**mine)),
            observed=Exists(Observation.objects.filter(**mine)),
            asked_to_be_observed=Exists(
                ObservationRequest.objects.filter(**mine, state=ObservationRequest.State.OPEN)
            ),
            asked=Exists(SignOffRequest.objects.filter(**mine, status=SignOffRequest.Status.OPEN)),
            decided=Exists(SignOffRecord.objects.filter(**mine)),
        )
        .values_list(*KINDS)
    )

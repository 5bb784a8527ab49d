"""A trainee's request that one of their supervisors observe their practice. The observation
itself is evidence (``assessments.models.Observation``)."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from assessments.models import Observation
from home.personal_data import Erasure, Export, PersonalData


class ObservationRequest(models.Model):
    """Open until the supervisor records an observation against it (observed) or the trainee
    withdraws it."""

    class State(models.TextChoices):
        OPEN = "open", "Open"
        OBSERVED = "observed", "Observed"
        WITHDRAWN = "withdrawn", "Withdrawn"

    trainee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="observation_requests"
    )
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="observations_asked"
    )
    note = models.TextField(blank=True, max_length=2000)
    state = models.CharField(max_length=10, choices=State.choices, default=State.OPEN)
    observation = models.OneToOneField(
        Observation, null=True, blank=True, on_delete=models.PROTECT, related_name="request"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    personal_data = PersonalData(
        person="trainee",
        others=("supervisor",),
        export=Export("observation_requests", "created_at", "note", "state", "closed_at"),
        erasure=Erasure.pseudonymise("observation request notes", "note"),
        in_records=True,
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["supervisor", "state"])]
        constraints = [
            # One open request to each supervisor at a time: asking again changes nothing.
            models.UniqueConstraint(
                fields=["trainee", "supervisor"],
                condition=Q(state="open"),
                name="one_open_observation_request",
            ),
            models.CheckConstraint(
                condition=~Q(state="observed", observation__isnull=True),
                name="observed_request_names_observation",
            ),
            models.CheckConstraint(
                condition=~Q(supervisor=models.F("trainee")), name="observation_request_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.trainee_id} asks {self.supervisor_id} ({self.state})"

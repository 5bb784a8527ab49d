"""A trainee's request to be reviewed for sign-off."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from home.personal_data import Erasure, Export, PersonalData

MESSAGE_MAX_CHARS = 2000


class SignOffRequest(models.Model):
    """A trainee asks their supervisors to review them for sign-off.

    A request is open until a supervisor records a decision on it (decided, with that record)
    or the trainee withdraws it (withdrawn). A trainee has at most one open request: the
    service checks, and a partial unique index makes sure under concurrent posts.
    """

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        DECIDED = "decided", "Decided"
        WITHDRAWN = "withdrawn", "Withdrawn"

    trainee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sign_off_requests"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    message = models.TextField(blank=True, max_length=MESSAGE_MAX_CHARS)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    decision = models.ForeignKey(
        "supervision.SignOffRecord",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="requests",
        help_text="The decision that closed this request.",
    )
    closed_at = models.DateTimeField(null=True, blank=True)

    personal_data = PersonalData(
        person="trainee",
        export=Export("sign_off_requests", "created_at", "message", "status", "closed_at"),
        # The request stays (the supervisor's history is whole); the person's words go.
        erasure=Erasure.pseudonymise("sign-off request messages", "message"),
        in_records=True,
    )

    class Meta:
        db_table = "assessments_signoffrequest"
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["trainee"], condition=Q(status="open"), name="one_open_sign_off_request"
            ),
            models.CheckConstraint(
                condition=Q(status="decided", decision__isnull=False)
                | Q(~Q(status="decided"), decision__isnull=True),
                name="sign_off_request_decided_has_decision",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.trainee_id} asked on {self.created_at:%Y-%m-%d} ({self.status})"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

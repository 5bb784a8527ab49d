"""A trainee's request to be reviewed for sign-off."""

from django.conf import settings
from django.db import models

from home.personal_data import Erasure, Export, PersonalData


class SignOffRequest(models.Model):
    """A trainee asks their supervisors to review them for sign-off."""

    trainee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sign_off_requests"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    message = models.TextField(blank=True, max_length=2000)

    personal_data = PersonalData(
        person="trainee",
        export=Export("sign_off_requests", "created_at", "message"),
        # The request stays (the supervisor's history is whole); the person's words go.
        erasure=Erasure.pseudonymise("sign-off request messages", "message"),
        in_records=True,
    )

    class Meta:
        db_table = "assessments_signoffrequest"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.trainee_id} asked on {self.created_at:%Y-%m-%d}"

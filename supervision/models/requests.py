"""A trainee's request to be reviewed for sign-off."""

from django.conf import settings
from django.db import models


class SignOffRequest(models.Model):
    """A trainee asks their supervisors to review them for sign-off."""

    trainee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sign_off_requests"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    message = models.TextField(blank=True, max_length=2000)

    class Meta:
        db_table = "assessments_signoffrequest"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.trainee_id} asked on {self.created_at:%Y-%m-%d}"

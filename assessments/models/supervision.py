"""Supervision and, as the platform grows, quizzes, attempts, evidence and sign-off records."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class SupervisorAssignmentQuerySet(models.QuerySet):
    def current(self, *, on=None):
        """Assignments in force on a date (today by default): started, and not yet ended."""
        day = on or timezone.localdate()
        return self.filter(starts_on__lte=day).filter(Q(ends_on__isnull=True) | Q(ends_on__gte=day))


class SupervisorAssignment(models.Model):
    """A supervisor is responsible for a trainee between two dates.

    Access follows the assignment: when it ends, the supervisor no longer sees the trainee.
    """

    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="supervisions"
    )
    trainee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="supervisor_assignments"
    )
    starts_on = models.DateField(default=timezone.localdate)
    ends_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SupervisorAssignmentQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on"]
        indexes = [models.Index(fields=["supervisor", "starts_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="assignment_ends_after_start",
            ),
            models.CheckConstraint(
                condition=~Q(supervisor=models.F("trainee")),
                name="assignment_not_self",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.supervisor} supervises {self.trainee}"

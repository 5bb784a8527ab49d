"""Who supervises whom (assignments between two dates) and cohorts of trainees.

The tables keep the names they had in ``assessments`` (``db_table``); see migration
``supervision/0001``."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from home.caching import viewing_changed
from home.personal_data import ANONYMOUS, Erasure, Export, PersonalData


class SupervisorAssignmentQuerySet(models.QuerySet):
    def current(self, *, on=None):
        """Assignments in force on a date (today by default): started, and not yet ended."""
        day = on or timezone.localdate()
        return self.filter(starts_on__lte=day).filter(Q(ends_on__isnull=True) | Q(ends_on__gte=day))

    def update(self, **kwargs):
        """As ``QuerySet.update``; and, like a save, both people's cached views start afresh
        (an update sends no model signals, and access follows the assignment)."""
        pairs = list(self.values_list("trainee_id", "supervisor_id"))
        count = super().update(**kwargs)
        viewing_changed(pairs)
        return count

    def bulk_create(self, objs, *args, **kwargs):
        """As ``QuerySet.bulk_create``; and, like a save, both people's cached views start
        afresh (bulk inserts send no model signals)."""
        created = super().bulk_create(objs, *args, **kwargs)
        viewing_changed((a.trainee_id, a.supervisor_id) for a in created)
        return created


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

    personal_data = PersonalData(
        person="trainee",
        others=("supervisor",),  # the supervisor's side: their trainee's row, not theirs
        export=Export("supervisors", "supervisor__display_name", "starts_on", "ends_on"),
        erasure=Erasure.keep(ANONYMOUS),
        # Not through the records version alone: both people's views, and the supervisors
        # looked up for a trainee, change (supervision connects its own receivers).
        in_records=False,
    )

    class Meta:
        db_table = "assessments_supervisorassignment"
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


def new_invite_code() -> str:
    import secrets

    return secrets.token_urlsafe(9)


class Cohort(models.Model):
    """A group of trainees on one programme run. Trainees join with the invite code."""

    name = models.CharField(max_length=120, unique=True)
    starts_on = models.DateField(default=timezone.localdate)
    ends_on = models.DateField(null=True, blank=True)
    invite_code = models.CharField(
        max_length=40,
        unique=True,
        default=new_invite_code,
        help_text="Trainees enter this to join. Change it to stop further joining.",
    )
    trainees = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="CohortMembership", related_name="cohorts", blank=True
    )

    class Meta:
        db_table = "assessments_cohort"
        ordering = ["-starts_on", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="cohort_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def is_open(self, day=None) -> bool:
        day = day or timezone.localdate()
        return self.ends_on is None or day <= self.ends_on


class CohortMembership(models.Model):
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="memberships")
    trainee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="cohort_memberships"
    )
    joined_at = models.DateTimeField(auto_now_add=True)

    personal_data = PersonalData(
        person="trainee",
        export=Export("cohorts", "cohort__name", "joined_at"),
        erasure=Erasure.keep(ANONYMOUS),
        in_records=True,
    )

    class Meta:
        db_table = "assessments_cohortmembership"
        constraints = [
            models.UniqueConstraint(fields=["cohort", "trainee"], name="one_membership_per_cohort")
        ]

    def __str__(self) -> str:
        return f"{self.trainee_id} in {self.cohort_id}"

"""Observed practice: a supervisor's direct observation of a trainee with a real patient, its
rating per competency element on the entrustment scale sign-off uses (1-5), and the trainee's
own reflection on it. The "does" level of evidence, beside the simulated evidence of quizzes and
cases (``evidence``): readiness counts the ratings (``progress.readiness``).

Observations and their ratings are append-only (``home.append_only``; a database trigger
too, migration 0011): a record of what was seen and said, never rewritten. Supervision writes them
(``supervision.observing``), through its checks that the supervisor is the trainee's today."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from competencies.models import ClinicalSetting, CompetencyElement
from home.append_only import AppendOnlyModel
from home.personal_data import Erasure, Export, PersonalData


class Observation(AppendOnlyModel):
    """What a supervisor saw the trainee do, where and when, and their feedback."""

    trainee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="observations"
    )
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="observations_made"
    )
    observed_on = models.DateField()
    setting = models.ForeignKey(ClinicalSetting, on_delete=models.PROTECT, related_name="+")
    activity = models.TextField(max_length=4000, help_text="What was observed.")
    went_well = models.TextField(max_length=4000)
    next_steps = models.TextField(max_length=4000)
    created_at = models.DateTimeField(default=timezone.now)

    personal_data = PersonalData(
        person="trainee",
        others=("supervisor",),  # who observed: a record about the trainee
        export=Export(
            "observations",
            "observed_on",
            "setting__name",
            "activity",
            "went_well",
            "next_steps",
            "supervisor__display_name",
            "created_at",
        ),
        erasure=Erasure.keep(
            "a supervisor's append-only record of observed practice; it holds ids, never a "
            "name or an email"
        ),
        in_records=True,
    )

    class Meta:
        ordering = ["-observed_on", "-id"]
        indexes = [models.Index(fields=["trainee", "-observed_on"])]
        constraints = [
            models.CheckConstraint(
                condition=~Q(supervisor=models.F("trainee")), name="observation_not_self"
            )
        ]

    def __str__(self) -> str:
        return f"{self.trainee_id} observed on {self.observed_on:%Y-%m-%d}"


class ObservationRating(AppendOnlyModel):
    """One element observed, rated on the entrustment scale (1-5). ``trainee`` repeats the
    observation's, so readiness counts ratings without a join."""

    observation = models.ForeignKey(Observation, on_delete=models.PROTECT, related_name="ratings")
    trainee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    element = models.ForeignKey(CompetencyElement, on_delete=models.PROTECT, related_name="+")
    rating = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(5)]
    )

    personal_data = PersonalData(
        person="trainee",
        export=Export("observation_ratings", "observation_id", "element__code", "rating"),
        erasure=Erasure.keep("part of an observation record, kept with it; ids only"),
        in_records=True,
    )

    class Meta:
        ordering = ["observation", "element__order"]
        indexes = [models.Index(fields=["trainee", "element", "rating"])]
        constraints = [
            models.UniqueConstraint(
                fields=["observation", "element"], name="one_rating_per_element_observed"
            ),
            models.CheckConstraint(
                condition=Q(rating__gte=1, rating__lte=5), name="observation_rating_1_to_5"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.observation_id} {self.element_id}: {self.rating}"


class ObservationReflection(models.Model):
    """The trainee's own reflection on an observation: one, written once, shown beside it.
    Not append-only: the trainee's own words go when their account is erased."""

    observation = models.OneToOneField(
        Observation, on_delete=models.PROTECT, related_name="reflection"
    )
    trainee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField(max_length=4000)
    created_at = models.DateTimeField(default=timezone.now)

    personal_data = PersonalData(
        person="trainee",
        export=Export("observation_reflections", "observation_id", "text", "created_at"),
        erasure=Erasure.delete("observation reflections"),
        in_records=True,
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Reflection on {self.observation_id}"

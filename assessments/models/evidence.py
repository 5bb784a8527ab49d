"""Evidence per competency element, and the summaries that dashboards read.

``Evidence`` is append-only: rows are written by the scoring services and never updated or
deleted by normal use. ``ItemScore`` (the score that counts per trainee, element and item: the
first, ``assessments.engine.mastery``) and
``ElementMastery`` (per trainee and element) are summaries kept in step with the evidence in the
same transaction; ``manage.py rebuild_mastery`` recomputes them from the evidence alone.
"""

from django.conf import settings
from django.db import models

from competencies.models import ClinicalSetting, CompetencyElement
from home.append_only import AppendOnlyModel
from home.personal_data import ANONYMOUS, Erasure, Export, PersonalData

from .attempts import QuizAttempt


class Evidence(AppendOnlyModel):
    """One scored response, for one competency element. Append-only (``home.append_only``)."""

    class Source(models.TextChoices):
        QUIZ = "quiz", "Quiz question"
        VIGNETTE = "vignette", "Vignette step"

    trainee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="evidence"
    )
    element = models.ForeignKey(CompetencyElement, on_delete=models.PROTECT, related_name="+")
    score = models.FloatField()
    max_score = models.FloatField()
    source = models.CharField(max_length=20, choices=Source.choices)
    item_key = models.CharField(max_length=120, help_text="quiz:<question key> or case:<node>")
    quiz_attempt = models.ForeignKey(
        QuizAttempt, null=True, blank=True, on_delete=models.CASCADE, related_name="evidence"
    )
    vignette_attempt = models.ForeignKey(
        "cases.VignetteAttempt",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="evidence",
    )
    setting = models.ForeignKey(
        ClinicalSetting, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    personal_data = PersonalData(
        person="trainee",
        export=Export(
            "evidence",
            "element__code",
            "score",
            "max_score",
            "source",
            "item_key",
            "setting__slug",
            "created_at",
        ),
        erasure=Erasure.keep(ANONYMOUS),
        in_records=True,
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["trainee", "element", "-created_at"]),
            # A trainee's latest evidence of any element (the supervisor's "last activity").
            models.Index(fields=["trainee", "-created_at"], name="evidence_trainee_latest"),
        ]
        verbose_name_plural = "evidence"

    def __str__(self) -> str:
        return f"{self.trainee_id} {self.element_id} {self.score}/{self.max_score}"


class ItemScore(models.Model):
    """The score that counts on one item for one element: the trainee's first (a summary of
    Evidence; later answers are practice)."""

    trainee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    element = models.ForeignKey(CompetencyElement, on_delete=models.CASCADE, related_name="+")
    item_key = models.CharField(max_length=120)
    setting = models.ForeignKey(
        ClinicalSetting, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    points = models.FloatField()
    max_points = models.FloatField()
    evidence = models.ForeignKey(Evidence, on_delete=models.CASCADE, related_name="+")

    personal_data = PersonalData(
        person="trainee",
        export=None,  # a summary of the evidence, which is exported
        erasure=Erasure.keep(ANONYMOUS),
        in_records=True,
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["trainee", "element", "item_key"], name="one_latest_score_per_item"
            )
        ]

    def __str__(self) -> str:
        return f"{self.trainee_id} {self.element_id} {self.item_key}"


class ElementMastery(models.Model):
    """Per trainee and element: how many items, from how many settings, at what mean."""

    trainee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="element_mastery"
    )
    element = models.ForeignKey(CompetencyElement, on_delete=models.CASCADE, related_name="+")
    items = models.PositiveIntegerField(default=0)
    settings_count = models.PositiveIntegerField(default=0)
    mean = models.FloatField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    personal_data = PersonalData(
        person="trainee",
        export=None,  # a summary of the evidence, which is exported
        erasure=Erasure.keep(ANONYMOUS),
        in_records=True,
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["trainee", "element"], name="one_mastery_per_element")
        ]

    def __str__(self) -> str:
        return f"{self.trainee_id} {self.element_id} ({self.items} items)"

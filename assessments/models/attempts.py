"""Quiz attempts and their answers: plain Django models, one trainee each, never page content.

An attempt is pinned to the page revision it started on and finalised exactly once.
"""

import hashlib
import hmac
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q

from home.personal_data import ANONYMOUS, Erasure, Export, PersonalData

from .quizzes import QuizPage


def new_delivery_secret() -> str:
    """A fresh attempt's secret, from which the order of its options and their opaque values on
    the page are drawn (``assessments.engine.delivery``)."""
    return secrets.token_hex(16)


def delivery_secret_of(attempt, label: str) -> str:
    """An attempt's delivery secret. Attempts started before the field existed have none stored:
    theirs is derived from the site's secret key and the attempt, so it is stable across reloads
    and resumes, and a trainee cannot compute it."""
    if attempt.delivery_secret:
        return attempt.delivery_secret
    message = f"{label}:{attempt.pk}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()[:32]


class AttemptStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", "In progress"
    SUBMITTED = "submitted", "Submitted"


class QuizAttempt(models.Model):
    trainee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="quiz_attempts"
    )
    quiz = models.ForeignKey(QuizPage, on_delete=models.CASCADE, related_name="attempts")
    revision = models.ForeignKey("wagtailcore.Revision", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        max_length=20, choices=AttemptStatus.choices, default=AttemptStatus.IN_PROGRESS
    )
    started_at = models.DateTimeField(auto_now_add=True)
    deadline = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    score = models.FloatField(null=True, blank=True)
    max_score = models.FloatField(null=True, blank=True)
    passed = models.BooleanField(null=True, blank=True)
    delivery_secret = models.CharField(
        max_length=32,
        blank=True,
        default=new_delivery_secret,
        editable=False,
        help_text="Draws the order of the options and their values on the page for this attempt.",
    )
    question_keys = models.JSONField(
        default=list,
        blank=True,
        editable=False,
        help_text=(
            "The questions this attempt drew, one variant per slot (assessments.engine.pools); "
            "empty for attempts started before item pools, which showed every question."
        ),
    )

    personal_data = PersonalData(
        person="trainee",
        export=Export(
            "quiz_attempts",
            "id",
            "quiz__title",
            "status",
            "started_at",
            "submitted_at",
            "score",
            "max_score",
            "passed",
            "question_keys",
        ),
        erasure=Erasure.keep(ANONYMOUS),
        in_records=True,
    )

    class Meta:
        ordering = ["-started_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["trainee", "quiz"],
                condition=Q(status="in_progress"),
                name="one_open_attempt_per_quiz",
            )
        ]
        indexes = [models.Index(fields=["trainee", "-started_at"])]

    def __str__(self) -> str:
        return f"{self.trainee} on {self.quiz_id} ({self.status})"

    @property
    def is_open(self) -> bool:
        return self.status == AttemptStatus.IN_PROGRESS

    @property
    def percent(self) -> int | None:
        return score_percent(self.score, self.max_score)

    @property
    def secret(self) -> str:
        """The secret this attempt's options are delivered with (``delivery_secret_of``)."""
        return delivery_secret_of(self, "quiz-attempt")


def score_percent(score, max_score) -> int | None:
    """An attempt's score as a whole percent (None before it is scored): ``QuizAttempt.percent``,
    and the same for reads that take attempts as plain values (the dashboard's recent activity)."""
    if score is None or not max_score:
        return None
    return round(100 * score / max_score)


class QuizAnswer(models.Model):
    """The trainee's answer to one question, saved as soon as it is given."""

    attempt = models.ForeignKey(QuizAttempt, on_delete=models.CASCADE, related_name="answers")
    question_key = models.CharField(max_length=60)
    response = models.JSONField(default=dict)
    locked = models.BooleanField(default=False, help_text="Feedback shown: no more changes.")
    score = models.FloatField(null=True, blank=True)
    max_score = models.FloatField(null=True, blank=True)
    saved_at = models.DateTimeField(auto_now=True)

    personal_data = PersonalData(
        person="attempt__trainee",
        export=Export(
            "quiz_answers",
            "attempt_id",
            "question_key",
            "response",
            "score",
            "max_score",
            "saved_at",
        ),
        # The answer stays scored; the free text written for a reflective question goes.
        erasure=Erasure.pseudonymise("reflective quiz answers", "response__text"),
        in_records=False,  # what the trainee is shown moves with their attempt's rows
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["attempt", "question_key"], name="one_answer_per_question"
            )
        ]

    def __str__(self) -> str:
        return f"{self.attempt_id}/{self.question_key}"

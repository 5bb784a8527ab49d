"""What each trainee has done in the curriculum. Plain Django models, never page content.

Written only by ``curriculum.services``; read by ``curriculum.selectors``. A person sees only
their own rows.
"""

from django.conf import settings
from django.db import models

from home.personal_data import ANONYMOUS, Erasure, Export, PersonalData

from .pages import LessonPage


class LessonCompletion(models.Model):
    """A trainee marked a lesson as complete. One row per trainee and lesson, whatever the
    number of presses (a unique constraint, not just the service, guarantees it)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lesson_completions"
    )
    lesson = models.ForeignKey(LessonPage, on_delete=models.CASCADE, related_name="completions")
    completed_at = models.DateTimeField(auto_now_add=True)

    personal_data = PersonalData(
        person="user",
        export=Export("lesson_completions", "lesson__title", "completed_at"),
        erasure=Erasure.keep(ANONYMOUS),
        in_records=True,
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "lesson"], name="one_completion_per_lesson")
        ]
        indexes = [models.Index(fields=["user", "-completed_at"])]

    def __str__(self) -> str:
        return f"{self.user} completed {self.lesson_id}"


class ReflectionAnswer(models.Model):
    """A trainee's answer to a reflection prompt, keyed by the block's stable id.

    Private to its author unless they share it (``shared``, their choice per reflection; off
    by default): then their current supervisors read it on the supervision views, which come
    with their own permission checks.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reflections"
    )
    lesson = models.ForeignKey(LessonPage, on_delete=models.CASCADE, related_name="reflections")
    block_id = models.CharField(max_length=64)
    text = models.TextField(max_length=5000)
    shared = models.BooleanField(
        default=False, help_text="The author lets their supervisors read it."
    )
    updated_at = models.DateTimeField(auto_now=True)

    personal_data = PersonalData(
        person="user",
        export=Export("reflections", "lesson__title", "block_id", "text", "shared", "updated_at"),
        erasure=Erasure.delete("reflections"),  # the person's own words
        in_records=True,
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "lesson", "block_id"], name="one_answer_per_reflection"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} on {self.lesson_id}/{self.block_id}"

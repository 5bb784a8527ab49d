from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    """Quizzes, attempts, evidence and mastery summaries, the mastery policy, and the pure rules
    of assessment (``assessments.engine``: scoring, mastery, instruments, quiz logic)."""

    name = "assessments"

from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    """Quizzes, attempts, evidence and mastery summaries, the mastery policy, and the pure rules
    of assessment (``assessments.engine``: scoring, mastery, instruments, quiz logic)."""

    name = "assessments"

    def ready(self):
        from . import signals

        signals.connect()  # this app's tables move the shell's caches

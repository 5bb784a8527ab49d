from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    """Quizzes, scoring, evidence, mastery, readiness, supervision, sign-off and dashboards."""

    name = "assessments"

    def ready(self):
        from . import signals

        signals.connect()  # this app's tables move the shell's caches

from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    """Quizzes, scoring, evidence, mastery, readiness, supervision, sign-off and dashboards."""

    name = "assessments"

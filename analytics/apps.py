from django.apps import AppConfig


class AnalyticsConfig(AppConfig):
    """Reports for educators and programme leads, read from the database with aggregates:
    item analysis of quizzes. A top layer beside privacy: it reads the apps below and none
    imports it."""

    name = "analytics"
    verbose_name = "Analytics"

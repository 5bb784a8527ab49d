from django.apps import AppConfig


class ProgressConfig(AppConfig):
    """The trainee across activities: the one readiness rule (``progress.readiness`` and its SQL
    twin), the dashboard, the record of attempts and the next step. No models of its own: it
    reads assessments, curriculum and cases, and supervision adds its parts of the dashboard
    through the ``progress_dashboard_panels`` hook (``progress.panels``)."""

    name = "progress"
    verbose_name = "Progress"

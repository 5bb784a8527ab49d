from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    """The supervisor's screens (dashboard, evidence review, sign-off) and the trainee's
    sign-off history, certificate and the public verification page. Models live in
    ``assessments`` (assignments, sign-off records) and ``home`` (audit log)."""

    name = "supervision"
    verbose_name = "Supervision"

    def ready(self):
        from . import signals

        signals.connect()  # this app's tables move the shell's caches

from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    """Supervisor assignments, cohorts, sign-off requests and the hash-chained sign-off records;
    the supervisor's screens (their table of trainees, evidence review, sign-off), the trainee's
    sign-off history, certificates and the public verification page; and supervision's parts of
    the progress dashboard (``supervision.panels``). The audit log is the shell's (``home``)."""

    name = "supervision"
    verbose_name = "Supervision"

    def ready(self):
        from . import signals

        signals.connect()  # this app's tables move the shell's caches

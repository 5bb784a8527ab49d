from django.apps import AppConfig


class CompetenciesConfig(AppConfig):
    """The competency framework everything else stands on: the elements of the
    recognise-and-identify competency, clinical settings, psychosocial factors and
    interventions. It imports no other domain app."""

    name = "competencies"
    verbose_name = "Competencies"

    def ready(self):
        from . import signals

        signals.connect()  # this app's tables move the shell's caches

"""The catalogues are published content: pages and cached values show their names, so any
save or deletion moves the shell's content version (``CompetenciesConfig.ready`` calls
``connect``)."""

from django.db.models.signals import post_delete, post_save

from home.caching import content_changed

from .models import ClinicalSetting, CompetencyElement, Intervention, PsychosocialFactor

CATALOGUES = (CompetencyElement, ClinicalSetting, PsychosocialFactor, Intervention)


def connect() -> None:
    for model in CATALOGUES:
        for signal in (post_save, post_delete):
            signal.connect(
                content_changed,
                sender=model,
                dispatch_uid=f"content_changed:{model._meta.label}:{id(signal)}",
            )

"""The catalogues are published content: pages and cached values show their names, so any
save or deletion moves the shell's content version (``CompetenciesConfig.ready`` calls
``connect``)."""

from home.caching import content_changed, on_save_or_delete

from .models import ClinicalSetting, CompetencyElement, Intervention, PsychosocialFactor

CATALOGUES = (CompetencyElement, ClinicalSetting, PsychosocialFactor, Intervention)


def connect() -> None:
    on_save_or_delete(content_changed, *CATALOGUES)

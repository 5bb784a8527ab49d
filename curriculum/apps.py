from django.apps import AppConfig


class CurriculumConfig(AppConfig):
    """Modules, lessons, their blocks, the catalogues (factors, interventions, competency
    elements, clinical settings) and lesson completion."""

    name = "curriculum"

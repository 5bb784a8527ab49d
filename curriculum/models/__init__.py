"""Curriculum models, in three layers (each imports only from those above it):

- ``catalogues``: competency elements, clinical settings, psychosocial factors, interventions
  (snippets that lessons, quizzes and vignettes refer to);
- ``pages``: the curriculum index, modules and lessons (Wagtail pages);
- ``progress``: what each trainee has done (lesson completions, private reflections).
"""

from .catalogues import (
    ClinicalSetting,
    CompetencyElement,
    FactorKind,
    Intervention,
    InterventionIntensity,
    InterventionKind,
    PsychosocialFactor,
)
from .pages import CurriculumIndexPage, LearningObjective, LessonPage, ModulePage
from .progress import LessonCompletion, ReflectionAnswer

__all__ = [
    "ClinicalSetting",
    "CompetencyElement",
    "CurriculumIndexPage",
    "FactorKind",
    "Intervention",
    "InterventionIntensity",
    "InterventionKind",
    "LearningObjective",
    "LessonCompletion",
    "LessonPage",
    "ModulePage",
    "PsychosocialFactor",
    "ReflectionAnswer",
]

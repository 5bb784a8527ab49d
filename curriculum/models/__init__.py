"""Curriculum models, in two layers (the second imports the first):

- ``pages``: the curriculum index, modules and lessons (Wagtail pages);
- ``progress``: what each trainee has done (lesson completions, private reflections).

The catalogues the pages refer to (competency elements, settings, factors, interventions) live in
``competencies``.
"""

from .pages import CurriculumIndexPage, LearningObjective, LessonPage, ModulePage
from .progress import LessonCompletion, ReflectionAnswer

__all__ = [
    "CurriculumIndexPage",
    "LearningObjective",
    "LessonCompletion",
    "LessonPage",
    "ModulePage",
    "ReflectionAnswer",
]

"""One registry of personal data (CONVENTIONS.md item 18): each model declares once which
person its rows belong to and what the export, an erasure and the per-person cache do with
them; everything that handles personal data reads those declarations.

Modules, each importing only those before it: ``declaration`` (the plain values a model
declares), ``third_party`` (the shell's declarations for allauth, axes, Wagtail and the Django
admin), ``registry`` (the walk over installed models). ``steps`` holds the shell's own export
and erasure steps that declarations name by dotted path; nothing imports it at start-up.
"""

from .declaration import ANONYMOUS, Erasure, Export, OnErasure, PersonalData, Subject
from .registry import declaration_for, declared, person_column, subject_for

__all__ = [
    "ANONYMOUS",
    "Erasure",
    "Export",
    "OnErasure",
    "PersonalData",
    "Subject",
    "declaration_for",
    "declared",
    "person_column",
    "subject_for",
]

"""Assessment models, in layers (each imports only from those above it):

- ``policy``: the mastery policy and the band-to-step-of-care mapping (data administrators edit);
- ``quizzes``: quiz pages with their questions and choices (Wagtail content, revisioned);
- ``attempts``: quiz attempts and answers (plain models, one trainee each);
- ``evidence``: evidence rows and the per-trainee summaries the dashboards read;
- ``observations``: observed practice (a supervisor's direct observations, rated per element).

Supervision, sign-off requests and records live in ``supervision``.
"""

from .attempts import (
    AttemptStatus,
    QuizAnswer,
    QuizAttempt,
    delivery_secret_of,
    new_delivery_secret,
    score_percent,
)
from .evidence import ElementMastery, Evidence, ItemScore
from .observations import Observation, ObservationRating, ObservationReflection
from .policy import MasteryPolicy, StepOfCareMapping
from .quizzes import Choice, FeedbackTiming, Question, QuestionKind, QuizPage

__all__ = [
    "AttemptStatus",
    "Choice",
    "ElementMastery",
    "Evidence",
    "FeedbackTiming",
    "ItemScore",
    "MasteryPolicy",
    "Observation",
    "ObservationRating",
    "ObservationReflection",
    "Question",
    "QuestionKind",
    "QuizAnswer",
    "QuizAttempt",
    "QuizPage",
    "StepOfCareMapping",
    "delivery_secret_of",
    "new_delivery_secret",
    "score_percent",
]

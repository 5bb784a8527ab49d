"""Assessment models, in layers (each imports only from those above it):

- ``supervision``: supervisor assignments;
- ``policy``: the mastery policy and the band-to-step-of-care mapping (data administrators edit);
- ``quizzes``: quiz pages with their questions and choices (Wagtail content, revisioned);
- ``attempts``: quiz attempts and answers (plain models, one trainee each);
- ``evidence``: evidence rows and the per-trainee summaries the dashboards read;
- ``signoff``: append-only, hash-chained sign-off records.
"""

from .attempts import AttemptStatus, QuizAnswer, QuizAttempt
from .evidence import ElementMastery, Evidence, ItemScore, SignOffRequest
from .policy import MasteryPolicy, StepOfCareMapping
from .quizzes import Choice, FeedbackTiming, Question, QuestionKind, QuizPage
from .signoff import SignOffRecord
from .supervision import Cohort, CohortMembership, SupervisorAssignment

__all__ = [
    "AttemptStatus",
    "Choice",
    "Cohort",
    "CohortMembership",
    "ElementMastery",
    "Evidence",
    "FeedbackTiming",
    "ItemScore",
    "MasteryPolicy",
    "Question",
    "QuestionKind",
    "QuizAnswer",
    "QuizAttempt",
    "QuizPage",
    "SignOffRecord",
    "SignOffRequest",
    "StepOfCareMapping",
    "SupervisorAssignment",
]

"""Writes for assessments, in two modules (``attempts`` imports ``evidence``):

- ``evidence``: evidence rows and the mastery summaries kept in step with them;
- ``attempts``: quiz attempts, from the first question to the scored submission.

Views, page routes, seed_demo, management commands and the case player call these. Scoring
happens here, on the server, against the revision an attempt started on. Content import is in
``assessments.importing``.
"""

from .attempts import (
    AlreadySubmitted,
    QuizError,
    TimeUp,
    answer_save,
    attempt_questions,
    attempt_settings,
    attempt_start,
    attempt_submit,
    question_scored,
    quiz_settings,
    specs_from_revision,
)
from .evidence import (
    Scored,
    evidence_record,
    evidence_record_many,
    evidence_rows,
    mastery_rebuild,
)

__all__ = [
    "AlreadySubmitted",
    "QuizError",
    "Scored",
    "TimeUp",
    "answer_save",
    "attempt_questions",
    "attempt_settings",
    "attempt_start",
    "attempt_submit",
    "evidence_record",
    "evidence_record_many",
    "evidence_rows",
    "mastery_rebuild",
    "question_scored",
    "quiz_settings",
    "specs_from_revision",
]

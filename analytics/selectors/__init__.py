"""What the analytics screens read, aggregated in the database: ``quizzes`` (item analysis),
``cases`` (routes through a case) and ``cohorts`` (the cohort report). Each report costs a fixed
number of queries whatever the number of attempts or trainees."""

from .cases import case_routes, cases_with_plays
from .cohorts import cohort_report, cohorts_with_members
from .quizzes import quiz_report, quizzes_with_attempts

__all__ = [
    "case_routes",
    "cases_with_plays",
    "cohort_report",
    "cohorts_with_members",
    "quiz_report",
    "quizzes_with_attempts",
]

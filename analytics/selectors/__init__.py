"""What the analytics screens read, aggregated in the database: ``quizzes`` (item analysis)
and ``cases`` (routes through a case). Each report costs a fixed number of queries whatever the
number of attempts."""

from .cases import case_routes, cases_with_plays
from .quizzes import quiz_report, quizzes_with_attempts

__all__ = ["case_routes", "cases_with_plays", "quiz_report", "quizzes_with_attempts"]

"""Answers in authored keys as the real forms post them: opaque values drawn for the attempt
(``assessments.engine.delivery``). Tests that post to the quiz and case pages use these."""

from assessments import services as quiz_services
from assessments.engine import delivery


def quiz_form(attempt, question_key: str, data: dict) -> dict:
    """``data`` (``choice``, ``choices``, ``match-<pair key>``, ``position-<item key>``) as the
    question page of ``attempt`` would post it; unchanged for a question the quiz does not have."""
    spec = next(
        (s for s in quiz_services.attempt_questions(attempt) if s.key == question_key), None
    )
    return delivery.encode_form(spec, attempt.secret, data) if spec else dict(data)


def case_form(attempt, data: dict, node: str | None = None) -> dict:
    """``data`` with its ``choice`` option ids as the page of the attempt's current node (or
    ``node``) would post them."""
    attempt.refresh_from_db()
    scope = node or attempt.node
    out = dict(data)
    if "choice" in out:
        out["choice"] = [delivery.token(attempt.secret, scope, c) for c in out["choice"]]
    return out

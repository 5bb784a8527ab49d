"""Concurrent submits of one attempt (double clicks, two tabs, replays) on PostgreSQL: exactly
one finalises it, the others are told it was already submitted. SQLite has no row locks and one
writer at a time, so this test is marked ``postgres``: the SQLite pass of `make test` leaves it
out and the PostgreSQL pass (required under CI) runs it. On SQLite the same guarantee is covered
sequentially by the replay tests in ``test_quizzes.py``."""

import threading

import pytest
from django.db import connection, connections

from assessments import services
from assessments.models import AttemptStatus, Evidence, QuizAttempt
from tests.assessments.conftest import ALL_RIGHT, build_quiz

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_concurrent_submits_finalise_exactly_once(trainee):
    assert connection.vendor == "postgresql", "run with DATABASE_URL set to PostgreSQL"
    quiz = build_quiz()
    attempt = services.attempt_start(trainee=trainee, quiz=quiz)
    for spec in services.attempt_questions(attempt):
        if spec.key in ALL_RIGHT:
            data = dict(ALL_RIGHT[spec.key])
            services.answer_save(
                attempt_id=attempt.pk, trainee=trainee, question_key=spec.key, data=data
            )
    outcomes, barrier = [], threading.Barrier(6)

    def submit():
        barrier.wait()
        try:
            services.attempt_submit(attempt_id=attempt.pk, trainee=trainee)
            outcomes.append("submitted")
        except services.AlreadySubmitted:
            outcomes.append("already")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["already"] * 5 + ["submitted"]
    assert QuizAttempt.objects.get(pk=attempt.pk).status == AttemptStatus.SUBMITTED
    assert Evidence.objects.filter(quiz_attempt=attempt).count() == 5

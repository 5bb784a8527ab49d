"""Database fault injection: the N-th query of each scoring service fails, for every N along its
path. Afterwards nothing is half-written, and a retry succeeds exactly once.

Each service is first run once to count its queries; then, for every N from 1 to that count, the
same starting state is restored (a savepoint), the call is made with query N failing, the state
is compared with the starting state, and the call is retried without a fault.
"""

import time

import pytest
from django.db import OperationalError, connection, transaction
from django.test.utils import CaptureQueriesContext

from assessments import services as assessment_services
from assessments.models import ElementMastery, Evidence, ItemScore, QuizAttempt
from cases import services as case_services
from cases.models import CaseVignettePage, VignetteAttempt, VignetteStep
from home.models import AuditEvent
from home.roles import Role
from supervision import services as supervision_services
from supervision.models import SignOffRecord
from tests.assessments.conftest import ALL_RIGHT, build_quiz
from tests.cases.conftest import build_case
from tests.factories import make_user

pytestmark = pytest.mark.django_db(transaction=False)

FIGURES: dict[str, tuple[int, int]] = {}


class FailNth:
    def __init__(self, n: int):
        self.n, self.count = n, 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        if self.count == self.n:
            raise OperationalError(f"injected fault at query {self.n}")
        return execute(sql, params, many, context)


def snapshot(*models) -> tuple:
    """Row counts and the latest ids of every table a scoring service writes to."""
    return tuple(
        (
            m.__name__,
            m.objects.count(),
            m.objects.order_by("-pk").values_list("pk", flat=True).first(),
        )
        for m in models
    )


def sweep(name, call, state, check_done):
    """Run ``call`` with query N failing for every N; return (points tried, partial states)."""
    sid = transaction.savepoint_create()
    with CaptureQueriesContext(connection) as counted:
        call()
    total = len(counted)
    transaction.savepoint_rollback(sid)
    partial = 0
    for n in range(1, total + 1):
        sid = transaction.savepoint_create()
        before = state()
        raised = False
        with connection.execute_wrapper(FailNth(n)):
            try:
                call()
            except OperationalError:
                raised = True
            except Exception as exc:
                pytest.fail(f"{name}: query {n} failing raised {exc!r}")
        if raised:
            if state() != before:
                partial += 1
            call()  # the retry succeeds...
        # (Some queries may fail harmlessly: Django's constraint validation in full_clean logs
        # and ignores a database error, and the database enforces the constraint on insert.
        # Then the call itself succeeded, completely, and is not retried.)
        check_done()  # ...exactly once
        transaction.savepoint_rollback(sid)
    FIGURES[name] = (total, partial)
    return total, partial


@pytest.fixture
def trainee_and_supervisor(db):
    trainee = make_user(Role.TRAINEE, email="t@test.example")
    supervisor = make_user(Role.SUPERVISOR, email="s@test.example")
    supervision_services.supervisor_assign(supervisor=supervisor, trainee=trainee)
    return trainee, supervisor


SCORED = (Evidence, ItemScore, ElementMastery)


def test_quiz_submit(trainee_and_supervisor):
    trainee, _ = trainee_and_supervisor
    quiz = build_quiz()
    attempt = assessment_services.attempt_start(trainee=trainee, quiz=quiz)
    for spec in assessment_services.attempt_questions(attempt):
        if spec.key in ALL_RIGHT:
            assessment_services.answer_save(
                attempt_id=attempt.pk, trainee=trainee, question_key=spec.key,
                data=dict(ALL_RIGHT[spec.key]),
            )  # fmt: skip

    def state():
        attempt.refresh_from_db()
        return (attempt.status, attempt.score, snapshot(*SCORED))

    def check_done():
        submitted = QuizAttempt.objects.get(pk=attempt.pk)
        assert submitted.status == "submitted"
        with pytest.raises(assessment_services.AlreadySubmitted):
            assessment_services.attempt_submit(attempt_id=attempt.pk, trainee=trainee)

    total, partial = sweep(
        "quiz submit",
        lambda: assessment_services.attempt_submit(attempt_id=attempt.pk, trainee=trainee),
        state,
        check_done,
    )
    assert total > 10 and partial == 0


def test_vignette_step(trainee_and_supervisor):
    trainee, _ = trainee_and_supervisor
    case = CaseVignettePage.objects.get(pk=build_case().pk)
    attempt = case_services.vignette_start(trainee=trainee, vignette=case)
    attempt, _ = case_services.step_submit(attempt_id=attempt.pk, trainee=trainee, seq=0)

    def call():
        case_services.step_submit(
            attempt_id=attempt.pk, trainee=trainee, seq=1, choices=("home", "mood")
        )

    def state():
        current = VignetteAttempt.objects.get(pk=attempt.pk)
        return (current.node, current.seq, snapshot(VignetteStep, *SCORED))

    def check_done():
        assert VignetteStep.objects.filter(attempt=attempt, seq=1).count() == 1
        with pytest.raises(case_services.StaleStep):
            call()

    total, partial = sweep("vignette step", call, state, check_done)
    assert total > 10 and partial == 0


def test_sign_off(trainee_and_supervisor):
    trainee, supervisor = trainee_and_supervisor

    def call():
        supervision_services.sign_off_record(
            supervisor=supervisor, trainee=trainee, decision="not_yet", level=2,
            feedback="More cases.", next_steps="Two.", reauthenticated_at=time.time(),
        )  # fmt: skip

    def state():
        return snapshot(SignOffRecord, AuditEvent)

    def check_done():
        assert SignOffRecord.objects.filter(trainee=trainee).count() == 1
        assert supervision_services.sign_off_chains_verify() == {}

    total, partial = sweep("sign-off", call, state, check_done)
    assert total > 5 and partial == 0


def test_report_the_figures():
    """Printed with -s for the closing note: injection points tried and partial states."""
    for name, (total, partial) in FIGURES.items():
        print(f"fault sweep {name}: {total} injection points, {partial} partial states")

"""The database out of reach, in process: every page answers a friendly 503 with Retry-After,
nothing is written, and the site works again as soon as the database does.

Two ways of losing it. (1) It refuses every connection: the connection object is patched so that
connecting (and so every cursor) raises OperationalError, as psycopg does when the server is down.
This hits the session and the user in the middleware before any view runs. (2) It drops in the
middle of a quiz submit or a vignette step: every query from the N-th on fails, for every N
along the request. Whatever N, the attempt is either untouched or finalised exactly once.

The same with a real gunicorn and a real outage is in test_served_outage.py.
"""

from contextlib import contextmanager

import pytest
from django.contrib.sessions.models import Session
from django.db import OperationalError, connections, transaction
from django.test import Client

from assessments import services as assessment_services
from assessments.models import ElementMastery, Evidence, ItemScore, QuizAnswer, QuizAttempt
from cases import services as case_services
from cases.models import CaseVignettePage, VignetteAttempt, VignetteStep
from curriculum.models import LessonPage
from home.models import AuditEvent
from home.views import RETRY_AFTER_SECONDS
from tests.assessments.conftest import build_quiz
from tests.cases.conftest import build_case
from tests.delivery import case_form, quiz_form

WRITTEN = (
    QuizAttempt,
    QuizAnswer,
    Evidence,
    ItemScore,
    ElementMastery,
    VignetteAttempt,
    VignetteStep,
    AuditEvent,
    Session,
)
FRIENDLY = b"The site cannot reach its records just now"


def row_counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in WRITTEN}


def assert_unavailable(response):
    assert response.status_code == 503, response.content[:300]
    assert response["Retry-After"] == str(RETRY_AFTER_SECONDS)
    assert response["Cache-Control"] == "no-store"
    assert FRIENDLY in response.content
    assert b"Traceback" not in response.content


@contextmanager
def database_refusing():
    """Every new connection and every cursor fails, as when the server is down."""
    connection = connections["default"]

    def refuse(*args, **kwargs):
        raise OperationalError("connection refused (simulated outage)")

    connection.ensure_connection = refuse
    try:
        yield
    finally:
        del connection.ensure_connection


def client_for(user=None) -> Client:
    # The default test client re-raises a view's exception; a browser gets the response.
    client = Client(raise_request_exception=False)
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def course_with_work(trainee):
    quiz = build_quiz()
    case = CaseVignettePage.objects.get(pk=build_case().pk)
    taster = LessonPage.objects.live().order_by("path").first()
    attempt = assessment_services.attempt_start(trainee=trainee, quiz=quiz)
    play = case_services.vignette_start(trainee=trainee, vignette=case)
    return {
        "quiz": quiz,
        "case": case,
        "lesson": taster,
        "attempt_url": f"{quiz.url}attempt/{attempt.pk}/",
        "submit_url": f"{quiz.url}attempt/{attempt.pk}/submit/",
        "play_url": f"{case.url}play/{play.pk}/",
        "attempt": attempt,
        "play": play,
    }


@pytest.mark.django_db
def test_refused_connections_get_the_503_page_and_write_nothing(trainee, course_with_work):
    work = course_with_work
    visitor, member = client_for(), client_for(trainee)
    answer = {"question": "q-single", "q": "0"}
    answer.update(quiz_form(work["attempt"], "q-single", {"choice": "ask"}))
    step = {"seq": "0"}
    before = row_counts()
    with database_refusing():
        # A visitor: the Wagtail site lookup and the page need the database.
        for url in ("/", work["lesson"].url, work["quiz"].url, "/cases/"):
            assert_unavailable(visitor.get(url))
        # Signed in: loading the session and the user fails in the middleware already.
        for url in ("/dashboard/", work["lesson"].url, work["attempt_url"], "/account/profile/"):
            assert_unavailable(member.get(url))
        assert_unavailable(member.post(work["attempt_url"], answer))
        assert_unavailable(member.post(work["submit_url"]))
        assert_unavailable(member.post(work["play_url"], step))
        assert_unavailable(member.post("/accounts/login/", {"login": "x@y.z", "password": "p"}))
    assert row_counts() == before

    # The database is back: the same clients carry on, with nothing to restart.
    assert visitor.get("/").status_code == 200
    assert visitor.get(work["lesson"].url).status_code == 200
    assert member.get("/dashboard/").status_code == 200
    assert member.post(work["attempt_url"], answer).status_code == 302
    assert QuizAnswer.objects.filter(attempt=work["attempt"]).count() == 1
    assert member.post(work["play_url"], step).status_code == 302
    assert VignetteStep.objects.filter(attempt=work["play"]).count() == 1


SAVEPOINT_SQL = ("SAVEPOINT", "ROLLBACK TO SAVEPOINT", "RELEASE SAVEPOINT")


class FailFrom:
    """Every query from the n-th on fails: the connection dropped at that moment.

    The test runs inside a transaction, so the services' transactions are savepoints; those
    statements pass, and rolling back to one stands for the server rolling back the
    transaction of a connection that dropped."""

    def __init__(self, n: int | None):
        self.n, self.count = n, 0

    def __call__(self, execute, sql, params, many, context):
        if not sql.lstrip().upper().startswith(SAVEPOINT_SQL):
            self.count += 1
            if self.n is not None and self.count >= self.n:
                raise OperationalError(f"server closed the connection (simulated, query {self.n})")
        return execute(sql, params, many, context)


# Every 4th drop point, and every one of the last six (the commit and the session save).
STRIDE, TAIL = 4, 6


def sweep(client, url, data, state, allowed) -> tuple[int, int]:
    """POST with the connection dropping at query n, for n along the whole request. Each time the
    answer is the 503 page and the state is ``allowed`` (untouched or finalised exactly once,
    never anything between); then the starting state is restored. Returns (points, queries)."""
    connection = connections["default"]
    # Once to warm the caches (routing, catalogues, roles), so that the counted request and the
    # failing ones that follow make the same queries.
    sid = transaction.savepoint_create()
    assert client.post(url, data).status_code == 302
    transaction.savepoint_rollback(sid)
    counted = FailFrom(None)
    sid = transaction.savepoint_create()
    with connection.execute_wrapper(counted):
        assert client.post(url, data).status_code == 302
    transaction.savepoint_rollback(sid)
    total = counted.count
    points = sorted({*range(1, total + 1, STRIDE), *range(max(1, total - TAIL + 1), total + 1)})
    for n in points:
        sid = transaction.savepoint_create()
        with connection.execute_wrapper(FailFrom(n)):
            response = client.post(url, data)
        assert_unavailable(response)
        assert allowed(state()), f"half-written after the connection dropped at query {n}"
        transaction.savepoint_rollback(sid)
    return len(points), total


@pytest.mark.django_db
def test_connection_dropping_mid_submit_leaves_nothing_half_written(trainee, course_with_work):
    """A quiz submit, then a vignette step, with the connection dropping at query n."""
    work = course_with_work
    attempt, member = work["attempt"], client_for(trainee)
    for key, data in {"q-single": {"choice": "ask"}, "q-multiple": {"choices": ["a"]}}.items():
        assessment_services.answer_save(
            attempt_id=attempt.pk, trainee=trainee, question_key=key, data=data
        )

    def quiz_state():
        current = QuizAttempt.objects.get(pk=attempt.pk)
        return (
            current.status,
            current.score,
            Evidence.objects.filter(quiz_attempt=attempt).count(),
            QuizAnswer.objects.filter(attempt=attempt, locked=True).count(),
            ItemScore.objects.filter(trainee=trainee).count(),
        )

    before = quiz_state()
    assert before[0] == "in_progress" and before[2:] == (0, 0, 0)

    def submitted(now):
        # Five scored questions, one element each; every answer locked (the reflection stays
        # unanswered and unscored).
        return now[0] == "submitted" and now[2:] == (5, 5, 5)

    points, queries = sweep(
        member, work["submit_url"], {}, quiz_state, lambda now: now == before or submitted(now)
    )
    assert points > 5 and queries > 15  # the whole submit, caches warm
    assert quiz_state() == before
    assert member.post(work["submit_url"]).status_code == 302
    assert submitted(quiz_state())
    # A replay is harmless: the review, no second scoring.
    assert member.post(work["submit_url"]).status_code == 302
    assert Evidence.objects.filter(quiz_attempt=attempt).count() == 5
    assert assessment_services.mastery_rebuild(trainee=trainee) == 5

    # The vignette: a step is several rows (the step, the position, evidence, summaries).
    play = work["play"]
    case_services.step_submit(attempt_id=play.pk, trainee=trainee, seq=0)

    def play_state():
        current = VignetteAttempt.objects.get(pk=play.pk)
        return (
            current.seq,
            current.node,
            VignetteStep.objects.filter(attempt=play).count(),
            Evidence.objects.filter(vignette_attempt=play).count(),
        )

    at_ask = play_state()
    assert at_ask == (1, "ask1", 1, 0)
    recorded = (2, "rec", 2, 1)  # one element is scored at ask1

    answer = {"seq": "1", **case_form(play, {"choice": ["home", "mood"]})}
    points, queries = sweep(
        member, work["play_url"], answer, play_state, lambda now: now in (at_ask, recorded)
    )
    assert points > 5 and queries > 8  # routing and privacy checks come from the cache
    assert play_state() == at_ask
    assert member.post(work["play_url"], answer).status_code == 302
    assert play_state() == recorded
    # The same form again (a retry after the 503) is refused as already recorded.
    again = {"seq": "1", **case_form(play, {"choice": ["home"]}, node="ask1")}
    assert member.post(work["play_url"], again).status_code == 409
    assert play_state() == recorded


def test_the_503_page_is_rendered_without_the_database():
    """No database access is allowed in this test: the page must not need one."""
    from django.contrib.sessions.exceptions import SessionInterrupted
    from django.test import RequestFactory

    from home.views import bad_request, server_error

    request = RequestFactory().get("/")
    try:
        try:
            raise OperationalError("connection refused")
        except OperationalError as exc:
            raise RuntimeError("a wrapper around it") from exc
    except RuntimeError:
        assert_unavailable(server_error(request))
    try:
        raise ValueError("a bug, not an outage")
    except ValueError:
        response = server_error(request)
    assert response.status_code == 500 and b"Something went wrong" in response.content
    try:
        raise OperationalError("dropped while saving the session")
    except OperationalError:
        try:
            raise SessionInterrupted("session lost")
        except SessionInterrupted as interrupted:
            assert_unavailable(bad_request(request, interrupted))
    assert bad_request(request, SessionInterrupted("deleted")).status_code == 400

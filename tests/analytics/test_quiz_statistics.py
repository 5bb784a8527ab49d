"""The quiz statistics report: figures aggregated in the database agree with the pure item
analysis worked out on the attempts' rows, first attempts are each trainee's first, the
distractor table counts choices by thirds, the query count does not grow with the data, and
only educators and administrators see it."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from analytics.selectors import quiz_report
from assessments import services
from assessments.engine.statistics import quiz_statistics
from assessments.models import QuizAnswer, QuizAttempt
from home.roles import Role
from tests.analytics.queries import page_queries
from tests.assessments.conftest import ALL_RIGHT, build_quiz
from tests.factories import make_user

pytestmark = pytest.mark.django_db

PAGE_BUDGET = 15
SLOTS = ["q-single", "q-multiple", "q-factors", "q-match", "q-order"]


def take(quiz, trainee, answers: dict) -> QuizAttempt:
    attempt = services.attempt_start(trainee=trainee, quiz=quiz)
    for key, data in answers.items():
        services.answer_save(attempt_id=attempt.pk, trainee=trainee, question_key=key, data=data)
    return services.attempt_submit(attempt_id=attempt.pk, trainee=trainee)


def mixed(n: int) -> dict:
    """A different mix of right and wrong answers for the nth trainee."""
    answers = {}
    answers["q-single"] = {"choice": ["ask", "refer", "ask", "push", "ask"][n % 5]}
    answers["q-multiple"] = {"choices": [["a", "b"], ["a"], ["a", "c"], ["b"]][n % 4]}
    if n % 3:
        answers["q-factors"] = dict(ALL_RIGHT["q-factors"])
    if n % 2:
        answers["q-match"] = dict(ALL_RIGHT["q-match"])
    if n % 4 == 0:
        answers["q-order"] = dict(ALL_RIGHT["q-order"])
    return answers


def rows_of(attempts) -> list[list[float]]:
    marks = []
    for attempt in attempts:
        scores = dict(
            QuizAnswer.objects.filter(attempt=attempt).values_list("question_key", "score")
        )
        marks.append([scores.get(key) or 0.0 for key in SLOTS])
    return marks


@pytest.fixture
def quiz(db):
    return build_quiz()


def trainees(n: int):
    return [make_user(Role.TRAINEE, email=f"t{i}@test.example") for i in range(n)]


def test_the_database_figures_are_the_pure_figures_of_the_rows(quiz):
    attempts = [take(quiz, t, mixed(i)) for i, t in enumerate(trainees(8))]
    report = quiz_report(quiz)
    points = [slot.points for slot in report.slots]
    expected = quiz_statistics(rows_of(attempts), points)
    assert [slot.key for slot in report.slots] == SLOTS  # the reflection is not scored
    assert report.test.attempts == 8
    for name in ("mean", "median", "sd", "skewness", "kurtosis", "cic", "error_ratio"):
        got, want = getattr(report.test, name), getattr(expected, name)
        assert (got is None and want is None) or got == pytest.approx(want), name
    for slot, item in zip(report.slots, expected.items, strict=True):
        for name in ("facility", "sd", "discrimination_index", "discriminative_efficiency"):
            got, want = getattr(slot.stats, name), getattr(item, name)
            assert (got is None and want is None) or got == pytest.approx(want), (slot.key, name)
    # By hand: q-single is right for choices 0, 2, 4 of every five: trainees 0, 2, 4, 5, 7.
    assert report.slots[0].stats.facility == pytest.approx(100 * 5 / 8)
    assert report.slots[0].stats.random_guess_score == pytest.approx(100 / 3)


def test_first_attempts_are_each_trainees_first(quiz):
    first, second = trainees(2)
    take(quiz, first, {"q-single": {"choice": "refer"}})
    take(quiz, first, {"q-single": {"choice": "ask"}})  # a retake after reading the review
    take(quiz, second, {"q-single": {"choice": "push"}})
    assert quiz_report(quiz).test.attempts == 2
    assert quiz_report(quiz).slots[0].stats.facility == pytest.approx(0)
    every = quiz_report(quiz, first_only=False)
    assert every.test.attempts == 3
    assert every.slots[0].stats.facility == pytest.approx(100 / 3)


def test_the_distractor_table_counts_choices_by_third(quiz):
    people = trainees(6)
    # Two strong attempts choose "ask", two middling "refer", two weak "push" (and nothing else).
    strong = dict(ALL_RIGHT) | {"q-single": {"choice": "ask"}}
    strong.pop("q-reflect")
    for person in people[:2]:
        take(quiz, person, strong)
    for person in people[2:4]:
        take(quiz, person, {"q-single": {"choice": "refer"}, "q-multiple": {"choices": ["a", "b"]}})
    for person in people[4:]:
        take(quiz, person, {"q-single": {"choice": "push"}})
    report = quiz_report(quiz)
    assert report.third_counts == {"top": 2, "middle": 2, "bottom": 2}
    single = {row.label: row for row in report.slots[0].options}
    assert single["Ask what makes walking hard"].correct
    assert single["Ask what makes walking hard"].shares == {
        "top": 100.0, "middle": 0.0, "bottom": 0.0, "all": pytest.approx(100 / 3)
    }  # fmt: skip
    assert single["Refer to psychology"].shares["middle"] == 100.0
    assert single["Encourage him harder"].shares["bottom"] == 100.0
    multiple = {row.label: row for row in report.slots[1].options}
    assert multiple["Hip pain"].shares["all"] == 0.0
    assert any("Nobody chose: Hip pain" in flag for flag in report.slots[1].flags)


def test_flags_name_the_reason(quiz):
    for person in trainees(4):
        take(quiz, person, {"q-single": {"choice": "ask"}})
    flags = quiz_report(quiz).slots[0].flags
    assert any(flag.startswith("Very easy: facility 100%") for flag in flags)


def test_no_attempts_shows_no_figures(client, quiz):
    client.force_login(make_user(Role.EDUCATOR, email="edu@test.example"))
    response = client.get(reverse("analytics:quiz_statistics", args=[quiz.pk]))
    assert response.status_code == 200
    assert "Attempts analysed</th><td>0" in response.content.decode().replace("\n", "")


def _queries(quiz) -> int:
    with CaptureQueriesContext(connection) as captured:
        quiz_report(quiz)
        quiz_report(quiz, first_only=False)
    return len(captured.captured_queries)


def test_the_query_count_does_not_grow_with_the_attempts(client, quiz):
    """The report's own queries (both views) and the whole page's, sign-in and admin menu
    included, are the same for 3 attempts and for 21."""
    client.force_login(make_user(Role.EDUCATOR, email="edu@test.example"))
    people = trainees(12)
    for i, person in enumerate(people[:3]):
        take(quiz, person, mixed(i))
    few, page = (
        _queries(quiz),
        page_queries(client, reverse("analytics:quiz_statistics", args=[quiz.pk])),
    )
    for i, person in enumerate(people[3:], start=3):
        take(quiz, person, mixed(i))
        take(quiz, person, mixed(i + 1))
    assert (
        _queries(quiz),
        page_queries(client, reverse("analytics:quiz_statistics", args=[quiz.pk])),
    ) == (few, page)
    assert few <= 2 * 3 and page <= PAGE_BUDGET
    print(f"quiz statistics: {few} queries in the selector (both views), {page} for the page")


def test_educators_read_the_report_and_its_csv(client, quiz):
    for i, person in enumerate(trainees(3)):
        take(quiz, person, mixed(i))
    client.force_login(make_user(Role.EDUCATOR, email="edu@test.example"))
    index = client.get(reverse("analytics:quiz_index"))
    assert index.status_code == 200 and quiz.title in index.content.decode()
    page = client.get(reverse("analytics:quiz_statistics", args=[quiz.pk]) + "?attempts=all")
    assert page.status_code == 200
    assert "Walter turns down walking practice" in page.content.decode()
    response = client.get(reverse("analytics:quiz_statistics_csv", args=[quiz.pk]))
    assert response["Content-Disposition"].endswith('first-attempts.csv"')
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:5] == ["Slot", "Question key", "Kind", "Question", "Marks"]
    assert [row[1] for row in rows[1:]] == SLOTS


@pytest.mark.parametrize("path", ["999999999", "99999999999999999999999"])
def test_an_unknown_quiz_is_a_404(client, quiz, path):
    client.force_login(make_user(Role.ADMINISTRATOR, email="admin@test.example", superuser=True))
    assert client.get(f"/admin/analytics/quizzes/{path}/").status_code == 404


def test_trainees_and_supervisors_are_refused(client, quiz):
    for role in (Role.TRAINEE, Role.SUPERVISOR):
        client.force_login(make_user(role, email=f"{role.value}@test.example"))
        response = client.get(reverse("analytics:quiz_statistics", args=[quiz.pk]))
        assert response.status_code in (302, 403, 404)
        assert b"Walter" not in response.content


def test_a_pooled_slot_counts_each_attempt_once_under_the_variant_it_drew(db):
    from assessments import importing
    from tests.assessments.test_pools import pooled_spec

    quiz = importing.quiz_import(module=build_quiz().get_parent(), spec=pooled_spec())
    variants = {"q-single", "q-single-b", "q-single-c"}
    people = trainees(9)
    for n, person in enumerate(people):
        attempt = services.attempt_start(trainee=person, quiz=quiz)
        drawn = (set(attempt.question_keys) & variants).pop()
        choice = "ask" if n % 3 else "push"  # every third attempt wrong, the rest right
        services.answer_save(
            attempt_id=attempt.pk, trainee=person, question_key=drawn, data={"choice": choice}
        )
        services.attempt_submit(attempt_id=attempt.pk, trainee=person)
    report = quiz_report(quiz)
    first = report.slots[0]
    assert [slot.key for slot in report.slots] == ["walk", *SLOTS[1:]]
    # Undrawn variants are not zeros: the slot's facility is over all nine attempts.
    assert first.stats.facility == pytest.approx(100 * 6 / 9)
    assert {v.key for v in first.variants} == variants
    assert sum(v.answered for v in first.variants) == 9
    answered = [v for v in first.variants if v.answered]
    shares = sum(v.facility * v.answered for v in answered) / 9
    assert shares == pytest.approx(100 * 6 / 9)
    client_rows = list(csv.reader(io.StringIO(_csv(quiz))))
    assert [row[1] for row in client_rows if row[-2] == "walk"] == [v.key for v in first.variants]


def _csv(quiz) -> str:
    from django.test import Client

    client = Client()
    client.force_login(make_user(Role.EDUCATOR, email="ed-pool@test.example"))
    page = client.get(reverse("analytics:quiz_statistics", args=[quiz.pk])).content.decode()
    assert "Variants of slot 1: each attempt answered the one it drew" in page
    assert "Variant q-single-b: who chose each option" in page
    response = client.get(reverse("analytics:quiz_statistics_csv", args=[quiz.pk]))
    assert response.status_code == 200
    return response.content.decode()

"""Reads compiled once per process (``home.prepared``): the same rows as the ORM gives, for
whichever person, through the ORM's conversions, one query each time."""

import datetime

import pytest
from django.db import connection
from django.db.models import Value
from django.test.utils import CaptureQueriesContext

from cases.models import VignetteAttempt, VignetteStep
from curriculum.models import LessonCompletion
from curriculum.services import lesson_complete
from home import prepared
from tests.cases.conftest import build_case, play_best
from tests.curriculum.conftest import build_course

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _compile_afresh():
    prepared.forget()
    yield
    prepared.forget()


def _completions(person_id):
    return LessonCompletion.objects.filter(user_id=person_id).values_list(
        "lesson_id", "completed_at"
    )


def test_each_person_gets_their_own_rows_as_the_orm_gives_them(trainee, other_trainee):
    _, _, lessons = build_course(modules=1, lessons_per_module=3)
    for lesson in lessons[:2]:
        lesson_complete(user=trainee, lesson=lesson)
    lesson_complete(user=other_trainee, lesson=lessons[2])
    for person in (trainee, other_trainee, trainee):
        found = prepared.rows("completions", _completions, person.pk)
        assert sorted(found) == sorted(_completions(person.pk))
    # Dates come back as the ORM converts them: aware datetimes, not the database's text.
    assert all(isinstance(when, datetime.datetime) and when.tzinfo for _, when in found)
    assert {lesson_id for lesson_id, _ in found} == {lessons[0].pk, lessons[1].pk}


def test_compiled_once_then_one_query_for_anyone(trainee, other_trainee):
    calls = []

    def build(person_id):
        calls.append(person_id)
        return _completions(person_id)

    prepared.rows("completions", build, trainee.pk)
    with CaptureQueriesContext(connection) as ctx:
        assert prepared.rows("completions", build, other_trainee.pk) == []
    assert len(ctx.captured_queries) == 1
    assert str(other_trainee.pk) in ctx.captured_queries[0]["sql"]
    assert calls == [prepared.MARK]  # built once, for the mark, never for a real person


def test_json_columns_and_unions(trainee, other_trainee):
    case = build_case()
    from cases.models import CaseVignettePage

    play_best(trainee=trainee, vignette=CaseVignettePage.objects.get(pk=case.pk))

    def steps(person_id):
        return VignetteStep.objects.filter(attempt__trainee_id=person_id).values_list(
            "attempt_id", "scores", "maxima"
        )

    found = prepared.rows("steps", steps, trainee.pk)
    assert found and sorted(found, key=repr) == sorted(steps(trainee.pk), key=repr)
    assert all(isinstance(scores, dict) for _, scores, _ in found)
    assert prepared.rows("steps", steps, other_trainee.pk) == []

    def both(person_id):
        plays = (
            VignetteAttempt.objects.filter(trainee_id=person_id)
            .annotate(kind=Value("case"))
            .values_list("vignette_id", "kind")
            .order_by()
        )
        done = (
            LessonCompletion.objects.filter(user_id=person_id)
            .annotate(kind=Value("lesson"))
            .values_list("lesson_id", "kind")
            .order_by()
        )
        return plays.union(done, all=True).order_by()

    _, _, (lesson,) = build_course(modules=1, lessons_per_module=1)
    lesson_complete(user=trainee, lesson=lesson)
    assert sorted(prepared.rows("both", both, trainee.pk)) == sorted(
        [(case.pk, "case"), (lesson.pk, "lesson")]
    )
    assert prepared.rows("both", both, other_trainee.pk) == []


def test_a_query_that_names_no_person_is_refused(trainee):
    with pytest.raises(ValueError, match="does not depend on the person"):
        prepared.rows("all", lambda person_id: LessonCompletion.objects.values_list("pk"), 1)

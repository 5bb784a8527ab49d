"""What to do next: the case, quiz or lesson that best serves the trainee's weakest element, in
the order the dashboard promises, from pages kept with the content and one read of what the
trainee has done."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases.models import CaseVignettePage
from competencies.models import CompetencyElement
from curriculum.models import LessonPage
from curriculum.services import lesson_complete
from progress import selectors
from tests.assessments.conftest import build_quiz
from tests.cases.conftest import build_case, play_best
from tests.progress.test_dashboard import _take

pytestmark = pytest.mark.django_db


def _case():
    return CaseVignettePage.objects.get(pk=build_case().pk)  # with its live revision


def test_a_new_setting_first_then_the_quiz_then_the_case_then_the_lesson(trainee):
    quiz, case = build_quiz(), _case()
    lesson = LessonPage.objects.live().get(elements__code="elicit")
    elicit = CompetencyElement.objects.get(code="elicit")

    def suggestion():
        found = selectors.next_step(user=trainee, element=elicit)
        return found and (found["kind"], found["page"].id, found.get("new_setting", False))

    # No evidence from the case's setting yet: the case comes first, for its setting.
    assert suggestion() == ("case", case.pk, True)
    first = selectors.next_step(user=trainee, element=elicit)
    assert first["page"].setting_name == "Orthogeriatrics" and first["page"].url == case.url
    # Evidence from that setting (the case half played): the quiz not yet passed comes first.
    play_best(trainee=trainee, vignette=case, stop_at="rec")
    assert suggestion() == ("quiz", quiz.pk, False)
    # The quiz passed: the unfinished case, though its setting is no longer new.
    _take(trainee, quiz)
    assert suggestion() == ("case", case.pk, False)
    # The case finished: the lesson not yet completed.
    play_best(trainee=trainee, vignette=case)
    assert suggestion() == ("lesson", lesson.pk, False)
    lesson_complete(user=trainee, lesson=lesson)
    assert suggestion() is None
    assert selectors.next_step(user=trainee, element=None) is None


def test_one_query_for_what_the_trainee_has_done(trainee, other_trainee):
    quiz, case = build_quiz(), _case()
    elicit = CompetencyElement.objects.get(code="elicit")
    _take(other_trainee, quiz)
    play_best(trainee=other_trainee, vignette=case)
    selectors.next_step(user=trainee, element=elicit, completed=[])  # the pages, kept
    with CaptureQueriesContext(connection) as ctx:
        found = selectors.next_step(user=trainee, element=elicit, completed=[])
    assert len(ctx.captured_queries) == 1
    # Another trainee's finished case and passed quiz are not this trainee's.
    assert (found["kind"], found["page"].id) == ("case", case.pk)
    with CaptureQueriesContext(connection) as ctx:
        found = selectors.next_step(user=other_trainee, element=elicit, completed=[])
    assert len(ctx.captured_queries) == 1
    lesson = LessonPage.objects.live().get(elements__code="elicit")
    assert (found["kind"], found["page"].id) == ("lesson", lesson.pk)


def test_a_page_unpublished_is_no_longer_suggested(trainee):
    build_quiz()
    case = _case()
    elicit = CompetencyElement.objects.get(code="elicit")
    assert selectors.next_step(user=trainee, element=elicit)["page"].id == case.pk
    case.unpublish()
    assert selectors.next_step(user=trainee, element=elicit)["kind"] == "quiz"


def test_recent_plays_with_and_without_steps(trainee, other_trainee):
    from cases import services as case_services

    case = _case()
    finished, _ = play_best(trainee=trainee, vignette=case)
    started = case_services.vignette_start(trainee=trainee, vignette=case)  # no step yet
    play_best(trainee=other_trainee, vignette=case)
    plays = selectors.recent_activity(user=trainee)["cases"]
    assert [(p["is_open"], p["percent"]) for p in plays] == [(True, None), (False, 100)]
    assert started.pk != finished.pk
    assert selectors.recent_activity(user=trainee, limit=1)["cases"][0]["is_open"]

"""Taking a quiz: saved as you go, scored on the server once, pinned to its revision, and no key
or feedback in the page before the answer is in."""

import datetime

import pytest
from django.utils import timezone

from assessments import services
from assessments.engine import delivery
from assessments.models import (
    AttemptStatus,
    ElementMastery,
    Evidence,
    ItemScore,
    QuizAnswer,
    QuizAttempt,
)
from home.append_only import AppendOnlyError
from tests.assessments.conftest import ALL_RIGHT, MARKER, build_quiz
from tests.delivery import quiz_form

pytestmark = pytest.mark.django_db


def _start(client, quiz):
    response = client.post(quiz.url + "start/")
    assert response.status_code == 302
    return QuizAttempt.objects.get(quiz=quiz, status=AttemptStatus.IN_PROGRESS)


def _answer(client, quiz, attempt, index, key, data):
    """Post an answer given in authored keys, as the question page carries it (opaque values)."""
    url = f"{quiz.url}attempt/{attempt.pk}/"
    return client.post(url, {"question": key, "q": index, **quiz_form(attempt, key, data)})


def _answer_all(client, quiz, attempt, answers=ALL_RIGHT):
    keys = [s.key for s in services.attempt_questions(attempt)]
    for index, key in enumerate(keys):
        if key in answers:
            response = _answer(client, quiz, attempt, index, key, answers[key])
            assert response.status_code == 302, (key, response.content[:500])


def test_all_right_scores_full_marks_and_writes_evidence(client, quiz, trainee):
    client.force_login(trainee)
    attempt = _start(client, quiz)
    _answer_all(client, quiz, attempt)
    response = client.post(f"{quiz.url}attempt/{attempt.pk}/submit/")
    assert response.status_code == 302
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.SUBMITTED
    assert (attempt.score, attempt.max_score, attempt.passed) == (5, 5, True)
    assert Evidence.objects.filter(trainee=trainee).count() == 5
    assert set(Evidence.objects.values_list("item_key", flat=True)) == {
        "quiz:q-single", "quiz:q-multiple", "quiz:q-factors", "quiz:q-match", "quiz:q-order",
    }  # fmt: skip
    renal = Evidence.objects.get(item_key="quiz:q-multiple")
    assert renal.setting.slug == "renal"  # the question's own setting beats the quiz default
    assert ItemScore.objects.filter(trainee=trainee).count() == 5
    elicit = ElementMastery.objects.get(trainee=trainee, element__code="elicit")
    assert (elicit.items, elicit.mean) == (1, 1.0)
    review = client.get(f"{quiz.url}attempt/{attempt.pk}/review/").content.decode()
    assert f"{MARKER} ask is right" in review
    assert f"{MARKER} guidance" in review
    assert "5 out of 5" in review


def test_partial_answers_get_partial_credit(client, quiz, trainee):
    client.force_login(trainee)
    attempt = _start(client, quiz)
    wrong = {
        "q-single": {"choice": "refer"},
        "q-multiple": {"choices": ["a", "c"]},  # one right, one wrong: 0
        "q-factors": {"choices": ["f0-loneliness"]},  # half
        "q-order": {"position-screen": "2", "position-offer": "1", "position-review": "3"},
    }
    _answer_all(client, quiz, attempt, wrong)
    client.post(f"{quiz.url}attempt/{attempt.pk}/submit/")
    attempt.refresh_from_db()
    # single 0 + multiple 0 + factors 0.5 + match (unanswered) 0 + order 2/3
    assert attempt.score == pytest.approx(0.5 + 2 / 3, abs=1e-3)
    assert attempt.passed is False


def test_no_key_or_feedback_reaches_the_browser_before_submission(client, quiz, trainee):
    client.force_login(trainee)
    seen = [client.get(quiz.url).content.decode()]
    attempt = _start(client, quiz)
    total = len(services.attempt_questions(attempt))
    for index in range(total + 1):
        seen.append(client.get(f"{quiz.url}attempt/{attempt.pk}/?q={index}").content.decode())
    _answer_all(client, quiz, attempt)
    for index in range(total + 1):
        seen.append(client.get(f"{quiz.url}attempt/{attempt.pk}/?q={index}").content.decode())
    for html in seen:
        assert MARKER not in html
        assert "choice--correct" not in html
    # The ordering question never lists its items in the correct order.
    order_page = seen[5]
    ids = {k: delivery.token(attempt.secret, "q-order", k) for k in ("screen", "offer", "review")}
    positions = [order_page.index(f'id="position-{ids[k]}"') for k in ("screen", "offer", "review")]
    assert positions != sorted(positions)


def test_after_each_mode_shows_feedback_only_for_answered_questions(client, trainee, db):
    quiz = build_quiz(timing="after_each")
    client.force_login(trainee)
    attempt = _start(client, quiz)
    before = client.get(f"{quiz.url}attempt/{attempt.pk}/?q=0").content.decode()
    assert MARKER not in before
    response = _answer(client, quiz, attempt, 0, "q-single", {"choice": "refer"})
    assert response.headers["Location"].endswith("?q=0#feedback")
    after = client.get(f"{quiz.url}attempt/{attempt.pk}/?q=0").content.decode()
    assert f"{MARKER} refer is premature" in after
    assert "You scored 0 out of 1" in after
    assert MARKER not in client.get(f"{quiz.url}attempt/{attempt.pk}/?q=1").content.decode()
    # Once feedback is seen, the answer is final.
    again = _answer(client, quiz, attempt, 0, "q-single", {"choice": "ask"})
    assert again.status_code == 400
    assert QuizAnswer.objects.get(attempt=attempt, question_key="q-single").response == {
        "choice": "refer"
    }


def test_leaving_and_coming_back_keeps_every_answer(client, quiz, trainee):
    client.force_login(trainee)
    attempt = _start(client, quiz)
    _answer(client, quiz, attempt, 0, "q-single", ALL_RIGHT["q-single"])
    client.logout()
    client.force_login(trainee)
    overview = client.get(quiz.url).content.decode()
    assert "Resume the quiz" in overview
    assert _start(client, quiz).pk == attempt.pk  # starting again resumes
    page = client.get(f"{quiz.url}attempt/{attempt.pk}/?q=0").content.decode()
    assert f'value="{delivery.token(attempt.secret, "q-single", "ask")}" checked' in page


def test_double_submit_finalises_once(client, quiz, trainee):
    client.force_login(trainee)
    attempt = _start(client, quiz)
    _answer_all(client, quiz, attempt)
    first = client.post(f"{quiz.url}attempt/{attempt.pk}/submit/")
    second = client.post(f"{quiz.url}attempt/{attempt.pk}/submit/")
    assert first.status_code == second.status_code == 302
    assert Evidence.objects.count() == 5
    follow = client.get(second.headers["Location"])
    assert "already submitted" in follow.content.decode()
    with pytest.raises(services.AlreadySubmitted):
        services.attempt_submit(attempt_id=attempt.pk, trainee=trainee)
    # Answers cannot change after submission either.
    late = _answer(client, quiz, attempt, 0, "q-single", {"choice": "refer"})
    assert late.status_code == 302
    assert QuizAnswer.objects.get(attempt=attempt, question_key="q-single").response == {
        "choice": "ask"
    }


@pytest.mark.parametrize(
    ("key", "data"),
    [
        ("q-single", {"choice": "not-an-option"}),
        ("q-single", {}),
        ("q-multiple", {"choices": ["a", "zzz"]}),
        ("q-match", {"match-p0-loneliness": "specialist-referral"}),
        ("q-order", {"position-screen": "1", "position-offer": "1", "position-review": "3"}),
        ("q-order", {"position-screen": "9", "position-offer": "1", "position-review": "3"}),
        ("q-order", {"position-screen": "x"}),
        ("q-reflect", {"text": "   "}),
        ("q-reflect", {"text": "x" * 6000}),
        ("no-such-question", {"choice": "ask"}),
    ],
)
def test_tampered_or_bad_answers_get_a_400_and_change_nothing(client, quiz, trainee, key, data):
    client.force_login(trainee)
    attempt = _start(client, quiz)
    response = _answer(client, quiz, attempt, 0, key, data)
    assert response.status_code == 400
    assert "There is a problem" in response.content.decode()
    assert not QuizAnswer.objects.filter(attempt=attempt).exists()


def test_another_trainees_attempt_is_a_404_and_untouched(client, quiz, trainee, other_trainee):
    client.force_login(trainee)
    attempt = _start(client, quiz)
    client.force_login(other_trainee)
    base = f"{quiz.url}attempt/{attempt.pk}/"
    assert client.get(base).status_code == 404
    assert _answer(client, quiz, attempt, 0, "q-single", {"choice": "ask"}).status_code == 404
    assert client.post(base + "submit/").status_code == 404
    assert client.get(base + "review/").status_code == 404
    attempt.refresh_from_db()
    assert attempt.is_open and not QuizAnswer.objects.exists()


def test_supervisors_cannot_start_quizzes(client, quiz, supervisor):
    client.force_login(supervisor)
    assert client.post(quiz.url + "start/").status_code == 403
    assert not QuizAttempt.objects.exists()


def test_an_attempt_is_scored_against_the_revision_it_started_on(client, quiz, trainee):
    client.force_login(trainee)
    attempt = _start(client, quiz)
    _answer_all(client, quiz, attempt)
    # The educator changes the key: "refer" becomes the correct answer.
    draft = quiz.latest_revision.as_object()
    question = next(q for q in draft.questions.all() if q.key == "q-single")
    for choice in question.choices.all():
        choice.correct = choice.key == "refer"
    draft.save_revision().publish()
    quiz.refresh_from_db()
    client.post(f"{quiz.url}attempt/{attempt.pk}/submit/")
    attempt.refresh_from_db()
    assert QuizAnswer.objects.get(attempt=attempt, question_key="q-single").score == 1
    # A new attempt uses the new key.
    new = services.attempt_start(trainee=trainee, quiz=quiz)
    assert new.revision_id != attempt.revision_id


def test_attempt_limit(client, trainee, db):
    quiz = build_quiz(attempts=1)
    client.force_login(trainee)
    attempt = _start(client, quiz)
    client.post(f"{quiz.url}attempt/{attempt.pk}/submit/")
    client.post(quiz.url + "start/")
    assert QuizAttempt.objects.count() == 1
    assert "You have used all your attempts" in client.get(quiz.url).content.decode()


def test_time_limit_is_enforced_on_the_server(client, quiz, trainee):
    client.force_login(trainee)
    attempt = _start(client, quiz)
    QuizAttempt.objects.filter(pk=attempt.pk).update(
        deadline=timezone.now() - datetime.timedelta(seconds=1)
    )
    response = _answer(client, quiz, attempt, 0, "q-single", {"choice": "ask"})
    assert response.headers["Location"].endswith("/review/")
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.SUBMITTED
    assert not QuizAnswer.objects.filter(
        attempt=attempt, question_key="q-single", response__choice="ask"
    ).exists()


def test_evidence_is_append_only(client, quiz, trainee):
    client.force_login(trainee)
    attempt = _start(client, quiz)
    _answer_all(client, quiz, attempt)
    client.post(f"{quiz.url}attempt/{attempt.pk}/submit/")
    row = Evidence.objects.first()
    row.score = 0
    with pytest.raises(AppendOnlyError):
        row.save()
    with pytest.raises(AppendOnlyError):
        row.delete()
    with pytest.raises(AppendOnlyError):
        Evidence.objects.filter(trainee=trainee).update(score=0)
    with pytest.raises(AppendOnlyError):
        Evidence.objects.all().delete()


def test_rebuilding_the_summaries_matches_the_incremental_ones(
    client, quiz, trainee, other_trainee
):
    for person, answers in (
        (trainee, ALL_RIGHT),
        (other_trainee, {"q-single": {"choice": "push"}}),
    ):
        client.force_login(person)
        for _ in range(2):
            attempt = _start(client, quiz)
            _answer_all(client, quiz, attempt, answers)
            client.post(f"{quiz.url}attempt/{attempt.pk}/submit/")

    def snapshot():
        items = sorted(
            ItemScore.objects.values_list(
                "trainee", "element", "item_key", "points", "max_points", "setting"
            )
        )
        masteries = sorted(
            ElementMastery.objects.values_list(
                "trainee", "element", "items", "settings_count", "mean"
            )
        )
        return items, masteries

    incremental = snapshot()
    services.mastery_rebuild()
    assert snapshot() == incremental
    assert incremental[0]


def test_the_first_answer_per_question_is_the_evidence_and_a_retake_is_practice(
    client, quiz, trainee
):
    client.force_login(trainee)
    attempt = _start(client, quiz)
    _answer_all(client, quiz, attempt, {"q-single": {"choice": "push"}})
    client.post(f"{quiz.url}attempt/{attempt.pk}/submit/")
    attempt = _start(client, quiz)
    _answer_all(client, quiz, attempt, {"q-single": {"choice": "ask"}})
    client.post(f"{quiz.url}attempt/{attempt.pk}/submit/")
    # The retake's right answer is kept (evidence is append-only) but the first answer counts,
    # and a rebuild from the evidence alone agrees.
    assert ItemScore.objects.get(trainee=trainee, item_key="quiz:q-single").points == 0
    assert Evidence.objects.filter(trainee=trainee, item_key="quiz:q-single").count() == 2
    from assessments.services import mastery_rebuild

    mastery_rebuild(trainee=trainee)
    assert ItemScore.objects.get(trainee=trainee, item_key="quiz:q-single").points == 0


def test_rebuild_command_reports_what_it_rebuilt(client, quiz, trainee):
    from io import StringIO

    from django.core.management import call_command

    client.force_login(trainee)
    attempt = _start(client, quiz)
    _answer_all(client, quiz, attempt)
    client.post(f"{quiz.url}attempt/{attempt.pk}/submit/")
    out = StringIO()
    call_command("rebuild_mastery", stdout=out)
    assert "Rebuilt 5 trainee-element summaries." in out.getvalue()


@pytest.mark.parametrize("who", ["administrator"])
def test_administrators_manage_the_rules(client, request, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get("/admin/snippets/assessments/stepofcaremapping/").status_code == 200
    assert client.get("/admin/settings/assessments/masterypolicy/").status_code in (200, 302)


def test_educators_cannot_change_the_mastery_policy(client, educator):
    client.force_login(educator)
    response = client.get("/admin/settings/assessments/masterypolicy/")
    assert response.status_code in (302, 403)


def test_educators_open_a_quiz_with_its_nested_questions_in_the_admin(client, quiz, educator):
    client.force_login(educator)
    response = client.get(f"/admin/pages/{quiz.pk}/edit/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "questions-TOTAL_FORMS" in html
    assert "questions-0-choices-TOTAL_FORMS" in html  # choices nest inside each question
    assert client.get(f"/admin/pages/{quiz.pk}/edit/preview/").status_code in (200, 405)


@pytest.mark.parametrize("field", ["setting", "questions-0-setting"])
def test_an_editor_form_with_a_setting_that_is_not_an_id_is_shown_again_with_errors(
    client, quiz, educator, field
):
    """Found by the fuzzing suite: the chooser failed to draw a posted value that is not an id."""
    from wagtail.models import Revision

    from tests.fuzz.harness import baseline_of, forms_posting_to

    client.force_login(educator)
    url = f"/admin/pages/{quiz.pk}/edit/"
    fields = {}
    assert forms_posting_to(client.get(url).content.decode(), url, url, "post", fields)
    revisions = Revision.objects.count()
    response = client.post(url, {**baseline_of(fields), field: "not-an-id"})
    assert response.status_code == 200
    assert "could not be saved" in response.content.decode()
    assert Revision.objects.count() == revisions


@pytest.mark.parametrize("option_id", [None, "not-a-number"])
def test_an_editor_form_with_a_damaged_option_id_is_a_400_and_changes_nothing(
    client, quiz, educator, option_id
):
    """Found by the fuzzing suite: modelcluster reads and converts each inline option's id
    without a check (a missing one on SQLite and PostgreSQL, a word on PostgreSQL)."""
    from wagtail.models import Revision

    from tests.fuzz.harness import baseline_of, forms_posting_to

    client.force_login(educator)
    url = f"/admin/pages/{quiz.pk}/edit/"
    fields = {}
    forms_posting_to(client.get(url).content.decode(), url, url, "post", fields)
    body = baseline_of(fields)
    del body["questions-0-choices-0-id"]
    if option_id is not None:
        body["questions-0-choices-0-id"] = option_id
    revisions = Revision.objects.count()
    response = client.post(url, body)
    assert response.status_code == 400
    assert b"incomplete or damaged" in response.content
    assert Revision.objects.count() == revisions


def test_an_editor_form_with_an_element_id_past_64_bits_changes_nothing(client, quiz, educator):
    """Found by the fuzzing suite: SQLite refused the id while Django looked it up (a 500)."""
    from wagtail.models import Revision

    from tests.fuzz.harness import baseline_of, forms_posting_to

    client.force_login(educator)
    url = f"/admin/pages/{quiz.pk}/edit/"
    fields = {}
    forms_posting_to(client.get(url).content.decode(), url, url, "post", fields)
    revisions = Revision.objects.count()
    response = client.post(url, {**baseline_of(fields), "questions-0-elements": "9" * 30})
    # SQLite: the form cannot be read (400); PostgreSQL: no such element (shown with errors).
    assert response.status_code in (200, 400)
    assert "could not be saved" in response.content.decode() or response.status_code == 400
    assert Revision.objects.count() == revisions

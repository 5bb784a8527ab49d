"""The trainee dashboard: mastery per element, readiness, what is missing, what to do next."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.html import escape

from assessments import services
from assessments.models import MasteryPolicy
from competencies import seed
from curriculum.services import lesson_complete
from home import caching
from progress import selectors
from supervision.models import SignOffRequest
from tests.assessments.conftest import ALL_RIGHT, build_quiz

pytestmark = pytest.mark.django_db


def _take(trainee, quiz, answers=ALL_RIGHT):
    attempt = services.attempt_start(trainee=trainee, quiz=quiz)
    for spec in services.attempt_questions(attempt):
        if spec.key in answers:
            services.answer_save(
                attempt_id=attempt.pk, trainee=trainee, question_key=spec.key,
                data=dict(answers[spec.key]),
            )  # fmt: skip
    return services.attempt_submit(attempt_id=attempt.pk, trainee=trainee)


def test_dashboard_says_exactly_what_is_missing(client, quiz, trainee):
    client.force_login(trainee)
    html = client.get("/dashboard/").content.decode()
    assert "Not yet" in html
    assert "Complete 1 more core lesson." in html
    assert "4 more questions or case steps for “Elicit”." in html
    assert "Case evidence from 2 more clinical settings for “Elicit”." in html
    assert "What to do next" in html and "Check your understanding" in html


def test_mastery_rises_and_readiness_follows_the_policy(client, quiz, trainee):
    policy = MasteryPolicy.load()
    policy.min_items, policy.min_settings, policy.threshold_percent = 1, 1, 70
    policy.save()
    from curriculum.models import LessonPage

    for lesson in LessonPage.objects.live():
        lesson_complete(user=trainee, lesson=lesson)
    _take(trainee, quiz)
    # Quizzes never make an element met on their own: settings come from case evidence.
    progress = selectors.trainee_progress(user=trainee)
    assert [row["mastery"].status for row in progress["elements"]] == ["needs more evidence"] * 5
    assert "Case evidence from 1 more clinical setting" in " ".join(progress["missing"])
    # A policy that asks for no case settings (data an administrator sets) lets them.
    policy.min_settings = 0
    policy.save()
    progress = selectors.trainee_progress(user=trainee)
    assert [row["mastery"].status for row in progress["elements"]] == ["met"] * 5
    assert progress["ready"] and progress["missing"] == []
    client.force_login(trainee)
    html = client.get("/dashboard/").content.decode()
    assert "Request sign-off" in html
    assert client.post("/dashboard/request-sign-off/").status_code == 302
    assert SignOffRequest.objects.filter(trainee=trainee).count() == 1
    # The cached dashboard follows at once: the button gives way to the date of the request.
    html = client.get("/dashboard/").content.decode()
    assert "Request sign-off</button>" not in html and "You asked for sign-off on" in html
    # A stricter policy, set by an administrator, changes the outcome at once.
    policy.threshold_percent = 100
    policy.min_settings = 2
    policy.save()
    assert not selectors.trainee_progress(user=trainee)["ready"]


def test_sign_off_cannot_be_requested_before_ready(client, quiz, trainee):
    client.force_login(trainee)
    response = client.post("/dashboard/request-sign-off/")
    assert response.status_code == 302
    assert not SignOffRequest.objects.exists()
    assert "not ready for sign-off" in client.get("/dashboard/").content.decode()


def test_my_record_lists_only_my_attempts(client, quiz, trainee, other_trainee):
    _take(trainee, quiz)
    _take(other_trainee, quiz, {"q-single": {"choice": "push"}})
    client.force_login(trainee)
    html = client.get("/dashboard/record/").content.decode()
    assert html.count("Review Check your understanding") == 1
    assert "<td>100%</td>" in html and "<td>0%</td>" not in html


def test_dashboard_and_quiz_pages_do_not_grow_with_evidence(client, trainee, db):
    quiz = build_quiz()
    client.force_login(trainee)
    _take(trainee, quiz)
    attempt = services.attempt_start(trainee=trainee, quiz=quiz)
    urls = ["/dashboard/", quiz.url, f"{quiz.url}attempt/{attempt.pk}/?q=1", "/dashboard/record/"]
    for url in urls:
        client.get(url)

    def count(url):
        # With the person's records just changed: what a page costs when their part of it has
        # to be worked out afresh.
        caching.records_changed(trainee.pk)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    names = ["dashboard", "quiz", "question"]
    before = dict(zip(names, (count(url) for url in urls[:3]), strict=True))
    services.attempt_submit(attempt_id=attempt.pk, trainee=trainee)
    for _ in range(5):
        _take(trainee, quiz)
    attempt = services.attempt_start(trainee=trainee, quiz=quiz)
    urls[2] = f"{quiz.url}attempt/{attempt.pk}/?q=1"
    after = dict(zip(names, (count(url) for url in urls[:3]), strict=True))
    assert after == before
    # The dashboard rebuilt: the person, completions, mastery, what they did for the next step,
    # two for recent activity, evidence per level, their kinds of supervision record and
    # their supervisors' names.
    assert max(after.values()) <= 9, after
    # Once worked out, the trainee's part of the dashboard comes from the cache.
    client.get("/dashboard/")
    with CaptureQueriesContext(connection) as ctx:
        client.get("/dashboard/")
    assert len(ctx.captured_queries) <= 4, [q["sql"][:80] for q in ctx.captured_queries]


def test_apps_above_progress_add_their_parts_through_the_hook(
    client, quiz, trainee, tmp_path, settings
):
    """Supervision's parts come through ``progress_dashboard_panels``; any app's can, and a
    panel with nothing to show (its context is None) is left out."""
    from wagtail import hooks

    from progress.panels import HOOK, Panel

    (tmp_path / "note.html").write_text("<p>A note for {{ panel.name }}.</p>")
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], tmp_path]}
    ]
    seen = []

    def note_context(**arguments):
        seen.append(arguments)
        return {"name": "you"}

    def note():
        return Panel(Panel.TRAINEE, "note.html", note_context)

    def nothing():
        return Panel(Panel.PAGE, "note.html", lambda **arguments: None)

    client.force_login(trainee)
    with hooks.register_temporarily([(HOOK, note), (HOOK, nothing)]):
        html = client.get("/dashboard/").content.decode()
    assert html.count("A note for you.") == 1
    assert seen[0]["user"] == trainee and seen[0]["progress"]["ready"] is False
    # Supervision's own parts are there as well.
    assert "You have no supervisor assigned yet." in html


def test_the_dashboard_explains_each_element_with_what_a_supervisor_looks_for(
    client, quiz, trainee
):
    seed.load_catalogues()
    client.force_login(trainee)
    html = client.get("/dashboard/").content.decode()
    elements = seed.load("elements.yaml")
    assert html.count("<summary>What a supervisor looks for</summary>") == len(elements)
    for element in elements:
        for item in element["indicative_behaviours"] + element.get("not_yet", []):
            assert escape(item) in html, item
    assert 'href="/competency/"' in html.split('id="elements-title"')[1]

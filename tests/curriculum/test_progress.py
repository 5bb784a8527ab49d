"""Lesson completion and private reflections: idempotent, per person, and robust to bad input."""

import pytest

from curriculum.models import LessonCompletion, ReflectionAnswer
from curriculum.services import lesson_complete, reflection_block_ids

pytestmark = pytest.mark.django_db


def test_completion_is_idempotent_and_per_person(course, trainee, other_trainee):
    lesson = course[2][0]
    assert lesson_complete(user=trainee, lesson=lesson)[1] is True
    assert lesson_complete(user=trainee, lesson=lesson)[1] is False
    assert LessonCompletion.objects.filter(user=trainee).count() == 1
    assert not LessonCompletion.objects.filter(user=other_trainee).exists()


def test_pressing_mark_as_complete_twice_records_one_completion(client, course, trainee):
    lesson = course[2][1]
    client.force_login(trainee)
    url = lesson.url + "complete/"
    first = client.post(url)
    second = client.post(url)
    assert first.status_code == second.status_code == 302
    assert first.headers["Location"].endswith(lesson.url + "#lesson-status")
    assert LessonCompletion.objects.filter(user=trainee, lesson=lesson).count() == 1
    page = client.get(lesson.url).content.decode()
    assert "You have completed this lesson." in page
    assert "Mark as complete" not in page


def test_complete_needs_a_post_and_a_login(client, course):
    lesson = course[2][1]
    assert client.get(lesson.url + "complete/").status_code == 302  # members-only: to login
    response = client.post(lesson.url + "complete/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/accounts/login/")
    assert not LessonCompletion.objects.exists()


def test_complete_refuses_get_for_logged_in_people(client, course, trainee):
    client.force_login(trainee)
    assert client.get(course[2][1].url + "complete/").status_code == 405
    assert not LessonCompletion.objects.exists()


def test_another_trainees_completion_is_never_visible(client, course, trainee, other_trainee):
    _, modules, lessons = course
    lesson_complete(user=other_trainee, lesson=lessons[0])
    lesson_complete(user=other_trainee, lesson=lessons[1])
    client.force_login(trainee)
    module_html = client.get(modules[0].url).content.decode()
    assert "0 of 2 lessons done" in module_html
    assert "Done</span>" not in module_html
    assert "Mark as complete" in client.get(lessons[0].url).content.decode()
    index_html = client.get("/course/").content.decode()
    assert "You have completed 0 of 4 core lessons." in index_html


def test_progress_and_continue_follow_completions(client, course, trainee):
    _, modules, lessons = course
    client.force_login(trainee)
    html = client.get("/course/").content.decode()
    assert "Start the course: Lesson 0.0" in html
    client.post(lessons[0].url + "complete/")
    client.post(lessons[2].url + "complete/")
    html = client.get("/course/").content.decode()
    assert "You have completed 2 of 4 core lessons." in html
    assert "Continue where you left off: Lesson 1.1" in html
    assert 'value="1"' in html and 'max="2"' in html
    module_html = client.get(modules[0].url).content.decode()
    assert "1 of 2 lessons done" in module_html
    assert "about 10 min left" in module_html


def _reflection_url(lesson):
    block_id = next(iter(reflection_block_ids(lesson)))
    return block_id, f"{lesson.url}reflect/{block_id}/"


def test_reflections_are_saved_and_shown_only_to_their_author(
    client, course, trainee, other_trainee
):
    lesson = course[2][0]
    block_id, url = _reflection_url(lesson)
    client.force_login(trainee)
    response = client.post(url, {"text": "I would ask Walter what home means to him now."})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"#reflection-{block_id}")
    assert "what home means to him" in client.get(lesson.url).content.decode()
    client.post(url, {"text": "Second thoughts: ask about his evenings."})
    assert ReflectionAnswer.objects.get(user=trainee).text.startswith("Second thoughts")
    assert ReflectionAnswer.objects.count() == 1

    client.force_login(other_trainee)
    html = client.get(lesson.url).content.decode()
    assert "what home means to him" not in html
    assert "Second thoughts" not in html


@pytest.mark.parametrize(
    ("text", "message"),
    [("", "Write your reflection"), ("   ", "Write your reflection"), ("x" * 5001, "5,000")],
    ids=["empty", "blank", "too-long"],
)
def test_bad_reflections_get_a_clear_message_and_keep_what_was_saved(
    client, course, trainee, text, message
):
    lesson = course[2][0]
    _, url = _reflection_url(lesson)
    client.force_login(trainee)
    client.post(url, {"text": "My first answer."})
    response = client.post(url, {"text": text})
    assert response.status_code == 400
    html = response.content.decode()
    assert "There is a problem" in html
    assert message in html
    assert ReflectionAnswer.objects.get(user=trainee).text == "My first answer."


def test_reflection_for_an_unknown_prompt_is_a_404(client, course, trainee):
    client.force_login(trainee)
    response = client.post(course[2][0].url + "reflect/not-a-block/", {"text": "Hello"})
    assert response.status_code == 404
    assert not ReflectionAnswer.objects.exists()


def test_script_in_a_reflection_is_shown_as_text(client, course, trainee):
    lesson = course[2][0]
    _, url = _reflection_url(lesson)
    client.force_login(trainee)
    client.post(url, {"text": "<script>alert(1)</script>"})
    html = client.get(lesson.url).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


@pytest.mark.parametrize("gain", ["0.3", "abc", "-1", "99", "nan", "1e309", ""])
def test_feedback_loop_gain_from_the_query_string_never_breaks_the_page(
    client, course, trainee, gain
):
    client.force_login(trainee)
    lesson = course[2][0]
    page = client.get(lesson.url, {"gain": gain})
    figure = client.get(lesson.url + "figure/", {"gain": gain})
    assert page.status_code == figure.status_code == 200
    expected = "0.3" if gain == "0.3" else "0.6"
    assert f'value="{expected}"' in figure.content.decode()
    if gain == "0.3":
        assert "Settling." in figure.content.decode()
    else:
        assert "Escalating." in figure.content.decode()


def test_trainee_dashboard_shows_progress_per_module(client, course, trainee):
    _, _modules, lessons = course
    lesson_complete(user=trainee, lesson=lessons[0])
    client.force_login(trainee)
    html = client.get("/dashboard/").content.decode()
    assert "You have completed 1 of 4 core lessons." in html
    assert "Continue where you left off: Lesson 0.1" in html
    assert html.count("<progress") == 2
    assert "1 of 2 lessons done" in html and "0 of 2 lessons done" in html

"""Search over modules and lessons, without leaking members-only titles to visitors."""

import pytest

from curriculum.models import LessonPage

pytestmark = pytest.mark.django_db


def test_trainees_find_lessons_and_modules(client, course, trainee):
    client.force_login(trainee)
    html = client.get("/search/", {"q": "Lesson"}).content.decode()
    for n in ("0.0", "0.1", "1.0", "1.1"):
        assert f"Lesson {n}" in html
    html = client.get("/search/", {"q": "Module"}).content.decode()
    assert "Module 0" in html and "Module 1" in html


def test_visitors_see_only_the_taster_in_results(client, course):
    html = client.get("/search/", {"q": "Lesson"}).content.decode()
    assert "Lesson 0.0" in html
    for hidden in ("Lesson 0.1", "Lesson 1.0", "Lesson 1.1", "Module 0", "Module 1"):
        assert hidden not in html


def test_unpublished_lessons_are_not_found(client, course, trainee):
    lesson = course[2][3]
    lesson.unpublish()
    client.force_login(trainee)
    html = client.get("/search/", {"q": "Lesson"}).content.decode()
    assert "Lesson 1.1" not in html
    assert LessonPage.objects.filter(pk=lesson.pk, live=False).exists()


@pytest.mark.parametrize("q", ["", " ", "x" * 5000, "<script>alert(1)</script>", "\x00", "%%%"])
def test_odd_queries_are_handled(client, course, trainee, q):
    client.force_login(trainee)
    response = client.get("/search/", {"q": q})
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.content.decode()

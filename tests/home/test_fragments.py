"""Pages whose personal part is cached (``home.fragments``): every request gets a form token
that works for it, the part follows the person's records, and nobody sees another's."""

import re

import pytest
from django.test import Client

from assessments import services
from home.fragments import CSRF_PLACEHOLDER
from tests.assessments.conftest import build_quiz

pytestmark = pytest.mark.django_db


def _token(html: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html.split("<main", 1)[1])[1]


def test_a_cached_form_carries_the_token_of_each_request(trainee):
    quiz = build_quiz()
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first.force_login(trainee)
    second.force_login(trainee)  # the same person in another browser: another CSRF secret
    first_page = first.get(quiz.url).content.decode()
    second_page = second.get(quiz.url).content.decode()  # from the cache
    assert "Start the quiz" in second_page and CSRF_PLACEHOLDER not in second_page
    assert _token(first_page) != _token(second_page)
    # The second browser's form is accepted with its own token, and only with it.
    start = f"{quiz.url}start/"
    refused = second.post(start, {"csrfmiddlewaretoken": "wrong" * 8})
    assert refused.status_code == 403
    accepted = second.post(start, {"csrfmiddlewaretoken": _token(second_page)})
    assert accepted.status_code == 302 and "/attempt/" in accepted["Location"]


def test_the_cached_part_follows_the_persons_records(client, trainee, other_trainee):
    quiz = build_quiz()
    client.force_login(trainee)
    assert "Start the quiz" in client.get(quiz.url).content.decode()
    services.attempt_start(trainee=trainee, quiz=quiz)
    assert "Resume the quiz" in client.get(quiz.url).content.decode()
    client.force_login(other_trainee)
    html = client.get(quiz.url).content.decode()
    assert "Start the quiz" in html and "Resume the quiz" not in html


def test_authored_text_that_looks_like_the_placeholder_stays_text(client, trainee):
    from curriculum.models import CurriculumIndexPage

    build_quiz()
    index = CurriculumIndexPage.objects.get()
    trick = f'<input type="hidden" name="csrfmiddlewaretoken" value="{CSRF_PLACEHOLDER}">'
    index.title = f"Course {trick}"
    index.save_revision().publish()
    client.force_login(trainee)
    for _ in range(2):  # built, then from the cache
        html = client.get(index.url).content.decode()
        assert "Course &lt;input type=&quot;hidden&quot;" in html
        assert f'value="{CSRF_PLACEHOLDER}"' not in html

"""The review after submission reads at a glance, in words and marks as well as colour: for
every option whether the trainee chose it and whether that was right; matching names the
interventions, never their slugs; an ordering answer is given in full. Before submission there
is no review at all."""

import re

import pytest
from django.http import Http404
from django.utils.html import strip_tags

from assessments import selectors
from assessments.models import AttemptStatus, QuizAttempt
from tests.assessments.conftest import MARKER
from tests.assessments.test_quizzes import _answer_all, _start

pytestmark = pytest.mark.django_db

MIXED = {
    "q-single": {"choice": "refer"},
    "q-multiple": {"choices": ["a", "c"]},
    "q-factors": {"choices": ["f0-loneliness", "f2-financial-strain"]},
    "q-match": {"match-p0-loneliness": "cbt", "match-p1-low-mood": "behavioural-activation"},
    "q-order": {"position-screen": "2", "position-offer": "1", "position-review": "3"},
    "q-reflect": {"text": "I would ask about home first."},
}


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", strip_tags(html))


def _review(client, quiz, trainee, answers=MIXED) -> str:
    client.force_login(trainee)
    attempt = _start(client, quiz)
    _answer_all(client, quiz, attempt, answers)
    client.post(f"{quiz.url}attempt/{attempt.pk}/submit/")
    response = client.get(f"{quiz.url}attempt/{attempt.pk}/review/")
    assert response.status_code == 200
    return response.content.decode()


def test_every_option_says_what_was_chosen_and_whether_that_was_right(client, quiz, trainee):
    html = _review(client, quiz, trainee)
    text = _text(html)
    # Single: the wrong pick, the right answer missed, a wrong option rightly left.
    assert "“Refer to psychology”. You chose this, but it is not a right answer." in text
    assert "“Ask what makes walking hard”. You did not choose this, but it is a right answer" in (
        text
    )
    assert "“Encourage him harder”. You did not choose this, and it was right to leave it." in text
    # Leaving a wrong option alone is not called "incorrect" any more.
    assert "incorrect option" not in text
    # Factor recognition speaks of what is present in the case.
    assert "“Financial-Strain”. You chose this, but it is not present in this case." in text
    assert "“Low-Mood”. You did not choose this, but it is present in this case" in text
    # A mark and a word on every row, not colour alone.
    rows = re.findall(r'<li class="review-row review-row--(right|wrong)">(.*?)</li>', html, re.S)
    assert len(rows) == 3 + 3 + 3 + 2 + 3
    for kind, row in rows:
        mark, word = ("✓", "Right:") if kind == "right" else ("✗", "Not right:")
        assert mark in row and word in _text(row)


def test_matching_names_interventions_and_ordering_is_given_in_full(client, quiz, trainee):
    text = _text(_review(client, quiz, trainee))
    assert "“Loneliness”. You chose Cbt. The best match is Befriending." in text
    assert "“Low-Mood”. You chose Behavioural Activation, the best match." in text
    assert "You chose cbt" not in text and "behavioural-activation" not in text
    # The trainee's order, every label in full, then each item against its right place.
    assert "Your order: Offer low intensity Screen Review and step up" in text
    assert "“Screen”. Its place is 1. You placed it at 2." in text
    assert "“Review and step up”. Its place is 3, and you placed it there." in text
    assert ".." not in text


def test_there_is_no_review_before_submission(client, quiz, trainee):
    client.force_login(trainee)
    attempt = _start(client, quiz)
    _answer_all(client, quiz, attempt, MIXED)
    assert QuizAttempt.objects.get(pk=attempt.pk).status == AttemptStatus.IN_PROGRESS
    response = client.get(f"{quiz.url}attempt/{attempt.pk}/review/", follow=True)
    assert response.redirect_chain[-1][0].endswith(f"attempt/{attempt.pk}/")
    assert MARKER not in response.content.decode()
    with pytest.raises(Http404):
        selectors.attempt_review(attempt=attempt)

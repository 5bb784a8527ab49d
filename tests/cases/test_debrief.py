"""The debrief and the step feedback say only what is true of this play: the ending reached and
the last decision against the best the case offers, how much the trainee recognised by their
score on those steps, and a feedback box whose colour and words follow the step's score."""

import re

import pytest
from django.utils.html import strip_tags

from cases import services
from cases.models import CaseVignettePage
from home.roles import Role
from tests.factories import make_user

from .conftest import play_best

pytestmark = pytest.mark.django_db

# The recognise step ("rec") scores 2 (recognise-social) + 2 (recognise-psychological).
KEY = [2, 2, 1, 2, 1, 1, 1, 0, 0]


def _play(trainee, case, *, rec=(), choose="screen", phq=KEY):
    """Play through the services: ``rec`` the factors ticked, ``choose`` the decision."""
    attempt = services.vignette_start(trainee=trainee, vignette=case)
    graph = services.graph_of_revision(attempt.revision)
    picks = {"ask1": ("home", "mood"), "rec": tuple(rec), "choose": (choose,)}
    while attempt.is_open:
        node = graph[attempt.node]
        if node.kind == "identify":
            choices = tuple(o.id for o in node.options if o.correct)
        else:
            choices = picks.get(node.id, ())
        attempt, _ = services.step_submit(
            attempt_id=attempt.pk,
            trainee=trainee,
            seq=attempt.seq,
            choices=choices,
            values=phq if node.kind == "screen" else (),
        )
    return attempt


def _text(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return re.sub(r"\s+", " ", strip_tags(response.content.decode()))


@pytest.fixture
def vignette(case):
    return CaseVignettePage.objects.get(pk=case.pk)  # as published


@pytest.fixture
def trainee(client):
    person = make_user(Role.TRAINEE, email="t@example.com")
    client.force_login(person)
    return person


def test_the_best_play_is_told_so_and_credited_with_what_it_recognised(client, vignette, trainee):
    attempt, _ = play_best(trainee=trainee, vignette=vignette)
    text = _text(client, f"{vignette.url}play/{attempt.pk}/debrief/")
    assert "Outcome: a good outcome. This is the best ending this case offers." in text
    assert "Your last decision was “Screen his mood”, the best choice at that point." in text
    assert "you scored 4 of 4: you recognised all of it." in text


def test_a_poor_ending_is_compared_with_the_best_and_nothing_recognised_is_not_praised(
    client, vignette, trainee
):
    attempt = _play(trainee, vignette, rec=(), choose="discharge")
    assert attempt.node == "end-poor"
    text = _text(client, f"{vignette.url}play/{attempt.pk}/debrief/")
    assert (
        "Outcome: a poor outcome. The best play through this case reaches a good outcome: "
        "“Home with support”." in text
    )
    assert "by the best route" not in text
    assert (
        "Your last decision was “Discharge today”. At that point the best choice was "
        "“Screen his mood”." in text
    )
    assert "you scored 0 of 4: you did not pick out what mattered this time" in text
    assert "you recognised all of it" not in text


def test_the_same_route_with_a_weaker_screen_is_not_called_the_best(client, vignette, trainee):
    # Every node of the best route up to the screen, then answers in a band that ends poorly.
    attempt = _play(trainee, vignette, rec=("loneliness-isolation",), phq=[0] * 9)
    assert attempt.node == "end-poor"
    text = _text(client, f"{vignette.url}play/{attempt.pk}/debrief/")
    assert "This is the best ending" not in text
    assert "reaches a good outcome" in text
    assert "you recognised some of it" in text or "you recognised most of it" in text


def test_the_feedback_box_follows_the_step_score(client, vignette, trainee):
    attempt = services.vignette_start(trainee=trainee, vignette=vignette)
    services.step_submit(attempt_id=attempt.pk, trainee=trainee, seq=0)
    services.step_submit(attempt_id=attempt.pk, trainee=trainee, seq=1, choices=("bp",))
    html = client.get(f"{vignette.url}play/{attempt.pk}/feedback/1/").content.decode()
    assert 'class="feedback feedback--none"' in html
    assert "no marks on this step" in html and "0 of 2" in strip_tags(html)
    assert "feedback--full" not in html
    services.step_submit(
        attempt_id=attempt.pk,
        trainee=trainee,
        seq=2,
        choices=("loneliness-isolation", "fear-avoidance"),
    )
    html = client.get(f"{vignette.url}play/{attempt.pk}/feedback/2/").content.decode()
    assert 'class="feedback feedback--full"' in html and "full marks" in html

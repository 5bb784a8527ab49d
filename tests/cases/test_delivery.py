"""Case nodes deliver their options without cues: an order drawn for each attempt and opaque
values, mapped back to the option ids on the server."""

import re
from collections import Counter

import pytest
from bs4 import BeautifulSoup

from cases import selectors, services
from cases.models import VignetteAttempt, VignetteStep
from home.roles import Role
from tests.delivery import case_form
from tests.factories import make_user

from .test_player import BEST, start

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r"^v[0-9a-f]{12}$")


def _values(html: str) -> list[str]:
    form = BeautifulSoup(html, "html.parser").find(id="answer")
    return [i["value"] for i in form.find_all("input", attrs={"name": "choice"})]


def _attributes(html: str) -> set[str]:
    form = BeautifulSoup(html, "html.parser").find("form", class_="vignette-step")
    return {
        tag[a]
        for tag in form.find_all(True)
        for a in ("name", "value", "id", "for")
        if tag.get(a) is not None
    }


def test_play_pages_carry_no_option_id_and_keep_their_order(client, case):
    client.force_login(make_user(Role.TRAINEE, email="t@example.com"))
    play_url = start(client, case)
    attempt = VignetteAttempt.objects.get()
    graph = services.graph_of_attempt(attempt)
    checked = 0
    while not attempt.steps.filter(node="help").exists():
        attempt.refresh_from_db()
        node = graph[attempt.node]
        html = client.get(play_url).content.decode()
        if node.options:
            values = _values(html)
            assert values and all(TOKEN.match(v) for v in values)
            assert values == _values(client.get(play_url).content.decode())  # a reload
            ids = {o.id for o in node.options}
            assert not ids & _attributes(html), node.id
            checked += 1
        data = {"seq": str(attempt.seq), **case_form(attempt, BEST[attempt.node])}
        assert client.post(play_url, data).status_code == 302
    assert checked == 4  # ask, recognise, decide, identify


def test_the_best_option_lands_in_every_position_across_attempts(case):
    attempt = VignetteAttempt(pk=1)
    case.refresh_from_db()
    graph = services.graph_of_revision(case.live_revision)
    node = graph["choose"]  # decide: screen is the best option of two
    positions = Counter()
    for n in range(100):
        attempt.delivery_secret = f"secret-{n}"
        labels = [o["label"] for o in selectors.play_view_options(node, attempt.secret)]
        positions[labels.index(node.option("screen").label)] += 1
    assert set(positions) == {0, 1} and min(positions.values()) > 25


def test_an_opaque_choice_is_stored_as_the_option_id(client, case):
    trainee = make_user(Role.TRAINEE, email="t@example.com")
    client.force_login(trainee)
    play_url = start(client, case)
    client.post(play_url, {"seq": "0"})
    attempt = VignetteAttempt.objects.get()
    html = client.get(play_url).content.decode()
    posted = case_form(attempt, {"choice": ["home", "mood"]})
    assert set(posted["choice"]) <= set(_values(html))
    assert client.post(play_url, {"seq": "1", **posted}).status_code == 302
    assert VignetteStep.objects.get(node="ask1").choices == ["home", "mood"]


@pytest.mark.parametrize("value", ["home", "v000000000000"])
def test_a_forged_choice_is_a_400_and_saves_nothing(client, case, value):
    client.force_login(make_user(Role.TRAINEE, email="t@example.com"))
    play_url = start(client, case)
    client.post(play_url, {"seq": "0"})
    response = client.post(play_url, {"seq": "1", "choice": [value]})
    assert response.status_code == 400
    assert "did not offer" in response.content.decode()
    assert VignetteStep.objects.count() == 1 and VignetteAttempt.objects.get().node == "ask1"


def test_a_case_attempt_started_before_secrets_keeps_working(client, case):
    client.force_login(make_user(Role.TRAINEE, email="t@example.com"))
    play_url = start(client, case)
    client.post(play_url, {"seq": "0"})
    VignetteAttempt.objects.update(delivery_secret="")
    attempt = VignetteAttempt.objects.get()
    html = client.get(play_url).content.decode()
    assert _values(html) == _values(client.get(play_url).content.decode())
    data = {"seq": "1", **case_form(attempt, BEST["ask1"])}
    assert client.post(play_url, data).status_code == 302
    assert VignetteStep.objects.get(node="ask1").choices == ["home", "mood"]

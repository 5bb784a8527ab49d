"""Every POST that scores or checks a secret is rate limited per person with a clear 429."""

import pytest
from django.test import override_settings

from assessments.models import Evidence
from cases.models import VignetteAttempt, VignetteStep
from home.ratelimit import DEFAULTS
from supervision import services as supervision_services
from tests.cases.conftest import build_case
from tests.cases.test_player import BEST, seq_of, start
from tests.delivery import case_form

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(db):
    return build_case()


def test_the_default_limits_allow_real_use_but_not_automation():
    # A trainee answering by hand sends a few POSTs a minute; a script sends hundreds.
    assert DEFAULTS["scoring"][0] >= 60
    assert DEFAULTS["secret"] == (10, 300)


@override_settings(RATE_LIMITS={"scoring": (3, 60)})
def test_case_steps_beyond_the_limit_get_a_429_and_save_nothing(client, case, trainee):
    client.force_login(trainee)
    play_url = start(client, case)  # POST 1
    attempt = VignetteAttempt.objects.get(pk=int(play_url.rstrip("/").split("/")[-1]))
    for _ in range(2):  # POSTs 2 and 3: allowed
        html = client.get(play_url).content.decode()
        attempt.refresh_from_db()
        posted = client.post(
            play_url, {"seq": seq_of(html), **case_form(attempt, BEST[attempt.node])}
        )
        assert posted.status_code == 302
    html = client.get(play_url).content.decode()
    attempt.refresh_from_db()
    node, steps, evidence = attempt.node, VignetteStep.objects.count(), Evidence.objects.count()
    refused = client.post(play_url, {"seq": seq_of(html), **case_form(attempt, BEST[attempt.node])})
    assert refused.status_code == 429
    assert int(refused.headers["Retry-After"]) >= 1
    assert b"Too many requests" in refused.content
    assert b"Nothing from this last request was saved" in refused.content
    attempt.refresh_from_db()
    assert (attempt.node, VignetteStep.objects.count(), Evidence.objects.count()) == (
        node,
        steps,
        evidence,
    )
    # Reading is not limited: the page still shows, with the work so far.
    assert client.get(play_url).status_code == 200


@override_settings(RATE_LIMITS={"scoring": (2, 60)})
def test_limits_are_per_person(client, case, trainee, other_trainee):
    from django.test import Client

    client.force_login(trainee)
    other = Client()
    other.force_login(other_trainee)
    start(client, case)
    start(client, case)
    assert client.post(case.url + "start/").status_code == 429
    assert other.post(case.url + "start/").status_code == 302


def test_guessing_the_supervisor_password_is_limited(client, supervisor, trainee):

    supervision_services.supervisor_assign(supervisor=supervisor, trainee=trainee)
    client.force_login(supervisor)
    url = f"/supervision/trainees/{trainee.pk}/sign-off/"
    statuses = [
        client.post("/supervision/confirm/", {"password": f"guess-{i}", "next": url}).status_code
        for i in range(11)
    ]
    # axes counts each wrong password as a failed login and locks at 5; the secret limit (10 in
    # 5 minutes) stands behind it for codes and anything axes does not see.
    assert statuses[:4] == [400] * 4
    assert set(statuses[4:]) == {429}


def test_guessing_the_password_in_the_sign_off_form_is_limited_too(client, supervisor, trainee):
    """The sign-off form confirms the password inline: the same limits stand behind it."""
    supervision_services.supervisor_assign(supervisor=supervisor, trainee=trainee)
    client.force_login(supervisor)
    url = f"/supervision/trainees/{trainee.pk}/sign-off/"
    form = {"decision": "competent", "level": "3", "feedback": "Good.", "after": "0"}
    statuses = [client.post(url, {**form, "password": f"guess-{i}"}).status_code for i in range(11)]
    assert statuses[:4] == [403] * 4
    assert set(statuses[4:]) == {429}


def test_guessing_cohort_invitation_codes_is_limited(client, trainee):
    client.force_login(trainee)
    statuses = [client.post("/cohorts/join/", {"code": f"WRONG{i}"}).status_code for i in range(11)]
    assert statuses[:10] == [400] * 10
    assert statuses[10] == 429


@override_settings(ACCOUNT_RATE_LIMITS={"signup": "2/m/ip", "reset_password": "2/m/ip"})
def test_sign_up_and_password_reset_are_limited_with_a_429(client):
    for i in range(2):
        client.post("/accounts/password/reset/", {"email": f"x{i}@test.example"})
    assert client.post("/accounts/password/reset/", {"email": "x@test.example"}).status_code == 429
    data = {"display_name": "A", "profession": "nurse", "password1": "x", "password2": "x"}
    for i in range(2):
        client.post("/accounts/signup/", {**data, "email": f"s{i}@test.example"})
    refused = client.post("/accounts/signup/", {**data, "email": "s9@test.example"})
    assert refused.status_code == 429

"""Sign-up, email verification, login, lockout, sessions and the profile."""

import re
import time

import pytest
from django.core import mail

from home.middleware import SESSION_LAST_SEEN, SESSION_STARTED
from home.models import User
from home.roles import Role, roles_of
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

SIGNUP = {
    "email": "new.person@test.example",
    "display_name": "Nia Newperson",
    "profession": "occupational_therapist",
    "speciality": "Hand therapy",
    "organisation": "Northgate Hospital",
    "password1": "correct horse battery staple",
    "password2": "correct horse battery staple",
}


def _confirm_link(message) -> str:
    match = re.search(r"https?://[^/\s]+(/accounts/confirm-email/[^\s]+/)", message.body)
    assert match, message.body
    return match.group(1)


def test_sign_up_makes_a_trainee_with_a_profile_who_must_verify_their_email(client):
    response = client.post("/accounts/signup/", SIGNUP)
    assert response.status_code == 302
    user = User.objects.get(email=SIGNUP["email"])
    assert roles_of(user) == {Role.TRAINEE}
    assert (user.display_name, user.profession, user.organisation) == (
        "Nia Newperson",
        "occupational_therapist",
        "Northgate Hospital",
    )
    assert len(mail.outbox) == 1
    # Not yet verified: logging in sends them to verify, not to the dashboard.
    client.logout()
    response = client.post(
        "/accounts/login/", {"login": SIGNUP["email"], "password": SIGNUP["password1"]}
    )
    assert "/dashboard/" not in response.headers.get("Location", "")
    assert client.get("/dashboard/").status_code == 302

    link = _confirm_link(mail.outbox[-1])
    assert client.post(link).status_code == 302
    response = client.post(
        "/accounts/login/", {"login": SIGNUP["email"], "password": SIGNUP["password1"]}
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/dashboard/"
    dashboard = client.get("/dashboard/")
    assert dashboard.status_code == 200
    assert b"Welcome, Nia Newperson" in dashboard.content


def test_sign_up_rejects_a_short_password_and_creates_nothing(client):
    data = {**SIGNUP, "password1": "short", "password2": "short"}
    response = client.post("/accounts/signup/", data)
    assert response.status_code == 200
    assert b"at least 12 characters" in response.content
    assert b"There is a problem" in response.content
    assert not User.objects.filter(email=SIGNUP["email"]).exists()


def test_login_does_not_reveal_whether_an_account_exists(client, trainee):
    known = client.post("/accounts/login/", {"login": trainee.email, "password": "wrong-pass-1"})
    unknown = client.post(
        "/accounts/login/", {"login": "nobody@test.example", "password": "wrong-pass-1"}
    )
    assert known.status_code == unknown.status_code == 200

    def errors(r):
        return r.context["form"].non_field_errors()

    assert errors(known) == errors(unknown)


def test_repeated_failures_lock_the_login_with_a_clear_message(client, trainee):
    for _ in range(5):
        client.post("/accounts/login/", {"login": trainee.email, "password": "not-the-password"})
    locked = client.post("/accounts/login/", {"login": trainee.email, "password": PASSWORD})
    assert locked.status_code == 429
    assert b"Too many failed log-in attempts" in locked.content
    assert client.get("/dashboard/").status_code == 302  # not logged in


def test_a_successful_login_before_the_limit_resets_the_count(client, trainee):
    for _ in range(4):
        client.post("/accounts/login/", {"login": trainee.email, "password": "not-the-password"})
    ok = client.post("/accounts/login/", {"login": trainee.email, "password": PASSWORD})
    assert ok.status_code == 302
    assert ok.headers["Location"] == "/dashboard/"


@pytest.mark.parametrize(
    ("key", "age_seconds"),
    [(SESSION_LAST_SEEN, 31 * 60), (SESSION_STARTED, 13 * 3600)],
    ids=["idle-timeout", "absolute-lifetime"],
)
def test_sessions_end_after_idle_time_and_absolute_lifetime(client, trainee, key, age_seconds):
    client.force_login(trainee)
    assert client.get("/dashboard/").status_code == 200
    session = client.session
    now = time.time()
    session[SESSION_STARTED] = now - 60
    session[SESSION_LAST_SEEN] = now - 60
    session[key] = now - age_seconds
    session.save()
    response = client.get("/dashboard/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/accounts/login/")
    assert client.get("/dashboard/").status_code == 302


def test_an_active_session_stays_alive(client, trainee):
    client.force_login(trainee)
    for _ in range(3):
        assert client.get("/dashboard/").status_code == 200


def test_logout_needs_a_post(client, trainee):
    client.force_login(trainee)
    client.get("/accounts/logout/")
    assert client.get("/dashboard/").status_code == 200
    client.post("/accounts/logout/")
    assert client.get("/dashboard/").status_code == 302


def test_owner_edits_their_profile(client, trainee):
    client.force_login(trainee)
    response = client.post(
        "/account/profile/",
        {
            "display_name": "Tara T.",
            "profession": "physiotherapist",
            "speciality": "Musculoskeletal",
            "organisation": "Eastfield Clinic",
            # Fields outside the profile are ignored, whatever the form posts.
            "email": "hijack@test.example",
            "is_superuser": "on",
        },
    )
    assert response.status_code == 302
    trainee.refresh_from_db()
    assert (trainee.display_name, trainee.profession, trainee.organisation) == (
        "Tara T.",
        "physiotherapist",
        "Eastfield Clinic",
    )
    assert trainee.email == "trainee@test.example"
    assert not trainee.is_superuser


def test_profile_needs_a_login(client):
    response = client.get("/account/profile/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("url", ["/_util/login/", "/admin/login/", "/django-admin/login/"])
def test_no_other_login_form_skips_two_factor(client, administrator, url):
    """Found through the fuzzing suite's list of routes: Wagtail's and Django's own login forms
    logged a person who has an authenticator app in with the password alone."""
    from allauth.mfa.models import Authenticator

    assert Authenticator.objects.filter(user=administrator).exists()  # staff are enrolled
    response = client.post(url, {"username": administrator.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/accounts/login/")
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"display_name": "Dr Ada", "first_name": "Ada", "last_name": "Lo"}, "Dr Ada"),
        ({"first_name": "Ada", "last_name": "Lo"}, "Ada Lo"),
        ({"last_name": "Lo"}, "Lo"),
        ({}, "ada@test.example"),
    ],
)
def test_a_name_read_as_values_is_the_name_of_the_account(fields, expected):
    """``User.name_from`` (supervisors' names on the dashboard, read as values) gives what
    ``User.name`` gives for the saved account, through each of its fallbacks."""
    user = User.objects.create(username="ada", email="ada@test.example", **fields)
    values = User.objects.filter(pk=user.pk).values_list(*User.NAME_FIELDS).get()
    assert user.name == expected
    assert User.name_from(*values) == expected

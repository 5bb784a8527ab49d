"""Two-factor login for staff roles, account enumeration, password policy and session ending."""

import pytest
from allauth.mfa.models import Authenticator
from django.contrib.sessions.models import Session
from django.core import mail
from django.test import Client

from home.models import User
from home.roles import Role
from tests.factories import PASSWORD, TOTP_SECRET, make_user, totp_code

pytestmark = pytest.mark.django_db

ACTIVATE = "/accounts/2fa/totp/activate/"


def _login(client, email, password=PASSWORD):
    return client.post("/accounts/login/", {"login": email, "password": password})


@pytest.mark.parametrize(
    ("role", "superuser", "start"),
    [
        (Role.SUPERVISOR, False, "/supervision/"),
        (Role.EDUCATOR, False, "/admin/"),
        (Role.ADMINISTRATOR, True, "/admin/"),
    ],
)
def test_staff_who_have_not_enrolled_reach_only_the_enrolment_page(client, role, superuser, start):
    person = make_user(role, email="staff@test.example", superuser=superuser, enrol_mfa=False)
    client.force_login(person)
    for url in (start, "/dashboard/", "/account/profile/", "/cases/"):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.headers["Location"] == ACTIVATE, url
    page = client.get(ACTIVATE, follow=True)
    assert page.status_code == 200
    assert b"needs two-factor" in page.content
    refused = client.post("/cohorts/join/", {"code": "ANY"})
    assert refused.status_code == 403
    assert b"needs two-factor" in refused.content
    assert client.post("/accounts/logout/").status_code == 302


def test_trainees_may_enrol_but_need_not(client, trainee):
    client.force_login(trainee)
    assert client.get("/dashboard/").status_code == 200
    assert client.get("/accounts/2fa/").status_code == 200


def test_a_supervisor_enrols_through_the_real_flow_and_then_reaches_their_pages(client):
    person = make_user(Role.SUPERVISOR, email="new.sup@test.example", enrol_mfa=False)
    response = _login(client, person.email)
    assert response.status_code == 302
    assert client.get("/supervision/").headers["Location"] == ACTIVATE
    # Straight after logging in, no second password is asked for the first authenticator.
    form_page = client.get(ACTIVATE)
    assert form_page.status_code == 200
    secret = client.session["mfa.totp.secret"]
    wrong = client.post(ACTIVATE, {"code": "000000"})
    assert wrong.status_code == 200
    assert not Authenticator.objects.filter(user=person).exists()
    done = client.post(ACTIVATE, {"code": totp_code(secret)})
    assert done.status_code == 302
    assert Authenticator.objects.filter(user=person, type=Authenticator.Type.TOTP).exists()
    assert client.get("/supervision/").status_code == 200


def test_a_first_authenticator_long_after_login_needs_the_password_again(client):
    person = make_user(Role.SUPERVISOR, email="late@test.example", enrol_mfa=False)
    assert _login(client, person.email).status_code == 302
    session = client.session
    for record in session["account_authentication_methods"]:
        record["at"] -= 3600
    session.save()
    assert client.get(ACTIVATE).headers["Location"].startswith("/accounts/reauthenticate/")
    assert client.post("/accounts/reauthenticate/", {"password": PASSWORD}).status_code == 302
    assert client.get(ACTIVATE).status_code == 200


def test_an_enrolled_supervisor_logs_in_with_password_and_code(client, supervisor):
    first = _login(client, supervisor.email)
    assert first.status_code == 302
    assert first.headers["Location"].startswith("/accounts/2fa/authenticate/")
    assert client.get("/supervision/").status_code == 302  # not in yet
    assert client.post("/accounts/2fa/authenticate/", {"code": "000000"}).status_code == 200
    assert client.get("/supervision/").status_code == 302
    ok = client.post("/accounts/2fa/authenticate/", {"code": totp_code(TOTP_SECRET)})
    assert ok.status_code == 302
    assert client.get("/supervision/").status_code == 200


def test_staff_cannot_remove_their_authenticator_but_a_trainee_can(client, supervisor, trainee):
    client.force_login(supervisor)
    session = client.session
    session["_psycomp_mfa_enrolled"] = True
    session.save()
    # allauth asks for a recent password before removal; give it, then try.
    client.post("/accounts/reauthenticate/", {"password": PASSWORD})
    response = client.post("/accounts/2fa/totp/deactivate/")
    assert response.status_code == 200
    assert Authenticator.objects.filter(user=supervisor, type="totp").exists()

    from allauth.mfa.totp.internal.auth import TOTP

    TOTP.activate(trainee, TOTP_SECRET)
    other = Client()
    other.force_login(trainee)
    other.post("/accounts/reauthenticate/", {"password": PASSWORD})
    assert other.post("/accounts/2fa/totp/deactivate/").status_code == 302
    assert not Authenticator.objects.filter(user=trainee, type="totp").exists()


# ---- Enumeration: the same answer whether or not the account exists --------------------------


def test_password_reset_does_not_reveal_whether_an_account_exists(client, trainee):
    known = client.post("/accounts/password/reset/", {"email": trainee.email})
    unknown = client.post("/accounts/password/reset/", {"email": "nobody@test.example"})
    assert known.status_code == unknown.status_code == 302
    assert known.headers["Location"] == unknown.headers["Location"]
    # The known address gets the reset link; the unknown one is told no account exists, by
    # email only (so only the owner of the address learns it).
    assert [m.to for m in mail.outbox] == [[trainee.email], ["nobody@test.example"]]
    assert "reset" in mail.outbox[0].body.lower()


def test_sign_up_with_a_registered_email_looks_the_same_and_creates_nothing(client, trainee):
    data = {
        "email": trainee.email,
        "display_name": "Someone Else",
        "profession": "nurse",
        "speciality": "",
        "organisation": "",
        "password1": "another long passphrase",
        "password2": "another long passphrase",
    }
    existing = client.post("/accounts/signup/", data)
    fresh = Client().post("/accounts/signup/", {**data, "email": "fresh@test.example"})
    assert existing.status_code == fresh.status_code == 302
    assert existing.headers["Location"] == fresh.headers["Location"]
    assert User.objects.filter(email=trainee.email).count() == 1
    assert User.objects.get(email=trainee.email).display_name == "Tara Trainee"


# ---- Password policy ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("password", "accepted"),
    [
        ("river stone quiet morning", True),  # a passphrase: no composition rules
        ("a" * 3 + " the longest passphrase " * 10, True),  # long is fine (250 characters)
        ("elevenchars", False),  # too short
        ("password1234", False),  # common
        ("qwertyuiop123", False),  # common
        ("nia.newperson", False),  # like the email address
    ],
)
def test_password_policy(client, password, accepted):
    data = {
        "email": "nia.newperson@test.example",
        "display_name": "Nia Newperson",
        "profession": "nurse",
        "speciality": "",
        "organisation": "",
        "password1": password,
        "password2": password,
    }
    response = client.post("/accounts/signup/", data)
    assert User.objects.filter(email=data["email"]).exists() is accepted
    assert response.status_code == (302 if accepted else 200)


# ---- Sessions -----------------------------------------------------------------------------------


def test_login_rotates_the_session_key(client, trainee):
    client.get("/accounts/login/")
    before = client.cookies["sessionid"].value if "sessionid" in client.cookies else None
    client.session.save()
    before = client.session.session_key
    assert _login(client, trainee.email).status_code == 302
    assert client.session.session_key != before


def _two_sessions(person):
    a, b = Client(), Client()
    for c in (a, b):
        assert _login(c, person.email).status_code == 302
        assert c.get("/dashboard/").status_code == 200
    return a, b


def test_changing_the_password_ends_the_other_sessions(trainee):
    a, b = _two_sessions(trainee)
    changed = a.post(
        "/accounts/password/change/",
        {
            "oldpassword": PASSWORD,
            "password1": "a brand new passphrase",
            "password2": "a brand new passphrase",
        },
    )
    assert changed.status_code == 302
    assert b.get("/dashboard/").status_code == 302  # logged out
    assert a.get("/dashboard/").status_code == 200  # the session that changed it stays


def test_resetting_the_password_ends_every_session(trainee):
    import re

    a, b = _two_sessions(trainee)
    Client().post("/accounts/password/reset/", {"email": trainee.email})
    pattern = r"https?://[^/\s]+(/accounts/password/reset/key/[^\s]+/)"
    link = re.search(pattern, mail.outbox[-1].body)
    resetter = Client()
    form = resetter.get(link.group(1), follow=True)
    assert form.status_code == 200
    done = resetter.post(
        form.redirect_chain[-1][0] if form.redirect_chain else link.group(1),
        {"password1": "a brand new passphrase", "password2": "a brand new passphrase"},
    )
    assert done.status_code == 302
    assert a.get("/dashboard/").status_code == 302
    assert b.get("/dashboard/").status_code == 302


def test_deactivating_an_account_ends_its_sessions_at_once(trainee):
    a, b = _two_sessions(trainee)
    keys = {c.session.session_key for c in (a, b)}
    assert Session.objects.filter(session_key__in=keys).count() == 2
    trainee.is_active = False
    trainee.save()
    assert not Session.objects.filter(session_key__in=keys).exists()  # deleted, not only unusable
    trainee.is_active = True
    trainee.save()
    # Ended for good: reactivating the account does not bring the old sessions back.
    assert a.get("/dashboard/").status_code == 302
    assert b.get("/dashboard/").status_code == 302

"""Hardening found by an outside test (issue 18): one password reset path, cohort invite codes
for administrators only, sign-up timing that does not tell whether an address has an account."""

from unittest import mock

import pytest
from django.contrib.auth.hashers import get_hasher
from django.test import Client
from django.urls import reverse

from home.models import AuditEvent, User
from home.roles import Role
from supervision.models import Cohort
from tests.factories import PASSWORD, TOTP_SECRET, make_user, totp_code
from tests.home.test_accounts import SIGNUP

pytestmark = pytest.mark.django_db


def test_wagtails_own_password_reset_is_off(client):
    """allauth's reset has rate limits and answers the same for any address; Wagtail's second
    reset path had neither (25 emails in seconds)."""
    for url in ("/admin/password_reset/", "/admin/password_reset/done/"):
        response = client.get(url)
        assert response.status_code == 404 or (
            response.status_code == 302
            and response.headers["Location"].startswith("/accounts/password/reset/")
        ), url
    assert client.post("/admin/password_reset/", {"email": "a@test.example"}).status_code in (
        302,
        404,
    )
    login = client.get("/admin/login/", follow=True)
    assert login.status_code == 200
    assert b"password_reset" not in login.content


def _sign_up_hashes(client, email) -> int:
    hasher = type(get_hasher())
    real = hasher.encode
    calls = []

    def counting(self, *args, **kwargs):
        calls.append(1)
        return real(self, *args, **kwargs)

    with mock.patch.object(hasher, "encode", counting):
        response = client.post("/accounts/signup/", {**SIGNUP, "email": email})
    assert response.status_code == 302
    return len(calls)


def test_sign_up_hashes_a_password_whether_or_not_the_address_has_an_account(client, trainee):
    """Deterministic stand-in for a timing measurement: the slow step (hashing the password)
    happens the same number of times on both paths, so the answer's timing tells nothing."""
    new = _sign_up_hashes(client, "someone.new@test.example")
    client.logout()
    known = _sign_up_hashes(Client(), trainee.email)
    assert new >= 1
    assert known == new
    assert User.objects.filter(email__iexact=trainee.email).count() == 1


def test_educators_do_not_see_cohort_invite_codes_and_administrators_do(
    client, educator, administrator
):
    cohort = Cohort.objects.create(name="Autumn intake", invite_code="SECRET-CODE-4242")
    client.force_login(educator)
    for url in (reverse("cohort:index"), reverse("cohort:inspect", args=[cohort.pk])):
        response = client.get(url)
        assert response.status_code == 200, url
        assert b"Autumn intake" in response.content
        assert b"SECRET-CODE-4242" not in response.content, url
    assert client.get(reverse("cohort:edit", args=[cohort.pk])).status_code in (302, 403)
    client.force_login(administrator)
    edit = client.get(reverse("cohort:edit", args=[cohort.pk]))
    assert edit.status_code == 200
    assert b"SECRET-CODE-4242" in edit.content


def _wrong_code(client):
    return client.post("/accounts/2fa/authenticate/", {"code": "000000"})


def test_failed_two_factor_codes_are_audited_and_five_lock_the_login(client):
    person = make_user(Role.SUPERVISOR, email="codes@test.example")
    first = client.post("/accounts/login/", {"login": person.email, "password": PASSWORD})
    assert first.headers["Location"].startswith("/accounts/2fa/authenticate/")
    for _ in range(4):
        assert _wrong_code(client).status_code == 200
    assert (
        AuditEvent.objects.filter(
            action=AuditEvent.Action.MFA_FAILED, target_id=str(person.pk)
        ).count()
        == 4
    )
    fifth = _wrong_code(client)
    assert fifth.status_code == 429
    assert b"Too many failed log-in attempts" in fifth.content
    assert AuditEvent.objects.filter(action=AuditEvent.Action.LOCKOUT).exists()
    # Locked: neither the right code nor the right password lets them in now.
    right = client.post("/accounts/2fa/authenticate/", {"code": totp_code(TOTP_SECRET)})
    assert client.get("/supervision/").status_code == 302, right.status_code
    again = Client().post("/accounts/login/", {"login": person.email, "password": PASSWORD})
    assert again.status_code == 429

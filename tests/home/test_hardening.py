"""Hardening found by an outside test (issue 18): one password reset path, cohort invite codes
for administrators only, sign-up timing that does not tell whether an address has an account."""

import pytest

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

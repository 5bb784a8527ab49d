"""Security headers on the public site; the admin is exempt from the CSP only."""

import pytest

pytestmark = pytest.mark.django_db


def test_public_pages_carry_a_strict_csp_and_security_headers(client):
    response = client.get("/accounts/login/")
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "object-src 'none'" in csp
    assert "unsafe-inline" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Frame-Options"] == "DENY"


def test_wagtail_admin_is_exempt_from_the_public_csp(client, educator):
    client.force_login(educator)
    response = client.get("/admin/")
    assert response.status_code == 200
    assert "Content-Security-Policy" not in response.headers
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_every_kind_of_response_carries_the_headers(client, trainee, supervisor):
    """Pages, redirects, errors, downloads and JSON alike: a header missing on an error page or
    a CSV would be enough for a clickjacking or sniffing attack."""
    from home.roles import Role
    from tests.factories import make_user

    responses = {
        "redirect (anonymous to login)": client.get("/dashboard/"),
        "404": client.get("/no-such-page/"),
        "405": client.get("/accounts/logout/", REQUEST_METHOD="PUT"),
    }
    client.force_login(trainee)
    responses |= {
        "page": client.get("/dashboard/"),
        "json download": client.get("/account/my-data.json"),
        "400": client.post("/cohorts/join/", {"code": "WRONG"}),
    }
    client.force_login(supervisor)
    responses |= {
        "csv download": client.get("/supervision/export.csv"),
        "403 (admin door)": client.get("/django-admin/"),
    }
    client.force_login(make_user(Role.SUPERVISOR, email="new@test.example", enrol_mfa=False))
    responses["403 (two-factor first)"] = client.post("/cohorts/join/", {"code": "X"})
    for kind, response in responses.items():
        headers = response.headers
        assert headers.get("X-Content-Type-Options") == "nosniff", kind
        assert headers.get("Referrer-Policy") == "same-origin", kind
        assert headers.get("X-Frame-Options") == "DENY", kind
        if "admin" not in kind:  # the admins are exempt from the public CSP, not from the rest
            assert "frame-ancestors 'none'" in headers.get("Content-Security-Policy", ""), kind
    assert {r.status_code for r in responses.values()} >= {200, 302, 400, 403, 404}


def test_https_responses_carry_hsts_under_production_values(client, settings):
    settings.SECURE_HSTS_SECONDS = 31_536_000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True
    response = client.get("/accounts/login/", secure=True)
    assert response.headers["Strict-Transport-Security"] == (
        "max-age=31536000; includeSubDomains; preload"
    )
    assert "Strict-Transport-Security" not in client.get("/accounts/login/").headers

"""One term for each action across the site ("Log in", "Log out", "Sign up"), one date format,
and a favicon that every page links to and that is really there, the error pages included."""

import datetime
import re
from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.staticfiles import finders
from django.core.exceptions import BadRequest, PermissionDenied
from django.db import OperationalError
from django.http import Http404
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import get_resolver
from django.utils.html import strip_tags

from home.roles import Role
from tests.factories import make_user

pytestmark = pytest.mark.django_db

OTHER_TERMS = re.compile(r"\b(Sign ?In|Signup|Sign Up|Sign ?Out|Log In|Log Out|Login|Logout)\b")


def _text(response) -> str:
    assert response.status_code == 200
    return strip_tags(response.content.decode())


def test_the_account_pages_say_log_in_log_out_and_sign_up(client):
    login = _text(client.get("/accounts/login/"))
    signup = _text(client.get("/accounts/signup/"))
    assert "Log in" in login and "Sign up" in signup
    client.force_login(make_user(Role.TRAINEE, email="t@example.com"))
    logout = _text(client.get("/accounts/logout/"))
    assert "Log out" in logout
    for text in (login, signup, logout):
        assert not OTHER_TERMS.search(text), OTHER_TERMS.search(text).group(0)
        assert not re.search(r"\bsign (in|out)\b", text, re.I)


def test_dates_have_one_format_without_a_leading_zero(settings):
    day = datetime.date(2026, 12, 4)
    assert Template('{{ d|date:"j F Y" }}').render(Context({"d": day})) == "4 December 2026"
    # No template formats a date another way (abbreviated months, leading zeros).
    root = Path(settings.BASE_DIR)
    found = []
    for path in root.glob("*/templates/**/*.html"):
        for fmt in re.findall(r'\|date:"([^"]+)"', path.read_text()):
            if fmt not in {"j F Y", "j F Y, H:i", "j F"}:
                found.append(f"{path.relative_to(root)}: {fmt}")
    assert not found


def test_every_page_links_a_favicon_that_exists(client):
    html = client.get("/accounts/login/").content.decode()
    match = re.search(r'<link rel="icon"[^>]*href="([^"]+)"', html)
    assert match, "no favicon link"
    assert re.search(r"/img/favicon(\.[0-9a-f]+)?\.svg$", match.group(1)), match.group(1)
    assert finders.find("img/favicon.svg"), "the linked favicon is not among the static files"


def _raised(exc: Exception, handler):
    """``handler`` called as Django calls handler500: inside the ``except`` for ``exc``."""
    try:
        raise exc
    except type(exc):
        return handler(RequestFactory().get("/broken/"))


@pytest.mark.parametrize(
    ("status", "render"),
    [
        (400, lambda h, r: h(400)(r, BadRequest("damaged"))),
        (403, lambda h, r: h(403)(r, PermissionDenied())),
        (404, lambda h, r: h(404)(r, Http404())),
        (500, lambda h, r: _raised(ValueError("a bug"), h(500))),
        (503, lambda h, r: _raised(OperationalError("the database is gone"), h(500))),
    ],
)
def test_every_error_page_links_the_favicon_as_every_other_page_does(client, status, render):
    expected = re.search(
        r'<link rel="icon"[^>]*>', client.get("/accounts/login/").content.decode()
    ).group(0)
    resolver = get_resolver()
    request = RequestFactory().get("/nowhere/")
    request.user = AnonymousUser()
    response = render(resolver.resolve_error_handler, request)
    if hasattr(response, "render") and not response.is_rendered:
        response.render()
    assert response.status_code == status
    assert expected in response.content.decode(), status

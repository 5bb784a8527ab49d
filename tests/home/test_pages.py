"""The home page, the error pages and the demo content command."""

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings
from wagtail.models import Page

from home.models import HomePage, User
from supervision.models import SupervisorAssignment

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db):
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115


@pytest.fixture
def shell(db):
    """Only the home page and the demo accounts: enough for the shell, far faster than a course."""
    from home.seed import run

    run(lambda message: None)


def test_seed_demo_builds_the_home_page_and_five_accounts_and_is_idempotent(demo):
    home = HomePage.objects.get()
    assert home.live
    assert home.get_site().is_default_site
    roles = {u.email: set(u.groups.values_list("name", flat=True)) for u in User.objects.all()}
    assert roles == {
        "trainee@example.com": {"Trainees"},
        "trainee2@example.com": {"Trainees"},
        "supervisor@example.com": {"Supervisors"},
        "educator@example.com": {"Educators"},
        "admin@example.com": {"Administrators"},
    }
    assert set(SupervisorAssignment.objects.values_list("supervisor__email", "trainee__email")) == {
        ("supervisor@example.com", "trainee@example.com"),
        ("supervisor@example.com", "trainee2@example.com"),
    }
    # Staff accounts come enrolled in two-factor login with the demo key.
    from allauth.mfa.models import Authenticator

    assert set(Authenticator.objects.values_list("user__email", flat=True)) == {
        "supervisor@example.com",
        "educator@example.com",
        "admin@example.com",
    }

    def snapshot():
        return (
            Page.objects.count(),
            User.objects.count(),
            SupervisorAssignment.objects.count(),
            list(Page.objects.values_list("latest_revision_id", flat=True).order_by("id")),
            list(User.objects.values_list("password", flat=True).order_by("id")),
        )

    before = snapshot()
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert snapshot() == before


@override_settings(ALLOW_DEMO_DATA=False)
def test_seed_demo_refuses_where_demo_data_is_not_allowed():
    with pytest.raises(CommandError, match="local use only"):
        call_command("seed_demo")
    assert not User.objects.exists()


def test_visitors_see_the_competency_and_a_call_to_sign_up(client, shell):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<h1") == 1
    assert "recognise the presence of emotional and social factors" in html
    assert 'href="/accounts/signup/"' in html
    assert 'class="skip-link" href="#main"' in html


def test_logged_in_people_land_on_their_dashboard(client, shell):
    client.force_login(User.objects.get(email="trainee@example.com"))
    response = client.get("/")
    assert response.status_code == 302
    assert response.headers["Location"] == "/dashboard/"


def test_unknown_pages_get_the_friendly_404(client, shell):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert b"Page not found" in response.content
    assert b"skip-link" in response.content


def test_server_errors_get_the_friendly_500(client):
    from home.views import server_error

    response = server_error(None)
    assert response.status_code == 500
    assert b"Something went wrong" in response.content


def test_demo_accounts_command_lists_every_role(capsys):
    from io import StringIO

    out = StringIO()
    call_command("demo_accounts", stdout=out)
    text = out.getvalue()
    for email in ("trainee@", "supervisor@", "educator@", "admin@"):
        assert email in text
    assert "two-factor" in text


def test_the_demo_code_is_the_one_an_authenticator_app_shows_for_the_demo_key():
    from allauth.mfa.totp.internal.auth import validate_totp_code

    from home.demo import DEMO_TOTP_SECRET
    from home.management.commands.demo_accounts import demo_totp_code

    assert validate_totp_code(DEMO_TOTP_SECRET, demo_totp_code())
    assert demo_totp_code(now=0) != demo_totp_code(now=30)

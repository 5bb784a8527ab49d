"""Browser fixtures: a live server with the demo site built, and an axe-core scan."""

import re
import time
from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.management import call_command

from home.demo import DEMO_ACCOUNTS
from supervision import services as supervision_services

AXE_SOURCE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

# The first demo account of each role (the demo has a second trainee, who is ready).
ACCOUNTS = {}
for spec in DEMO_ACCOUNTS:
    ACCOUNTS.setdefault(spec["role"].value, spec)


@pytest.fixture
def demo_site(transactional_db, live_server):
    """The demo content behind a live server. Transactional: the server thread must see it."""
    with open("/dev/null", "w") as devnull:
        call_command("seed_demo", stdout=devnull)
    return live_server


@pytest.fixture
def shell_site(transactional_db, live_server):
    """Only the site shell: home page, the demo accounts and the supervision link. Much
    faster than the whole course, for tests that do not need it."""
    from home.models import User
    from home.seed import run as home_seed

    home_seed(lambda message: None)

    supervision_services.supervisor_assign(
        supervisor=User.objects.get(email="supervisor@example.com"),
        trainee=User.objects.get(email="trainee@example.com"),
    )
    return live_server


@pytest.fixture
def newcomer(demo_site):
    """A trainee with nothing done yet, on the demo site: the demo's own trainees come with
    weeks of history (``supervision.demo_history``), so journeys that start from nothing use
    this account instead."""
    from home.roles import Role
    from tests.factories import PASSWORD, make_user

    make_user(Role.TRAINEE, email="newcomer@test.example", display_name="Nia Newcomer")
    return {"email": "newcomer@test.example", "password": PASSWORD}


@pytest.fixture
def page(page):
    page.set_default_timeout(10_000)
    return page


def axe_violations(page, minimum=("serious", "critical")):
    """Run axe-core on the page as it is now; return the violations at or above ``minimum``."""
    page.evaluate(AXE_SOURCE.read_text())
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})",
        AXE_TAGS,
    )
    return [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "nodes": [n["target"] for n in v["nodes"]][:5],
        }
        for v in result["violations"]
        if v["impact"] in minimum
    ]


def current_totp_code(email: str) -> str:
    """The current code of the person's authenticator, as their phone would show it."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.utils import decrypt

    from tests.factories import totp_code

    authenticator = Authenticator.objects.get(user__email=email, type=Authenticator.Type.TOTP)
    # A code is accepted once: forget codes used earlier in this 30-second window by other logins.
    cache.clear()
    # A code read in the last seconds of its window may arrive in the next one, where it is no
    # longer accepted: wait for a fresh window instead.
    remaining = 30 - time.time() % 30
    if remaining < 5:
        time.sleep(remaining + 0.1)
    return totp_code(decrypt(authenticator.data["secret"]))


def log_in(page, base_url: str, email: str, password: str) -> None:
    """Log in through the real form; staff accounts then give their two-factor code."""
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label(re.compile("Email", re.I)).fill(email)
    page.get_by_label(re.compile("Password", re.I)).fill(password)
    page.get_by_role("button", name=re.compile("^Log in$", re.I)).click()
    page.wait_for_load_state()
    if "/accounts/2fa/authenticate/" in page.url:
        page.get_by_label(re.compile("code", re.I)).fill(current_totp_code(email))
        page.get_by_role("button", name=re.compile("^(Log in|Verify|Continue)$", re.I)).click()
        page.wait_for_load_state()

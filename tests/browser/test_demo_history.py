"""The demo as a person exploring it finds it (``supervision.demo_history``), in Debian's
Chromium: the supervisor's box with Jonah's request, Tamsin's page with her "not yet", shared
reflection and request to be observed; Tamsin's dashboard and record; the STarT Back screen of
a case; a missing page. Every table that scrolls is a region the keyboard reaches. axe on every
page; screenshots at 1280 px and 375 px in test-results/demo-history/."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from cases.models import CaseVignettePage
from cases.services import graph_of_page
from home.models import User
from tests.browser.conftest import ACCOUNTS, axe_violations, log_in
from tests.cases.conftest import play_best

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SHOTS = Path(__file__).resolve().parents[2] / "test-results" / "demo-history"


def _check(page, name: str) -> None:
    """axe, then screenshots at a desktop's width and a phone's; nothing scrolls sideways."""
    assert axe_violations(page) == [], name
    SHOTS.mkdir(parents=True, exist_ok=True)
    for width in (1280, 375):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=SHOTS / f"{name}-{width}.png", full_page=True)
        wide = page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
        assert not wide, f"{name} scrolls sideways at {width} px"
    page.set_viewport_size({"width": 1280, "height": 900})


def _regions_reached_by_tab(page) -> None:
    """Every .table-wrap on the page is a named region, and Tab reaches each one shown (a table
    inside a closed <details> is reached once it is opened)."""
    wraps = page.locator(".table-wrap")
    shown = set()
    for i in range(wraps.count()):
        wrap = wraps.nth(i)
        name = wrap.evaluate(
            "el => el.getAttribute('aria-label') || "
            "(document.getElementById(el.getAttribute('aria-labelledby')) || {}).textContent"
        )
        assert wrap.get_attribute("role") == "region" and (name or "").strip()
        if wrap.is_visible():
            shown.add(wrap.get_attribute("aria-labelledby"))
    assert shown
    page.locator("body").focus()
    reached = set()
    for _ in range(300):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('table-wrap')"):
            reached.add(page.evaluate("document.activeElement.getAttribute('aria-labelledby')"))
        if reached == shown:
            break
    assert reached == shown


def test_the_demo_shows_a_platform_in_use(page, demo_site):
    base = demo_site.url
    tamsin = User.objects.get(email="trainee@example.com")
    jonah = User.objects.get(email="trainee2@example.com")
    supervisor = ACCOUNTS["Supervisors"]
    log_in(page, base, supervisor["email"], supervisor["password"])

    page.goto(base + "/supervision/")
    expect(page.get_by_role("region", name="Asked for sign-off")).to_contain_text("Jonah Mensah")
    _check(page, "supervisor-dashboard")

    page.goto(f"{base}/supervision/trainees/{tamsin.pk}/")
    expect(page.locator("main")).to_contain_text("asked you to observe them")
    expect(page.locator("main")).to_contain_text("Not yet")
    _check(page, "supervisor-tamsin")
    _regions_reached_by_tab(page)

    page.goto(f"{base}/supervision/trainees/{jonah.pk}/")
    expect(page.locator("main")).to_contain_text("asked on")
    _check(page, "supervisor-jonah")
    page.get_by_role("button", name=re.compile("Log out")).click()

    trainee = ACCOUNTS["Trainees"]
    log_in(page, base, trainee["email"], trainee["password"])
    page.goto(base + "/dashboard/")
    expect(page.locator("main")).to_contain_text("Not yet")
    _check(page, "tamsin-dashboard")
    page.goto(base + "/dashboard/record/")
    _check(page, "tamsin-record")
    _regions_reached_by_tab(page)

    # The STarT Back screen of the back pain case, reached through the services by the best
    # route: item 9 with its own answers and the points each adds.
    case = next(
        c
        for c in CaseVignettePage.objects.live().specific()
        if any(n.kind == "screen" and n.instrument == "start_back" for n in graph_of_page(c).nodes)
    )
    screen = next(n.id for n in graph_of_page(case).nodes if n.instrument == "start_back")
    play_best(trainee=tamsin, vignette=case, stop_at=screen)
    page.goto(base + case.url)
    page.get_by_role("link", name="Resume the case").click()
    ninth = page.locator("fieldset.instrument-item").nth(8)
    expect(ninth.locator("legend")).to_contain_text("how much has the back pain bothered")
    expect(ninth).to_contain_text("Moderately (0)")
    expect(ninth).to_contain_text("Extremely (1)")
    _check(page, "case-start-back-screen")

    page.goto(base + "/no-such-page/")
    expect(page.locator("link[rel=icon]")).to_have_count(1)
    _check(page, "not-found")

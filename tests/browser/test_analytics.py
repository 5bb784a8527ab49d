"""An educator reads a quiz's item analysis in the Wagtail admin: the whole-quiz figures, the
table per question, a flag with its reason and the distractor table; a cohort report and the
routes through a case at 1280 and 375 px (no sideways scrolling of the page, wide tables in
their own box; screenshots in the temp directory); axe on each page."""

import contextlib
import datetime
import tempfile
from pathlib import Path

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from playwright.sync_api import expect

from cases.models import CaseVignettePage
from home.roles import Role
from supervision.models import Cohort, CohortMembership
from tests.analytics.test_quiz_statistics import mixed, take
from tests.assessments.conftest import build_quiz
from tests.browser.conftest import ACCOUNTS, axe_violations, log_in
from tests.cases.conftest import build_case, play_best
from tests.factories import make_user

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_educator_reads_the_quiz_statistics(page, shell_site):
    quiz = build_quiz()
    for n in range(6):
        take(quiz, make_user(Role.TRAINEE, email=f"stats{n}@test.example"), mixed(n))
    account = ACCOUNTS["Educators"]
    log_in(page, shell_site.url, account["email"], account["password"])
    page.goto(f"{shell_site.url}/admin/")
    page.get_by_role("link", name="Quiz statistics").click()
    page.get_by_role("link", name=quiz.title).click()
    expect(page.get_by_role("heading", name="The quiz as a whole")).to_be_visible()
    expect(page.get_by_role("row", name="Attempts analysed 6")).to_be_visible()
    expect(page.get_by_text("Each trainee's first attempt")).to_be_visible()
    page.get_by_role("link", name="Every attempt").click()
    expect(page.get_by_text("Every attempt", exact=True)).to_have_attribute("aria-current", "page")
    expect(page.get_by_role("table", name="Who chose each option").first).to_be_visible()
    assert axe_violations(page) == []
    page.set_viewport_size({"width": 375, "height": 800})
    wide = page.get_by_role("region", name="Figures for each question")
    assert wide.evaluate("el => el.scrollWidth > el.clientWidth")  # it scrolls in its own box
    assert axe_violations(page) == []


SHOTS = Path(tempfile.gettempdir())
WIDE, NARROW = {"width": 1280, "height": 900}, {"width": 375, "height": 812}
NO_SIDEWAYS_SCROLL = "() => document.documentElement.scrollWidth <= window.innerWidth"
# Captions of tables that run past the window's right edge, other than inside a box of their own
# that scrolls (the admin's layout clips them: their last columns would be out of reach).
CLIPPED_TABLES = """() => [...document.querySelectorAll('main table')]
  .filter(t => (t.closest('[role=region]') || t).getBoundingClientRect().right > innerWidth + 1)
  .map(t => t.caption ? t.caption.textContent.trim() : t.outerHTML.slice(0, 80))"""


def clipped_tables(page) -> list[str]:
    """``CLIPPED_TABLES`` once the layout has settled (the sidebar folds away after a resize)."""
    with contextlib.suppress(PlaywrightTimeoutError):
        page.wait_for_function(f"() => ({CLIPPED_TABLES})().length === 0", timeout=5000)
    return page.evaluate(CLIPPED_TABLES)


def test_educator_reads_a_cohort_report(page, shell_site):
    case = CaseVignettePage.objects.get(pk=build_case().pk)
    cohort = Cohort.objects.create(name="Autumn intake", starts_on=datetime.date(2026, 5, 4))
    for n in range(3):
        person = make_user(Role.TRAINEE, email=f"cohort{n}@test.example", display_name=f"Cai {n}")
        CohortMembership.objects.create(cohort=cohort, trainee=person)
        if n:
            play_best(trainee=person, vignette=case)
    account = ACCOUNTS["Educators"]
    log_in(page, shell_site.url, account["email"], account["password"])
    page.set_viewport_size(WIDE)
    page.goto(f"{shell_site.url}/admin/")
    page.get_by_role("link", name="Cohort reports").click()
    page.get_by_role("link", name="Autumn intake").click()
    funnel = page.get_by_role("table", name="Trainees at each step towards a competent sign-off")
    expect(funnel.get_by_role("row", name="Joined the cohort 3 100%")).to_be_visible()
    expect(funnel.get_by_role("row", name="Played a case 2 67%")).to_be_visible()
    mastery = page.get_by_role("table", name="Trainees at mastery of each element")
    expect(mastery.get_by_role("columnheader", name="May 2026")).to_be_visible()
    inactive = page.get_by_role("table", name="Inactive trainees, the longest inactive first")
    expect(inactive.get_by_role("row", name="Cai 0 Nothing recorded yet")).to_be_visible()
    expect(inactive.get_by_text("Cai 1")).to_have_count(0)  # active: not listed
    assert axe_violations(page) == []
    page.screenshot(path=SHOTS / "cohort-report-1280.png", full_page=True)
    mastery.scroll_into_view_if_needed()
    page.screenshot(path=SHOTS / "cohort-report-1280-mastery.png")
    page.set_viewport_size(NARROW)
    assert page.evaluate(NO_SIDEWAYS_SCROLL)
    assert clipped_tables(page) == []
    region = page.get_by_role("region", name="Trainees at mastery of each element")
    assert region.evaluate("el => el.scrollWidth > el.clientWidth")  # it scrolls in its box
    assert axe_violations(page) == []
    page.screenshot(path=SHOTS / "cohort-report-375.png", full_page=True)
    region.scroll_into_view_if_needed()
    page.screenshot(path=SHOTS / "cohort-report-375-mastery.png")

    # The routes through the case the trainees played, at both widths.
    page.set_viewport_size(WIDE)
    page.get_by_role("link", name="Routes through cases").first.click()
    page.get_by_role("link", name=case.title).click()
    expect(page.get_by_role("img", name=f"Map of {case.title} by traffic")).to_be_visible()
    assert axe_violations(page) == []
    page.screenshot(path=SHOTS / "case-routes-1280.png", full_page=True)
    page.set_viewport_size(NARROW)
    assert page.evaluate(NO_SIDEWAYS_SCROLL)
    assert clipped_tables(page) == []
    assert axe_violations(page) == []
    page.screenshot(path=SHOTS / "case-routes-375.png", full_page=True)
    page.get_by_role("region", name="Plays that reached each node").scroll_into_view_if_needed()
    page.screenshot(path=SHOTS / "case-routes-375-nodes.png")


def test_supervisor_reads_their_own_trainees_cohort_figures(page, shell_site):
    from home.models import User
    from supervision import services as supervision_services

    account = ACCOUNTS["Supervisors"]
    supervisor = User.objects.get(email=account["email"])
    cohort = Cohort.objects.create(name="Winter intake", starts_on=datetime.date(2026, 9, 7))
    for n, theirs in enumerate((True, True, False)):
        person = make_user(Role.TRAINEE, email=f"winter{n}@test.example", display_name=f"Wyn {n}")
        CohortMembership.objects.create(cohort=cohort, trainee=person)
        if theirs:
            supervision_services.supervisor_assign(supervisor=supervisor, trainee=person)
    log_in(page, shell_site.url, account["email"], account["password"])
    page.set_viewport_size(WIDE)
    page.goto(f"{shell_site.url}/supervision/")
    page.get_by_role("navigation").get_by_role("link", name="Cohorts").click()
    expect(page.get_by_role("link", name="Cohorts")).to_have_attribute("aria-current", "page")
    page.get_by_role("link", name="Winter intake").click()
    expect(page.get_by_text("the 2 trainees you supervise in Winter intake")).to_be_visible()
    funnel = page.get_by_role("table", name="Trainees at each step towards a competent sign-off")
    expect(funnel.get_by_role("row", name="Joined the cohort 2 100%")).to_be_visible()
    inactive = page.get_by_role("table", name="Inactive trainees, the longest inactive first")
    expect(inactive.get_by_text("Wyn 0")).to_be_visible()
    expect(page.get_by_text("Wyn 2")).to_have_count(0)  # not theirs: never named
    assert axe_violations(page) == []
    page.screenshot(path=SHOTS / "supervisor-cohort-1280.png", full_page=True)
    page.set_viewport_size(NARROW)
    assert page.evaluate(NO_SIDEWAYS_SCROLL)
    assert axe_violations(page) == []
    page.screenshot(path=SHOTS / "supervisor-cohort-375.png", full_page=True)

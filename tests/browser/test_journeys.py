"""Every role's journey through the site shell in Debian's Chromium, and axe on every page type."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from tests.browser.conftest import ACCOUNTS, axe_violations, log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_visitor_signs_up_verifies_logs_out_and_back_in(page, shell_site):
    base = shell_site.url
    page.goto(base + "/")
    page.get_by_role("link", name="Sign up as a trainee").click()
    page.get_by_label("Email").fill("journey@test.example")
    page.get_by_label("Your name").fill("Jo Journey")
    page.get_by_label("Profession").select_option("speech_and_language_therapist")
    page.get_by_label("Organisation").fill("Hillside Trust")
    page.get_by_label("Password", exact=False).first.fill("listening to the whole person")
    page.get_by_label(re.compile("Password \\(again\\)", re.I)).fill(
        "listening to the whole person"
    )
    page.get_by_role("button", name=re.compile("Sign up", re.I)).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(re.compile("Verify", re.I))

    # Follow the link in the verification email, as the person would.
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", mail.outbox[-1].body).group(0)
    page.goto(base + "/accounts/confirm-email/" + link.split("/accounts/confirm-email/")[1])
    page.get_by_role("button", name=re.compile("Confirm", re.I)).click()

    log_in(page, base, "journey@test.example", "listening to the whole person")
    expect(page).to_have_url(base + "/dashboard/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome, Jo Journey")

    page.get_by_role("button", name="Log out").click()
    nav = page.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link", name="Log in")).to_be_visible()

    log_in(page, base, "journey@test.example", "listening to the whole person")
    expect(page).to_have_url(base + "/dashboard/")
    expect(page.get_by_role("heading", name="Your progress")).to_be_visible()


def test_sign_up_errors_are_summarised_and_linked_to_their_fields(page, shell_site):
    page.goto(shell_site.url + "/accounts/signup/")
    page.get_by_label("Email").fill("not-an-email")
    page.get_by_role("button", name=re.compile("Sign up", re.I)).click()
    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    summary.get_by_role("link").first.click()
    expect(page.locator("#id_email")).to_be_focused()
    assert axe_violations(page) == []


def test_educator_reaches_the_wagtail_admin(page, shell_site):
    educator = ACCOUNTS["Educators"]
    log_in(page, shell_site.url, educator["email"], educator["password"])
    page.get_by_role("link", name="Authoring").first.click()
    expect(page).to_have_url(re.compile(r"/admin/$"))
    expect(page.locator("body")).to_contain_text("Pages")


@pytest.mark.parametrize("role", ["Trainees", "Supervisors"])
def test_trainees_and_supervisors_are_refused_by_the_admin(page, shell_site, role):
    account = ACCOUNTS[role]
    log_in(page, shell_site.url, account["email"], account["password"])
    expect(page.get_by_role("link", name="Authoring")).to_have_count(0)
    response = page.goto(shell_site.url + "/admin/")
    assert response.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text("This area is not available to you")


def test_supervisor_sees_their_trainee(page, shell_site):
    supervisor = ACCOUNTS["Supervisors"]
    log_in(page, shell_site.url, supervisor["email"], supervisor["password"])
    table = page.get_by_role("table", name="Trainees assigned to you now")
    expect(table).to_contain_text(ACCOUNTS["Trainees"]["display_name"])


ANONYMOUS_PAGES = [
    "/",
    "/accounts/login/",
    "/accounts/signup/",
    "/accounts/password/reset/",
    "/no-such-page/",
]
TRAINEE_PAGES = [
    "/dashboard/",
    "/account/profile/",
    "/accounts/password/change/",
    "/accounts/email/",
]


def test_axe_finds_no_serious_violations_on_public_pages(page, shell_site):
    found = {}
    for path in ANONYMOUS_PAGES:
        page.goto(shell_site.url + path)
        assert page.locator("h1").count() == 1, path
        found[path] = axe_violations(page)
    trainee = ACCOUNTS["Trainees"]
    log_in(page, shell_site.url, trainee["email"], trainee["password"])
    for path in TRAINEE_PAGES:
        page.goto(shell_site.url + path)
        assert page.locator("h1").count() == 1, path
        found[path] = axe_violations(page)
    supervisor = ACCOUNTS["Supervisors"]
    page.get_by_role("button", name="Log out").click()
    log_in(page, shell_site.url, supervisor["email"], supervisor["password"])
    found["/dashboard/ (supervisor)"] = axe_violations(page)
    assert {path: v for path, v in found.items() if v} == {}


def test_skip_link_is_the_first_tab_stop_and_moves_focus_to_main(page, shell_site):
    page.goto(shell_site.url + "/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()


def test_pages_fit_a_320_pixel_screen_without_sideways_scrolling(page, shell_site):
    page.set_viewport_size({"width": 320, "height": 640})
    for path in ["/", "/accounts/signup/"]:
        page.goto(shell_site.url + path)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, (path, overflow)


def test_a_new_supervisor_enrols_in_two_factor_login_by_keyboard(page, shell_site):
    """The code page after the password, and the enrolment page a new staff member is held on,
    are usable and clean under axe."""
    from allauth.mfa.models import Authenticator

    from home.roles import Role
    from tests.factories import PASSWORD, make_user, totp_code

    make_user(Role.SUPERVISOR, email="fresh@test.example", enrol_mfa=False)
    log_in(page, shell_site.url, "fresh@test.example", PASSWORD)
    expect(page).to_have_url(re.compile(r"/accounts/2fa/totp/activate/$"))
    expect(page.locator("body")).to_contain_text("needs two-factor login")
    assert axe_violations(page) == []
    page.goto(shell_site.url + "/supervision/")  # held on the enrolment page
    expect(page).to_have_url(re.compile(r"/accounts/2fa/totp/activate/$"))
    secret = page.get_by_label(re.compile("secret", re.I)).input_value()
    code = page.get_by_label(re.compile("Authenticator code", re.I))
    code.focus()
    page.keyboard.type(totp_code(secret))
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/accounts/2fa/recovery-codes/"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Recovery Codes")
    assert Authenticator.objects.filter(user__email="fresh@test.example").exists()
    assert axe_violations(page) == []  # the recovery codes shown next
    page.goto(shell_site.url + "/supervision/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert "/accounts/2fa/" not in page.url

    # Next time: password, then the code page.
    page.context.clear_cookies()
    page.goto(shell_site.url + "/accounts/login/")
    page.get_by_label(re.compile("Email", re.I)).fill("fresh@test.example")
    page.get_by_label(re.compile("Password", re.I)).fill(PASSWORD)
    page.get_by_role("button", name=re.compile("^Log in$", re.I)).click()
    expect(page).to_have_url(re.compile(r"/accounts/2fa/authenticate/"))
    assert axe_violations(page) == []

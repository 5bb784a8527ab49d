"""Sign-off in Debian's Chromium: a ready trainee asks for sign-off; the supervisor reviews the
evidence, opens a case's decision path, confirms their password and signs off at level 3 with
feedback; the trainee reads it and opens the certificate; the public page confirms it. axe on
every supervisor page and on the trainee's and public pages."""

import re

import pytest
from playwright.sync_api import expect

from assessments.models import MasteryPolicy
from cases.models import CaseVignettePage
from curriculum.models import LessonPage
from curriculum.services import lesson_complete
from home.models import User
from supervision.models import SignOffRecord
from tests.browser.conftest import ACCOUNTS, axe_violations, log_in
from tests.cases.conftest import build_case, play_best
from tests.curriculum.conftest import build_course

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def ready_trainee(shell_site):
    """The demo trainee, with one case played well and every lesson done, under a policy that
    one case in one setting satisfies."""
    policy = MasteryPolicy.load()
    policy.min_items, policy.min_settings, policy.threshold_percent = 1, 1, 50
    policy.save()
    build_course(modules=1, lessons_per_module=1)
    case = CaseVignettePage.objects.get(pk=build_case().pk)  # as published
    trainee = User.objects.get(email=ACCOUNTS["Trainees"]["email"])
    for lesson in LessonPage.objects.live():
        lesson_complete(user=trainee, lesson=lesson)
    attempt, _ = play_best(trainee=trainee, vignette=case)
    return shell_site, trainee, attempt


def test_request_review_sign_off_certificate_and_public_check(page, ready_trainee):
    site, trainee, _attempt = ready_trainee
    base = site.url
    log_in(page, base, trainee.email, ACCOUNTS["Trainees"]["password"])
    page.get_by_role("button", name="Request sign-off").click()
    expect(page.get_by_text(re.compile("request for sign-off has been sent"))).to_be_visible()
    page.get_by_role("button", name="Log out").click()

    supervisor = ACCOUNTS["Supervisors"]
    log_in(page, base, supervisor["email"], supervisor["password"])
    page.goto(base + "/supervision/")
    expect(page.get_by_role("heading", name="Asked for sign-off")).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_role("link", name=trainee.name).first.click()
    expect(page.get_by_role("heading", name=trainee.name, level=1)).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_role("link", name=re.compile("Walter after a fall")).first.click()
    expect(page.get_by_text("Screen his mood").first).to_be_visible()
    assert axe_violations(page) == []
    page.go_back()
    page.get_by_role("link", name="Record a sign-off decision").click()
    assert axe_violations(page) == []
    page.get_by_role("link", name="confirm your password").click()
    assert axe_violations(page) == []
    page.get_by_label("Password").fill(supervisor["password"])
    page.get_by_role("button", name="Confirm").click()
    page.get_by_label("Competent", exact=True).check()
    page.get_by_label(re.compile("3 · Act under indirect supervision")).check()
    page.get_by_label("Feedback").fill(
        "Finds the social story every time and matches the help to it."
    )
    page.get_by_role("button", name="Record the decision").click()
    expect(page.get_by_text("Sign-off recorded: Competent.")).to_be_visible()
    record = SignOffRecord.objects.get()
    assert record.level == 3 and record.snapshot["ready"] is True
    page.get_by_role("button", name="Log out").click()

    log_in(page, base, trainee.email, ACCOUNTS["Trainees"]["password"])
    page.goto(base + "/dashboard/sign-offs/")
    expect(page.get_by_text("Finds the social story")).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_role("link", name=re.compile("Certificate for")).click()
    expect(page.get_by_text(record.verification_code, exact=True)).to_be_visible()
    assert axe_violations(page) == []
    page.locator(f'a[href="/verify/{record.verification_code}/"]').click()
    expect(page.get_by_text("Valid", exact=True)).to_be_visible()
    expect(page.get_by_text("3 · Act under indirect supervision")).to_be_visible()
    assert axe_violations(page) == []

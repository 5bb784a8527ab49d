"""Sign-off in Debian's Chromium: a ready trainee asks for sign-off; the supervisor reviews the
evidence, opens a case's decision path and signs off at level 3 with feedback, confirming their
password in the same form; the trainee reads it and opens the certificate; the public page
confirms it. And the loop after a "not yet": a request with a message, the decision with next
steps, the dashboard showing the outcome, new evidence, a second request. axe on every
supervisor page and on the trainee's and public pages."""

import re

import pytest
from playwright.sync_api import expect

from assessments.models import MasteryPolicy
from cases.models import CaseVignettePage
from curriculum.models import LessonPage
from curriculum.services import lesson_complete
from home.models import User
from supervision.models import SignOffRecord, SignOffRequest
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
    page.get_by_label("Competent", exact=True).check()
    page.get_by_label(re.compile("3 · Act under indirect supervision")).check()
    page.get_by_label("Feedback").fill(
        "Finds the social story every time and matches the help to it."
    )
    page.get_by_label("Your password").fill(supervisor["password"])  # in the same form
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


def test_not_yet_with_next_steps_new_evidence_and_a_second_request(page, ready_trainee):
    site, trainee, _attempt = ready_trainee
    base = site.url
    trainee_password = ACCOUNTS["Trainees"]["password"]
    log_in(page, base, trainee.email, trainee_password)
    page.get_by_label("A message for your supervisors (optional)").fill(
        "I would like you to look at how I asked about his evenings."
    )
    page.get_by_role("button", name="Request sign-off").click()
    expect(page.get_by_text(re.compile("request for sign-off has been sent"))).to_be_visible()
    expect(page.get_by_role("button", name="Withdraw my request")).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_role("button", name="Log out").click()

    supervisor = ACCOUNTS["Supervisors"]
    log_in(page, base, supervisor["email"], supervisor["password"])
    page.goto(f"{base}/supervision/trainees/{trainee.pk}/")
    expect(page.get_by_text(re.compile("how I asked about his evenings")).first).to_be_visible()
    page.get_by_role("link", name="Record a sign-off decision").click()
    expect(page.get_by_role("heading", name="Their request")).to_be_visible()
    page.get_by_label("Not yet competent", exact=True).check()
    page.get_by_label(re.compile("2 · Act under direct supervision")).check()
    page.get_by_label("Feedback").fill("Asks about home; not yet about work.")
    page.get_by_label("Next steps").fill("Play the case again and ask about work.")
    page.get_by_label("Your password").fill("not my password")
    page.get_by_role("button", name="Record the decision").click()
    # A wrong password: the form comes back with the work in it.
    expect(page.get_by_text("That password or code is not right.").first).to_be_visible()
    expect(page.get_by_label("Feedback")).to_have_value("Asks about home; not yet about work.")
    assert axe_violations(page) == []
    page.get_by_label("Your password").fill(supervisor["password"])
    page.get_by_role("button", name="Record the decision").click()
    expect(page.get_by_text("Sign-off recorded: Not yet competent.")).to_be_visible()
    page.get_by_role("button", name="Log out").click()

    log_in(page, base, trainee.email, trainee_password)
    expect(page.get_by_role("heading", name="Not yet competent")).to_be_visible()
    expect(page.get_by_text("Play the case again and ask about work.")).to_be_visible()
    expect(
        page.get_by_text(re.compile("You can ask again once you have new evidence"))
    ).to_be_visible()
    expect(page.get_by_role("button", name="Request sign-off")).to_have_count(0)
    assert axe_violations(page) == []

    case = CaseVignettePage.objects.live().first()
    play_best(trainee=trainee, vignette=case)  # new evidence since the decision
    page.reload()
    expect(
        page.get_by_text(re.compile("You have new evidence since that decision"))
    ).to_be_visible()
    page.get_by_label("A message for your supervisors (optional)").fill("Played it again.")
    page.get_by_role("button", name="Request sign-off").click()
    expect(page.get_by_text(re.compile("request for sign-off has been sent"))).to_be_visible()
    assert axe_violations(page) == []
    assert SignOffRequest.objects.filter(trainee=trainee, status="open").get().message == (
        "Played it again."
    )
    assert SignOffRequest.objects.filter(trainee=trainee, status="decided").count() == 1

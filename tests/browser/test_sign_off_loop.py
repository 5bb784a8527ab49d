"""The whole sign-off loop in Debian's Chromium, under a policy that asks two supervisors who
must both agree: a request; "not yet" with next steps (one "not yet" closes the request); new
evidence and a second request; "competent" from the first supervisor (the request stays open,
"1 of 2 supervisors has decided" on both sides) and from the second (the certificate names both
and the rule); a revocation by the second; new evidence and a third request; and an observation
asked for and recorded. axe on every page; screenshots at 1280 and 375 px of the pages that
changed, beside the observation tests' (``psycomp-sign-off-*.png`` in the temporary folder)."""

import re
import tempfile
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from assessments.models import MasteryPolicy, Observation
from cases.models import CaseVignettePage
from home.models import User
from home.roles import Role
from supervision import services as supervision_services
from supervision.models import ObservationRequest, SignOffRecord, SignOffRequest
from tests.browser.conftest import ACCOUNTS, axe_violations, log_in
from tests.browser.test_supervision import ready_trainee  # noqa: F401  (a fixture)
from tests.cases.conftest import play_best
from tests.factories import PASSWORD, make_user

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SHOTS = Path(tempfile.gettempdir()) / "psycomp-sign-off"
TRAINEE = ACCOUNTS["Trainees"]
LEAD = ACCOUNTS["Supervisors"]
SECOND = {"email": "second.supervisor@example.com", "password": PASSWORD, "name": "Omar Other"}


def _checked(page, name: str | None = None) -> None:
    """axe finds nothing serious or critical; with ``name``, screenshots at 375 and 1280 px."""
    assert axe_violations(page) == []
    if name:
        for width in (375, 1280):
            page.set_viewport_size({"width": width, "height": 900})
            page.screenshot(path=f"{SHOTS}-{name}-{width}.png", full_page=True)


def _as(page, base, who: dict) -> None:
    if page.get_by_role("button", name="Log out").count():
        page.get_by_role("button", name="Log out").click()
    log_in(page, base, who["email"], who["password"])


def _ask(page, base, message: str) -> None:
    page.goto(base + "/dashboard/")
    page.get_by_label("A message for your supervisors (optional)").fill(message)
    page.get_by_role("button", name="Request sign-off").click()
    expect(page.get_by_text(re.compile("request for sign-off has been sent"))).to_be_visible()


def _decide(page, base, trainee, supervisor: dict, decision: str, level: str, **text) -> None:
    page.goto(f"{base}/supervision/trainees/{trainee.pk}/sign-off/")
    expect(page.get_by_role("heading", name="Their request")).to_be_visible()
    _checked(page, text.pop("shot", None))
    page.get_by_label(decision, exact=True).check()
    page.get_by_label(re.compile(level)).check()
    for label, value in text.items():
        page.get_by_label(label.replace("_", " ").capitalize()).fill(value)
    page.get_by_label("Your password").fill(supervisor["password"])
    page.get_by_role("button", name="Record the decision").click()
    expect(page.get_by_text(f"Sign-off recorded: {decision}.")).to_be_visible()


def test_the_whole_loop_with_two_supervisors_who_must_agree(page, ready_trainee):  # noqa: F811
    site, trainee, _attempt = ready_trainee
    base = site.url
    policy = MasteryPolicy.load()
    policy.supervisors_needed, policy.sign_off_rule = 2, "all_agree"
    policy.save()
    second = make_user(Role.SUPERVISOR, email=SECOND["email"], display_name=SECOND["name"])
    supervision_services.supervisor_assign(supervisor=second, trainee=trainee)
    case = CaseVignettePage.objects.live().first()

    # 1. The request, and a "not yet" with next steps: one "not yet" closes it.
    _as(page, base, TRAINEE)
    _ask(page, base, "Please look at how I asked about his evenings.")
    expect(page.get_by_text("0 of 2 supervisors have decided.")).to_be_visible()
    _checked(page)
    _as(page, base, LEAD)
    _decide(
        page,
        base,
        trainee,
        LEAD,
        "Not yet competent",
        "2 · Act under direct supervision",
        feedback="Asks about home; not yet about work.",
        next_steps="Play the case again and ask about work.",
        shot="form-first",
    )
    assert SignOffRequest.objects.get().status == "decided"

    # 2. The outcome on the dashboard; new evidence; the second request.
    _as(page, base, TRAINEE)
    expect(page.get_by_role("heading", name="Not yet competent")).to_be_visible()
    expect(page.get_by_text("Play the case again and ask about work.")).to_be_visible()
    expect(
        page.get_by_text(re.compile("one decision of not yet closed the request"))
    ).to_be_visible()
    expect(page.get_by_role("button", name="Request sign-off")).to_have_count(0)
    _checked(page, "dashboard-not-yet")
    play_best(trainee=trainee, vignette=case)
    _ask(page, base, "Played it again, asking about work.")

    # 3. "Competent" from the first supervisor: the request stays open.
    _as(page, base, LEAD)
    _decide(
        page,
        base,
        trainee,
        LEAD,
        "Competent",
        "3 · Act under indirect supervision",
        feedback="Finds the social story every time.",
    )
    expect(page.get_by_text("1 of 2 supervisors has decided.")).to_be_visible()
    _checked(page, "supervisor-one-of-two")
    assert SignOffRequest.objects.get(status="open")
    _as(page, base, TRAINEE)
    expect(page.get_by_text("1 of 2 supervisors has decided.")).to_be_visible()
    expect(page.get_by_text(re.compile("signed you off"))).to_have_count(0)
    _checked(page, "dashboard-one-of-two")

    # 4. "Competent" from the second: the outcome, with both names and the rule.
    _as(page, base, SECOND)
    page.goto(base + "/supervision/")
    expect(page.get_by_text("(1 of 2 supervisors has decided)")).to_be_visible()
    _checked(page, "supervisor-box")
    page.goto(f"{base}/supervision/trainees/{trainee.pk}/sign-off/")
    expect(page.get_by_text(re.compile("competent, level 3"))).to_be_visible()
    _decide(
        page,
        base,
        trainee,
        SECOND,
        "Competent",
        "3 · Act under indirect supervision",
        feedback="Matches the help to what matters to the patient.",
        shot="form-second",
    )
    lead_name = User.objects.get(email=LEAD["email"]).name
    said = f"Signed off by {lead_name} and {SECOND['name']}; both had to agree."
    expect(page.get_by_text(said)).to_be_visible()
    _checked(page, "supervisor-signed-by-two")
    outcome = SignOffRecord.objects.get(is_result=True, decision="competent")
    assert outcome.supervisor == second

    _as(page, base, TRAINEE)
    expect(page.get_by_text(said)).to_be_visible()
    page.goto(base + "/dashboard/sign-offs/")
    _checked(page, "my-sign-offs")
    expect(page.get_by_role("link", name=re.compile("Certificate for"))).to_have_count(1)
    page.get_by_role("link", name=re.compile("Certificate for")).click()
    expect(page.get_by_text(said)).to_be_visible()
    _checked(page, "certificate")
    page.goto(f"{base}/verify/{outcome.verification_code}/")
    expect(page.get_by_text("Valid", exact=True)).to_be_visible()
    _checked(page)

    # 5. The second supervisor revokes it, from their page about the trainee.
    _as(page, base, SECOND)
    page.goto(f"{base}/supervision/trainees/{trainee.pk}/")
    page.get_by_label("Reason to revoke").fill("A concern about a patient was raised.")
    page.get_by_label(re.compile("Your password")).fill(SECOND["password"])
    page.get_by_role("button", name="Revoke").click()
    expect(page.get_by_text(re.compile("The sign-off has been revoked"))).to_be_visible()
    _checked(page)

    # 6. The trainee reads why; new evidence; the third request.
    _as(page, base, TRAINEE)
    expect(page.get_by_role("heading", name="Your sign-off was revoked")).to_be_visible()
    expect(page.get_by_text("A concern about a patient was raised.")).to_be_visible()
    expect(page.get_by_role("button", name="Request sign-off")).to_have_count(0)
    _checked(page, "dashboard-revoked")
    page.goto(f"{base}/verify/{outcome.verification_code}/")
    expect(page.get_by_text(re.compile("no longer valid"))).to_be_visible()
    play_best(trainee=trainee, vignette=case)
    _ask(page, base, "A third time, after the concern.")
    expect(page.get_by_text("0 of 2 supervisors have decided.")).to_be_visible()
    assert SignOffRequest.objects.filter(trainee=trainee).count() == 3

    # 7. An observation, asked for and recorded.
    page.get_by_role("link", name="Ask a supervisor to observe you").click()
    _checked(page)
    page.get_by_label("Which supervisor").select_option(label=lead_name)
    page.get_by_label(re.compile("A note for your supervisor")).fill("Thursday clinic.")
    page.get_by_role("button", name="Send the request").click()
    expect(page.get_by_text("Your request to be observed has been sent.")).to_be_visible()
    _as(page, base, LEAD)
    page.goto(f"{base}/supervision/trainees/{trainee.pk}/")
    page.get_by_role("link", name=re.compile("Record the observation they asked for")).click()
    _checked(page)
    page.get_by_label("Date of the observation").fill(str(timezone.localdate()))
    page.get_by_label("Clinical setting").select_option(label="Orthogeriatrics")
    page.get_by_label("What you observed").fill("Assessed low mood after a fall, on the ward.")
    page.get_by_label("Rating for “Recognise social factors”").select_option(
        label="4 · Practise unsupervised"
    )
    page.get_by_label("What went well").fill("Asked who is at home, and listened.")
    page.get_by_label("What to do next").fill("Screen for mood with the PHQ-9.")
    page.get_by_role("button", name="Record the observation").click()
    expect(page.get_by_text("Observation recorded.")).to_be_visible()
    _checked(page)
    assert ObservationRequest.objects.get().state == "observed"
    assert Observation.objects.get().trainee == trainee
    assert supervision_services.sign_off_chains_verify() == {}

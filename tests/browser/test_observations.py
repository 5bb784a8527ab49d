"""Observed practice in Debian's Chromium: the trainee asks their supervisor to observe them;
the supervisor sees the request in their box, records the observation (a patient's NHS number
is refused first, beside the field, with what was typed kept), and the trainee reads it on their
dashboard and adds a reflection. axe on every page; screenshots at 375 px."""

import re
import tempfile
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from assessments.models import Observation, ObservationReflection
from home.models import User
from supervision.models import ObservationRequest
from tests.browser.conftest import ACCOUNTS, axe_violations, log_in
from tests.curriculum.conftest import build_course

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SHOTS = Path(tempfile.gettempdir()) / "psycomp-observations"


def _narrow(page, name: str) -> None:
    """A screenshot at a phone's width (375 px), then back to the desktop width."""
    page.set_viewport_size({"width": 375, "height": 800})
    page.screenshot(path=f"{SHOTS}-{name}-375.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.screenshot(path=f"{SHOTS}-{name}-1280.png", full_page=True)


def test_ask_observe_refuse_an_identifier_record_and_reflect(page, shell_site):
    base = shell_site.url
    build_course(modules=1, lessons_per_module=1)  # the elements and a clinical setting
    trainee = User.objects.get(email=ACCOUNTS["Trainees"]["email"])
    supervisor = ACCOUNTS["Supervisors"]

    log_in(page, base, trainee.email, ACCOUNTS["Trainees"]["password"])
    page.goto(base + "/dashboard/")
    expect(page.get_by_role("heading", name="Observed practice")).to_be_visible()
    page.get_by_role("link", name="Ask a supervisor to observe you").click()
    assert axe_violations(page) == []
    page.get_by_label(re.compile("A note for your supervisor")).fill(
        "Thursday afternoon clinic, a first assessment."
    )
    page.get_by_role("button", name="Send the request").click()
    expect(page.get_by_text("Your request to be observed has been sent.")).to_be_visible()
    expect(page.get_by_role("button", name=re.compile("Withdraw the request"))).to_be_visible()
    assert axe_violations(page) == []
    assert ObservationRequest.objects.get().state == "open"
    page.get_by_role("button", name="Log out").click()

    log_in(page, base, supervisor["email"], supervisor["password"])
    page.goto(base + "/supervision/")
    expect(page.get_by_role("heading", name="Asked to be observed")).to_be_visible()
    expect(page.get_by_text("Thursday afternoon clinic")).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_role("link", name=trainee.name).first.click()
    page.get_by_role("link", name=re.compile("Record the observation they asked for")).click()
    assert axe_violations(page) == []
    page.get_by_label("Date of the observation").fill(str(timezone.localdate()))
    page.get_by_label("Clinical setting").select_option(label="Orthogeriatrics")
    typed = "Assessed low mood after a fall; patient NHS number 943 476 5919."
    page.get_by_label("What you observed").fill(typed)
    page.get_by_label("Rating for “Recognise social factors”").select_option(
        label="4 · Practise unsupervised"
    )
    page.get_by_label("What went well").fill("Asked who is at home, and listened.")
    page.get_by_label("What to do next").fill("Screen for mood with the PHQ-9.")
    page.get_by_role("button", name="Record the observation").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    field = page.get_by_label("What you observed")
    expect(field).to_have_value(typed)
    expect(
        page.locator(".field--error").get_by_text(re.compile("Remove the NHS number"))
    ).to_be_visible()
    assert axe_violations(page) == []
    _narrow(page, "refused")
    assert not Observation.objects.exists()
    field.fill("Assessed low mood after a fall, on the ward.")
    page.get_by_role("button", name="Record the observation").click()
    expect(page.get_by_text("Observation recorded.")).to_be_visible()
    expect(page.get_by_text("Recognise social factors: level 4 of 5")).to_be_visible()
    assert axe_violations(page) == []
    _narrow(page, "supervisor-trainee")
    assert ObservationRequest.objects.get().state == "observed"
    page.get_by_role("button", name="Log out").click()

    log_in(page, base, trainee.email, ACCOUNTS["Trainees"]["password"])
    page.goto(base + "/dashboard/")
    expect(page.get_by_text("Asked who is at home, and listened.")).to_be_visible()
    page.get_by_role("link", name=re.compile("Add your reflection")).click()
    assert axe_violations(page) == []
    page.get_by_label("Your reflection").fill("I moved on before she had finished.")
    page.get_by_role("button", name="Add my reflection").click()
    expect(page.get_by_text("Your reflection has been added.")).to_be_visible()
    expect(page.get_by_text("I moved on before she had finished.")).to_be_visible()
    assert axe_violations(page) == []
    _narrow(page, "trainee-dashboard")
    assert ObservationReflection.objects.get().text == "I moved on before she had finished."

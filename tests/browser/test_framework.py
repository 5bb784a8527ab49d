"""The public competency framework in Chromium: axe-clean, every element's behaviours on screen
and in print, the Markdown download; and the supervisor opening "What to look for" beside a
rating on the observation form."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from competencies import seed
from tests.browser.conftest import ACCOUNTS, axe_violations, log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def framework_site(shell_site):
    seed.load_catalogues()
    return shell_site


def test_a_visitor_reads_prints_and_downloads_the_framework(page, framework_site):
    elements = seed.load("elements.yaml")
    page.goto(f"{framework_site.url}/")
    page.locator(".site-footer").get_by_role("link", name="The competency framework").click()
    expect(page).to_have_url(re.compile(r"/competency/$"))
    expect(page.get_by_role("heading", level=2)).to_have_count(len(elements) + 1)
    first = elements[0]["indicative_behaviours"][0]
    expect(page.get_by_text(first)).to_be_visible()
    assert axe_violations(page) == []

    page.emulate_media(media="print")
    expect(page.get_by_text(first)).to_be_visible()
    expect(page.locator(".site-header")).to_be_hidden()
    page.emulate_media(media="screen")

    with page.expect_download() as info:
        page.get_by_role("link", name=re.compile("download the framework")).click()
    download = info.value
    assert download.suggested_filename == "psychosocial-competency-behaviours.md"
    assert f"- {first}" in Path(download.path()).read_text(encoding="utf-8")


def test_the_supervisor_sees_what_to_look_for_beside_a_rating(page, framework_site):
    from home.models import User

    account = ACCOUNTS["Supervisors"]
    trainee = User.objects.get(email="trainee@example.com")
    log_in(page, framework_site.url, account["email"], account["password"])
    page.goto(f"{framework_site.url}/supervision/trainees/{trainee.pk}/observations/new/")
    elicit = next(e for e in seed.load("elements.yaml") if e["code"] == "elicit")
    behaviour = page.get_by_text(elicit["indicative_behaviours"][0])
    expect(behaviour).to_be_hidden()
    page.get_by_text(f"What to look for: {elicit['name']}").click()
    expect(behaviour).to_be_visible()
    assert axe_violations(page) == []

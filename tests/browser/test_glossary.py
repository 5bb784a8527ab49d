"""The glossary in a browser (issue 16): a visitor follows a lesson term to its entry, jumps by
letter, and axe-core finds nothing serious on /glossary/."""

import re

import pytest
from playwright.sync_api import expect

from curriculum.models import LessonPage
from tests.browser.conftest import axe_violations

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_visitor_follows_a_lesson_term_to_the_glossary_and_jumps_by_letter(page, demo_site):
    taster = LessonPage.objects.get(taster=True)  # it defines the biopsychosocial model
    page.goto(demo_site.url + taster.url)
    page.get_by_role("link", name="See “Biopsychosocial model” in the glossary").click()
    expect(page).to_have_url(re.compile(r"/glossary/#biopsychosocial-model$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Glossary")
    expect(page.locator("dt#biopsychosocial-model")).to_be_in_viewport()
    entry = page.locator("dt#biopsychosocial-model + dd + dd")
    expect(entry.get_by_role("link", name=taster.title)).to_be_visible()
    page.get_by_role("navigation", name="Glossary, A to Z").get_by_role("link", name="Z").click()
    expect(page).to_have_url(re.compile(r"/glossary/#letter-z$"))
    expect(page.locator("dt#zarit-burden-interview")).to_be_in_viewport()
    assert axe_violations(page) == []

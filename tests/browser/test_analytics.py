"""An educator reads a quiz's item analysis in the Wagtail admin: the whole-quiz figures, the
table per question, a flag with its reason and the distractor table; axe on the page."""

import pytest
from playwright.sync_api import expect

from home.roles import Role
from tests.analytics.test_quiz_statistics import mixed, take
from tests.assessments.conftest import build_quiz
from tests.browser.conftest import ACCOUNTS, axe_violations, log_in
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

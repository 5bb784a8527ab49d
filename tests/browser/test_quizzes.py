"""A trainee takes a seeded quiz in Debian's Chromium: answers, leaves, comes back, submits,
reads the review and sees the dashboard change. axe on the quiz, review and dashboard."""

import re

import pytest
from playwright.sync_api import expect

from assessments.models import QuizPage
from tests.browser.conftest import axe_violations, log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _answer_current_question(page):
    """Give some answer to whatever kind of question is on screen, using the keyboard-usable
    controls a person would."""
    form = page.locator("form.question")
    radios = form.locator('input[type="radio"]')
    boxes = form.locator('input[type="checkbox"]')
    selects = form.locator("select")
    text = form.locator("textarea")
    if radios.count():
        radios.first.check()
    elif boxes.count():
        boxes.first.check()
    elif text.count():
        text.fill("I would ask what matters most to them before planning anything.")
    elif selects.count():
        ordering = form.locator('select[name^="position-"]')
        if ordering.count():
            for i in range(ordering.count()):
                ordering.nth(i).select_option(str(i + 1))
        else:
            for i in range(selects.count()):
                selects.nth(i).select_option(index=1)
    form.get_by_role("button").click()


def test_trainee_takes_a_quiz_leaves_returns_submits_and_sees_the_dashboard(
    page, demo_site, newcomer
):
    base = demo_site.url
    account = newcomer
    log_in(page, base, account["email"], account["password"])
    expect(page.get_by_text("no evidence").first).to_be_attached()

    quiz = QuizPage.objects.live().order_by("path").first()
    page.goto(base + quiz.url)
    assert axe_violations(page) == []
    page.get_by_role("button", name="Start the quiz").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Question 1")
    assert axe_violations(page) == []
    _answer_current_question(page)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Question 2")
    _answer_current_question(page)

    # Leave, log out, come back: the quiz resumes with the answers kept.
    page.get_by_role("button", name="Log out").click()
    log_in(page, base, account["email"], account["password"])
    page.goto(base + quiz.url)
    page.get_by_role("link", name="Resume the quiz").click()
    expect(page.get_by_text(re.compile(r"^2 of \d+ answered"))).to_be_visible()
    total = int(re.search(r"of (\d+)", page.locator("h1").inner_text()).group(1))
    for n in range(total):
        page.goto(f"{base}{page.url.split('?')[0].replace(base, '')}?q={n}")
        if page.locator("form.question button").count():
            _answer_current_question(page)
    page.goto(f"{base}{page.url.split('?')[0].replace(base, '')}?q={total}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your answers and submit")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Submit my answers").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Your review")
    expect(page.locator(".lead")).to_contain_text("You scored")
    expect(page.get_by_text("The answer:").first).to_be_visible()
    assert axe_violations(page) == []

    page.goto(base + "/dashboard/")
    table = page.get_by_role("table", name=re.compile("Mastery per element"))
    expect(table).to_contain_text("%")
    expect(page.get_by_role("heading", name="Recent activity")).to_be_visible()
    expect(page.get_by_text(quiz.title).first).to_be_visible()
    assert axe_violations(page) == []

    page.goto(base + "/dashboard/record/")
    expect(
        page.get_by_role("link", name=re.compile("Review " + re.escape(quiz.title)))
    ).to_be_visible()
    assert axe_violations(page) == []

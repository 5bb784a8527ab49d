"""An educator writes a quiz in the Wagtail admin (a question with nested options), is told
what is wrong with it, fixes it, previews it and submits it for moderation. And a reader scores
a practice PHQ-9 in a lesson with the keyboard; axe on the result."""

import re

import pytest
from playwright.sync_api import expect

from assessments.models import Question, QuizPage, StepOfCareMapping
from assessments.seed import STEP_SOURCE
from curriculum import services
from tests.browser.conftest import ACCOUNTS, axe_violations, log_in
from tests.curriculum.conftest import build_course, lesson_spec

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def course_site(shell_site):
    _, modules, _ = build_course(modules=1, lessons_per_module=1)
    return shell_site, modules[0]


def test_educator_writes_fixes_previews_and_submits_a_quiz(page, course_site):
    site, module = course_site
    account = ACCOUNTS["Educators"]
    log_in(page, site.url, account["email"], account["password"])
    page.goto(f"{site.url}/admin/pages/add/assessments/quizpage/{module.pk}/")
    page.locator('[name="title"]').fill("Check: asking about home")
    page.locator('[name="questions-0-kind"]').select_option("single")
    page.locator('[name="questions-0-stem"]').fill("Mr Ade lives alone after a fall. What first?")
    page.locator('[name="questions-0-elements"]').first.check()
    page.locator('[name="questions-0-feedback"]').fill("Start with what matters at home.")
    add_option = page.locator("#id_questions-0-choices-ADD")
    for n, text in enumerate(("Ask who helps him at home", "Refer to psychology")):
        add_option.click()
        page.locator(f'[name="questions-0-choices-{n}-text"]').fill(text)
        page.locator(f'[name="questions-0-choices-{n}-feedback"]').fill(f"Because {n}.")
    page.get_by_role("button", name="Save draft").click()
    page.wait_for_load_state()

    # No option is marked correct: the educator is told, on the question, and nothing is saved.
    expect(page.get_by_text(re.compile("exactly one correct"))).to_be_visible()
    assert not QuizPage.objects.exists()

    page.locator('[name="questions-0-choices-0-correct"]').check()
    page.get_by_role("button", name="Save draft").click()
    # The saved page itself, before this thread reads the database (the live server's).
    page.wait_for_url(re.compile(r"/edit/"))
    quiz = QuizPage.objects.get()
    assert "/edit/" in page.url and not quiz.live
    question = Question.objects.get(quiz=quiz)
    assert [(c.text, c.correct) for c in question.choices.order_by("sort_order")] == [
        ("Ask who helps him at home", True),
        ("Refer to psychology", False),
    ]

    page.get_by_role("button", name="Toggle preview").click()
    frame = page.frame_locator("iframe#w-preview-iframe")
    expect(frame.get_by_role("heading", name="Check: asking about home")).to_be_visible(
        timeout=15_000
    )
    expect(frame.get_by_text("1 question")).to_be_visible()

    page.get_by_role("button", name="More actions").click()
    page.get_by_role("button", name=re.compile("Submit to .* approval")).click()
    page.wait_for_load_state()
    quiz.refresh_from_db()
    assert not quiz.live
    assert quiz.current_workflow_state is not None
    assert quiz.current_workflow_state.status == "in_progress"


def test_reader_scores_a_practice_phq9_in_a_lesson(page, course_site):
    site, module = course_site
    StepOfCareMapping.objects.create(
        instrument="phq9", band="moderate", step=2, suggestion="Guided CBT.", source=STEP_SOURCE
    )
    lesson = services.lesson_import(
        module=module,
        spec=lesson_spec(
            "tools",
            "Tools",
            blocks=[
                {"type": "instrument", "value": {"instrument": "phq9", "heading": "Score one"}},
                {"type": "reflection", "value": {"key": "r", "prompt": "Why?"}},
            ],
        ),
    )
    account = ACCOUNTS["Trainees"]
    log_in(page, site.url, account["email"], account["password"])
    page.goto(site.url + lesson.url)
    assert axe_violations(page) == []
    for i, value in enumerate([2, 2, 1, 2, 1, 1, 1, 0, 1]):
        radio = page.locator(f'input[name="item-{i}"][value="{value}"]')
        radio.focus()
        page.keyboard.press("Space")
        expect(radio).to_be_checked()
    page.get_by_role("button", name="Score it").click()
    page.wait_for_load_state()
    result = page.locator("[role=status]").filter(has_text="PHQ-9 total 11: moderate.")
    expect(result).to_be_focused()
    expect(result.get_by_role("heading", name="Risk follow-up")).to_be_visible()
    expect(result.get_by_text("Guided CBT.")).to_be_visible()
    assert axe_violations(page) == []

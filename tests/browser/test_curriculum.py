"""A trainee takes a lesson in Debian's Chromium: reads, moves the slider, completes it, and
sees the module's progress move. axe on every curriculum page type."""

import re

import pytest
from playwright.sync_api import expect

from curriculum.models import LessonPage
from tests.browser.conftest import ACCOUNTS, axe_violations, log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _trainee(page, base, account):
    log_in(page, base, account["email"], account["password"])


def _loop_lesson():
    return next(
        lesson
        for lesson in LessonPage.objects.live()
        if any(block.block_type == "feedback_loop" for block in lesson.body)
    )


def test_trainee_reads_moves_the_slider_completes_and_sees_progress(page, demo_site, newcomer):
    base = demo_site.url
    lesson = _loop_lesson()
    module = lesson.get_parent()
    _trainee(page, base, newcomer)

    page.goto(base + module.url)
    progress = page.locator("progress").first
    expect(progress).to_have_attribute("value", "0")

    page.get_by_role("link", name=lesson.title).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(lesson.title)
    figure = page.locator("[data-feedback-loop]")
    expect(figure.locator(".feedback-loop__description")).to_contain_text("Escalating.")

    # Move the slider with the keyboard: the chart is redrawn from the server, no reload. Keys
    # pressed before the script has attached would move the slider without updating the output,
    # so wait for the figure to say it is enhanced.
    expect(page.locator("[data-feedback-loop][data-enhanced]")).to_have_count(1)
    slider = figure.get_by_role("slider")
    slider.focus()
    for _ in range(6):  # 0.6 -> 0.3 in steps of 0.05
        page.keyboard.press("ArrowLeft")
    expect(slider).to_have_value("0.3")
    expect(figure.locator("output")).to_have_text("0.3")
    expect(figure.locator(".feedback-loop__description")).to_contain_text("Settling.")
    expect(figure.locator(".feedback-loop__description")).to_contain_text("gain of 0.3")
    assert page.url.startswith(base + lesson.url) and "gain=" not in page.url

    page.get_by_role("button", name="Mark as complete").click()
    expect(page.locator(".messages")).to_contain_text("is marked as complete")
    expect(page.get_by_text("You have completed this lesson.")).to_be_visible()

    page.goto(base + module.url)
    expect(page.locator("progress").first).to_have_attribute("value", "1")
    expect(page.get_by_text(re.compile(r"^1 of \d+ lessons done"))).to_be_visible()


def test_the_figure_works_without_javascript(browser, demo_site, newcomer):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    _trainee(page, demo_site.url, newcomer)
    page.goto(demo_site.url + _loop_lesson().url)
    figure = page.locator("[data-feedback-loop]")
    figure.get_by_role("link", name="show that").click()
    expect(figure.locator(".feedback-loop__description")).to_contain_text("Settling.")
    expect(figure.locator("table caption")).to_contain_text("gain 0.3")
    context.close()


def test_reflection_is_saved_private_and_then_shared(page, demo_site, newcomer):
    _trainee(page, demo_site.url, newcomer)
    lesson = LessonPage.objects.get(taster=True)
    page.goto(demo_site.url + lesson.url)
    box = page.get_by_label(re.compile("Your answer")).first
    private = page.get_by_label("Only you can read this").first
    expect(private).to_be_checked()  # private unless the trainee chooses otherwise
    box.fill("I will ask about evenings and weekends, not only mornings.")
    page.get_by_role("button", name="Save reflection").first.click()
    expect(page.locator(".messages")).to_contain_text("Only you can read it.")
    expect(page.get_by_label(re.compile("Your answer")).first).to_have_value(
        "I will ask about evenings and weekends, not only mornings."
    )
    page.get_by_label("Your supervisors can read this").first.check()
    page.get_by_role("button", name="Save reflection").first.click()
    expect(page.locator(".messages")).to_contain_text("Your supervisors can read it.")
    expect(page.get_by_label("Your supervisors can read this").first).to_be_checked()
    assert axe_violations(page) == []


def test_visitor_reads_the_taster_and_is_asked_to_log_in_for_more(page, demo_site):
    taster = LessonPage.objects.get(taster=True)
    page.goto(demo_site.url + taster.url)
    expect(page.get_by_role("heading", level=1)).to_have_text(taster.title)
    expect(page.get_by_text("This lesson is a free taster.")).to_be_visible()
    # The syllabus is public; the other lessons ask for a login.
    page.goto(demo_site.url + "/course/")
    expect(page.get_by_role("heading", name="The syllabus")).to_be_visible()
    other = LessonPage.objects.live().filter(taster=False).first()
    page.goto(demo_site.url + other.url)
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=" + re.escape(other.url)))


def test_axe_is_clean_on_every_curriculum_page_type(page, demo_site):
    base = demo_site.url
    lesson = _loop_lesson()
    _trainee(page, base, ACCOUNTS["Trainees"])
    found = {}
    for path in ["/course/", lesson.get_parent().url, lesson.url, "/search/?q=carer"]:
        page.goto(base + path)
        assert page.locator("h1").count() == 1, path
        found[path] = axe_violations(page)
    page.goto(base + lesson.url)
    page.locator("details").last.evaluate("el => el.open = true")
    found["lesson with the data table open"] = axe_violations(page)
    assert {path: v for path, v in found.items() if v} == {}


def test_lessons_fit_a_320_pixel_screen(page, demo_site):
    _trainee(page, demo_site.url, ACCOUNTS["Trainees"])
    page.set_viewport_size({"width": 320, "height": 640})
    for path in ["/course/", _loop_lesson().url]:
        page.goto(demo_site.url + path)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, (path, overflow)

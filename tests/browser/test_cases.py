"""Vignettes in Debian's Chromium: a trainee plays a seeded case to its debrief with the keyboard
where it matters; focus moves to the feedback after each answer; axe on player, feedback and
debrief. An educator builds a small vignette in the admin, sees an error on the node, fixes it,
sees the map and previews it."""

import re

import pytest
from playwright.sync_api import expect

from assessments.engine import delivery
from cases import content, engine, services
from cases.models import VignetteAttempt
from competencies.seed import load_catalogues
from home.models import HomePage
from tests.browser.conftest import ACCOUNTS, axe_violations, log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def case_site(shell_site):
    """The site shell plus the catalogues and one seeded vignette (the PHQ-9 case, which has a
    screen node as well as every other kind)."""
    load_catalogues()
    index = services.case_index_ensure(
        home=HomePage.objects.get(), title="Cases", slug="cases", intro="<p>Cases</p>"
    )
    spec = content.load(next(p for p in content.vignette_files() if "phq9" in p.name))
    services.vignette_import(index=index, spec=spec)
    return shell_site


def _answer(page):
    form = page.locator("form.vignette-step")
    boxes = form.locator('input[type="checkbox"]')
    items = form.locator("fieldset.instrument-item")
    radios = form.locator('input[type="radio"]')
    attempt = VignetteAttempt.objects.get()
    graph = services.graph_of_revision(attempt.revision)
    node = graph[attempt.node]
    if items.count():
        # Record the person's answers as the case gives them, so the story takes the best route.
        for i, value in enumerate(node.key):
            items.nth(i).locator(f'input[type="radio"][value="{value}"]').check()
    elif boxes.count():
        # Keyboard only: focus the first option, tick it with Space, then Tab to the button.
        boxes.first.focus()
        page.keyboard.press("Space")
        expect(boxes.first).to_be_checked()
        form.get_by_role("button").focus()
        with page.expect_navigation():
            page.keyboard.press("Enter")
        return
    elif radios.count():
        # Decisions follow the best route, so the play always passes the screen node.
        best = dict(engine.best_path(graph))[node.id]
        value = delivery.token(attempt.secret, node.id, best)  # the page's value for it
        form.locator(f'input[type="radio"][value="{value}"]').check()
    with page.expect_navigation():
        form.get_by_role("button").click()


def test_trainee_plays_a_seeded_case_to_its_debrief(page, case_site):
    base = case_site.url
    account = ACCOUNTS["Trainees"]
    log_in(page, base, account["email"], account["password"])
    page.goto(base + "/cases/")
    assert axe_violations(page) == []
    page.get_by_role("link", name=re.compile("PHQ-9|stepped", re.I)).first.click()
    expect(page.get_by_role("heading", name="Content note")).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_role("button", name=re.compile("Start the case")).click()

    scanned = {"play": False, "feedback": False, "screen": False}
    for _ in range(40):
        page.wait_for_load_state()
        if "/debrief/" in page.url:
            break
        if "/feedback/" in page.url:
            # Focus has moved to the feedback, so a screen reader starts there.
            expect(page.locator("#feedback")).to_be_focused()
            if not scanned["feedback"]:
                assert axe_violations(page) == []
                scanned["feedback"] = True
            page.get_by_role("link", name=re.compile("Continue the case|debrief")).click()
            continue
        if page.locator("fieldset.instrument-item").count() and not scanned["screen"]:
            assert axe_violations(page) == []
            scanned["screen"] = True
        elif not scanned["play"]:
            assert axe_violations(page) == []
            scanned["play"] = True
        _answer(page)
    assert "/debrief/" in page.url
    expect(
        page.get_by_role("heading", name=re.compile("Your score per competency element"))
    ).to_be_visible()
    expect(page.get_by_role("heading", name="What the best route looked like")).to_be_visible()
    assert axe_violations(page) == []
    attempt = VignetteAttempt.objects.get()
    assert attempt.status == "finished" and attempt.evidence.count() > 0
    assert all(scanned.values()), scanned


@pytest.fixture
def authoring_site(shell_site):
    load_catalogues()
    index = services.case_index_ensure(
        home=HomePage.objects.get(), title="Cases", slug="cases", intro="<p>Cases</p>"
    )
    return shell_site, index


def _add_node(page, kind: str):
    page.locator("#nodes-root").get_by_role("button", name="Insert a block").last.click()
    page.get_by_role("option", name=kind, exact=True).click()


def test_educator_builds_a_vignette_sees_an_error_fixes_it_and_previews_the_map(
    page, authoring_site
):
    site, index = authoring_site
    account = ACCOUNTS["Educators"]
    log_in(page, site.url, account["email"], account["password"])
    page.goto(f"{site.url}/admin/pages/add/cases/casevignettepage/{index.pk}/")
    page.locator('[name="title"]').fill("Mrs Khan after a fall")
    page.locator('[name="patient_summary"]').fill("Mrs Khan, 79, lives alone and fell last week.")
    page.locator('[name="setting"]').select_option(label="Orthogeriatrics")
    page.locator('[name="learning_points"]').fill("Ask who is at home.\nAsk about fear of falling.")
    _add_node(page, "Scene")
    page.locator('[name="nodes-0-value-node_id"]').fill("start")
    page.locator('[name="nodes-0-value-body"]').fill("Mrs Khan is sitting by her bed.")
    page.locator('[name="nodes-0-value-next"]').fill("nowhere")  # a typing slip
    _add_node(page, "Ask")
    page.locator('[name="nodes-1-value-node_id"]').fill("q")
    page.locator('[name="nodes-1-value-body"]').fill("What do you ask?")
    page.locator('[name="nodes-1-value-options-0-value-option_id"]').fill("home")
    page.locator('[name="nodes-1-value-options-0-value-label"]').fill("Who is at home with you?")
    page.locator('[name="nodes-1-value-options-0-value-answer"]').fill("Nobody since Arif died.")
    page.locator('[name="nodes-1-value-options-0-value-relevant"]').check()
    page.locator('[name="nodes-1-value-options-0-value-feedback"]').fill("Living alone matters.")
    page.locator('[name="nodes-1-value-next"]').fill("end")
    _add_node(page, "Ending")
    page.locator('[name="nodes-2-value-node_id"]').fill("end")
    page.locator('[name="nodes-2-value-body"]').fill("She goes home with a plan.")
    page.get_by_role("button", name="Save draft").click()
    page.wait_for_load_state()

    # The error is shown on the offending node, with the ids that would work.
    error = page.get_by_text(re.compile("goes to “nowhere”, which is not a node here"))
    expect(error).to_be_visible()
    expect(page.get_by_text(re.compile("Valid ids: end, q, start"))).to_be_visible()
    assert not VignetteAttempt.objects.exists()
    from cases.models import CaseVignettePage

    assert not CaseVignettePage.objects.exists()  # nothing saved with an error

    page.locator('[name="nodes-0-value-next"]').fill("q")
    page.get_by_role("button", name="Save draft").click()
    # Wait for the saved page itself (wait_for_load_state returns at once on the page already
    # loaded): the live server must have answered before this thread reads the database.
    page.wait_for_url(re.compile(r"/edit/"))
    panel = page.locator(".vignette-panel")
    expect(panel.get_by_text("No errors.")).to_be_visible()
    vignette = CaseVignettePage.objects.get()
    expect(panel.locator('svg g[data-node="q"]')).to_be_attached()
    expect(panel.locator("svg .node--best")).to_have_count(3)

    # Preview: the author's map mode shows the diagram and the keys.
    page.get_by_role("button", name="Toggle preview").click()
    frame = page.frame_locator("iframe#w-preview-iframe")
    expect(frame.get_by_role("heading", name="Mrs Khan after a fall")).to_be_visible(timeout=15_000)
    page.get_by_label("Preview mode").select_option(label="Map and every node (authors only)")
    expect(frame.get_by_role("heading", name=re.compile("map and every node"))).to_be_visible(
        timeout=15_000
    )
    expect(frame.locator('svg g[data-node="q"]')).to_be_attached()
    expect(frame.get_by_text("[right]").first).to_be_attached()
    assert not vignette.live  # a draft until it goes through moderation

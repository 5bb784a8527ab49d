"""Small screens (375 CSS px) and the case editor, measured in Debian's Chromium: the mastery
chart's text is at least 12 px as rendered, no page scrolls sideways (wide tables scroll in their
own focusable, labelled box), and the case map in the editor scrolls inside its own box, clear
of Wagtail's minimap. axe on each page; screenshots are written to the temp directory."""

import tempfile
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import ACCOUNTS, axe_violations, log_in
from tests.browser.test_supervision import ready_trainee  # noqa: F401 (a fixture)
from tests.cases.conftest import build_case

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SHOTS = Path(tempfile.gettempdir())
NARROW = {"width": 375, "height": 812}

# The smallest text the chart shows, as rendered: font size times any scaling of its box (an
# SVG scaled down to fit shrinks its text although the computed font size stays the same).
SMALLEST_CHART_TEXT = """() => {
  const sizes = [];
  for (const el of document.querySelectorAll('.mastery-chart span, .mastery-chart text')) {
    const size = parseFloat(getComputedStyle(el).fontSize);
    const svg = el.closest('svg');
    const scale = svg && svg.viewBox.baseVal && svg.viewBox.baseVal.width
      ? svg.getBoundingClientRect().width / svg.viewBox.baseVal.width : 1;
    sizes.push(size * scale);
  }
  return sizes;
}"""


def _page_width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def test_dashboard_chart_stays_readable_at_375_px(page, ready_trainee):  # noqa: F811
    site, trainee, _attempt = ready_trainee
    page.set_viewport_size(NARROW)
    log_in(page, site.url, trainee.email, ACCOUNTS["Trainees"]["password"])
    page.goto(site.url + "/dashboard/")
    expect(page.locator(".mastery-chart .mastery-bar").first).to_be_visible()
    page.screenshot(path=SHOTS / "h18b-dashboard-375.png", full_page=True)
    sizes = page.evaluate(SMALLEST_CHART_TEXT)
    assert sizes and min(sizes) >= 12, sizes
    assert _page_width(page) <= 375
    assert axe_violations(page) == []


def test_supervision_table_scrolls_in_its_own_box_at_375_px(page, ready_trainee):  # noqa: F811
    site, _trainee, _attempt = ready_trainee
    page.set_viewport_size(NARROW)
    supervisor = ACCOUNTS["Supervisors"]
    log_in(page, site.url, supervisor["email"], supervisor["password"])
    page.goto(site.url + "/supervision/")
    region = page.get_by_role("region", name="Trainees assigned to you now")
    expect(region).to_be_visible()
    page.screenshot(path=SHOTS / "h18b-supervision-375.png", full_page=True)
    assert _page_width(page) <= 375
    assert region.get_attribute("tabindex") == "0"
    box = region.evaluate("el => [el.scrollWidth, el.clientWidth]")
    assert box[0] > box[1], box  # the table is wider than the screen and scrolls inside its box
    region.focus()
    page.keyboard.press("ArrowRight")
    # Chromium scrolls by the keyboard smoothly: wait (up to the default timeout) for it.
    page.wait_for_function("el => el.scrollLeft > 0", arg=region.element_handle())
    assert axe_violations(page) == []


def test_case_map_in_the_editor_scrolls_inside_its_box(page, ready_trainee):  # noqa: F811
    site, _trainee, _attempt = ready_trainee
    wide = build_case(slug="long-case", title="A long case", extra_scenes=14)  # a wide map
    page.set_viewport_size({"width": 1280, "height": 900})
    educator = ACCOUNTS["Educators"]
    log_in(page, site.url, educator["email"], educator["password"])
    page.goto(f"{site.url}/admin/pages/{wide.pk}/edit/")
    box = page.locator(".vignette-panel .map-scroll")
    expect(box).to_be_visible()
    box.scroll_into_view_if_needed()
    page.screenshot(path=SHOTS / "h18b-editor-map.png", full_page=False)
    measured = box.evaluate(
        """el => {
          const r = el.getBoundingClientRect();
          const panel = el.closest('.vignette-panel').parentElement.getBoundingClientRect();
          const minimap = document.querySelector('.w-minimap');
          const m = minimap && minimap.offsetParent ? minimap.getBoundingClientRect() : null;
          return {left: r.left, right: r.right, panelRight: panel.right,
                  scroll: el.scrollWidth, client: el.clientWidth,
                  svg: el.querySelector('svg').getBoundingClientRect().width,
                  minimapLeft: m ? m.left : null, minimapTop: m ? m.top : null,
                  minimapBottom: m ? m.bottom : null, top: r.top, bottom: r.bottom,
                  page: document.documentElement.scrollWidth, view: window.innerWidth};
        }"""
    )
    assert measured["right"] <= measured["panelRight"] + 1, measured
    assert measured["page"] <= measured["view"], measured
    assert measured["svg"] > measured["client"], measured  # the drawing is wider than its box
    assert measured["scroll"] > measured["client"], measured  # and scrolls inside it
    if measured["minimapLeft"] is not None:
        overlaps_vertically = not (
            measured["bottom"] <= measured["minimapTop"]
            or measured["top"] >= measured["minimapBottom"]
        )
        assert not overlaps_vertically or measured["right"] <= measured["minimapLeft"], measured


def test_debrief_reads_at_375_px(page, ready_trainee):  # noqa: F811
    site, trainee, attempt = ready_trainee
    page.set_viewport_size(NARROW)
    log_in(page, site.url, trainee.email, ACCOUNTS["Trainees"]["password"])
    page.goto(f"{site.url}{attempt.vignette.url}play/{attempt.pk}/debrief/")
    expect(page.get_by_text("This is the best ending this case offers.")).to_be_visible()
    expect(page.get_by_text("you recognised all of it.", exact=False)).to_be_visible()
    page.screenshot(path=SHOTS / "h18b-debrief-375.png", full_page=True)
    assert _page_width(page) <= 375
    assert axe_violations(page) == []

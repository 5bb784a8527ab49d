"""Every table that may scroll sideways sits in a ``.table-wrap`` that keyboard users can reach
and screen readers can name: ``role="region"``, ``tabindex="0"`` and a name (``aria-label``, or
``aria-labelledby`` pointing at text on the page). Checked on the pages the demo's history
fills with tables, and in every template (a table on a page not rendered here counts too)."""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from assessments.models import QuizAttempt
from cases.models import VignetteAttempt, VignetteStep
from curriculum.models import LessonPage
from home.models import User

ROOT = Path(__file__).resolve().parents[2]


class Regions(HTMLParser):
    """The attributes of every ``.table-wrap``, and the text of every element with an id."""

    def __init__(self):
        super().__init__()
        self.wraps: list[dict] = []
        self.texts: dict[str, list[str]] = {}
        self.open: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "table-wrap" in (attrs.get("class") or "").split():
            self.wraps.append(attrs)
        if tag not in ("br", "img", "input", "meta", "link", "hr", "source", "col", "wbr"):
            self.open.append((tag, attrs.get("id")))
            if attrs.get("id"):
                self.texts.setdefault(attrs["id"], [])

    def handle_endtag(self, tag):
        while self.open:
            name, _ = self.open.pop()
            if name == tag:
                break

    def handle_data(self, data):
        for _, element_id in self.open:
            if element_id:
                self.texts[element_id].append(data)


def problems(html: str, where: str) -> tuple[int, list[str]]:
    parser = Regions()
    parser.feed(html)
    found = []
    for wrap in parser.wraps:
        name = (wrap.get("aria-label") or "").strip()
        for ref in (wrap.get("aria-labelledby") or "").split():
            name += " ".join("".join(parser.texts.get(ref, [])).split())
        if wrap.get("role") != "region" or wrap.get("tabindex") != "0" or not name:
            found.append(f"{where}: {wrap}")
    return len(parser.wraps), found


def test_every_table_wrap_in_the_templates_is_a_named_focusable_region():
    found = []
    for path in ROOT.glob("*/templates/**/*.html"):
        for tag in re.findall(r"<div[^>]*class=\"[^\"]*\btable-wrap\b[^>]*>", path.read_text()):
            labelled = "aria-labelledby=" in tag or "aria-label=" in tag
            if not ('role="region"' in tag and 'tabindex="0"' in tag and labelled):
                found.append(f"{path.relative_to(ROOT)}: {tag}")
    assert found == []


@pytest.mark.django_db
def test_every_table_wrap_on_the_demos_pages_is_a_named_focusable_region(client):
    with open("/dev/null", "w") as devnull:
        call_command("seed_demo", stdout=devnull)
    tamsin = User.objects.get(email="trainee@example.com")
    jonah = User.objects.get(email="trainee2@example.com")
    sam = User.objects.get(email="supervisor@example.com")
    quiz = QuizAttempt.objects.filter(trainee=tamsin).first().quiz
    played = VignetteAttempt.objects.filter(trainee=jonah, status="finished")
    screen = VignetteStep.objects.filter(attempt__in=played, kind="screen").first()
    loop = next(
        lesson
        for lesson in LessonPage.objects.live()
        if any(block.block_type == "feedback_loop" for block in lesson.body)
    )
    pages = {
        tamsin: [
            "/dashboard/",
            reverse("progress:record"),
            quiz.url,
            VignetteAttempt.objects.filter(trainee=tamsin).first().vignette.url,
            loop.url,
        ],
        jonah: [
            f"{screen.attempt.vignette.url}play/{screen.attempt_id}/feedback/{screen.seq}/",
            f"{screen.attempt.vignette.url}play/{screen.attempt_id}/debrief/",
        ],
        sam: [
            "/dashboard/",
            "/supervision/",
            f"/supervision/trainees/{tamsin.pk}/",
            f"/supervision/trainees/{jonah.pk}/",
            reverse("supervision:case_path", args=[jonah.pk, screen.attempt_id]),
        ],
    }
    wraps, found = 0, []
    for person, urls in pages.items():
        client.force_login(person)
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, url
            count, bad = problems(response.content.decode(), url)
            wraps += count
            found += bad
    assert found == []
    assert wraps >= 12  # the pages above do show their tables

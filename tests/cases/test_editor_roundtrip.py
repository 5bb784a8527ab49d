"""Whatever the demo seeds, an educator can open in the Wagtail editor and save unchanged: every
seeded vignette, quiz and lesson goes through the real edit view (GET, then the same form posted
back) and is saved without a validation error, with its content as it was. The imports run the
editor's validation, so a file that would fail here fails when it is imported, naming itself."""

import json
import re

import pytest
from django.core.management import call_command

from assessments.models import QuizPage
from cases import content, services
from cases.models import CaseVignettePage
from curriculum.models import LessonPage
from tests.editor import save_unchanged

from .conftest import build_case, case_spec

# Page fields that any save moves on (timestamps, revision pointers, tree bookkeeping).
BOOKKEEPING = {
    "draft_title",
    "first_published_at",
    "has_unpublished_changes",
    "last_published_at",
    "latest_revision",
    "latest_revision_created_at",
    "live",
    "live_revision",
}


def _content(value):
    """Revision content as data: StreamFields parsed, Draftail's block keys left out, strings
    without surrounding whitespace (the editor's text fields strip it, as Django forms do)."""
    if isinstance(value, dict):
        return {k: _content(v) for k, v in value.items() if k not in BOOKKEEPING}
    if isinstance(value, list):
        return [_content(v) for v in value]
    if isinstance(value, str):
        if value[:1] in "[{":
            try:
                return _content(json.loads(value))
            except ValueError:
                pass
        return re.sub(r' data-block-key="[^"]*"', "", value).strip()
    return value


def _round_trip_all(client, pages) -> list[str]:
    failures = []
    for page in pages:
        before = _content(page.get_latest_revision().content)
        posted, errors = save_unchanged(client, page)
        if posted.status_code != 302 or errors:
            failures.append(f"{page.slug}: {posted.status_code} {errors}")
            continue
        after = _content(page.get_latest_revision().content)
        if after != before:
            changed = sorted(
                k for k in before.keys() | after.keys() if before.get(k) != after.get(k)
            )
            failures.append(f"{page.slug}: saved with changes to {changed}")
    return failures


@pytest.fixture
def seeded(db, client, administrator):
    with open("/dev/null", "w") as devnull:
        call_command("seed_demo", stdout=devnull)
    client.force_login(administrator)
    return client


def test_every_seeded_vignette_saves_unchanged_in_the_editor(seeded):
    pages = list(CaseVignettePage.objects.order_by("path"))
    assert len(pages) == len(content.vignette_files()) >= 22
    assert _round_trip_all(seeded, pages) == []


def test_every_seeded_quiz_saves_unchanged_in_the_editor(seeded):
    pages = list(QuizPage.objects.order_by("path"))
    assert len(pages) >= 8
    assert _round_trip_all(seeded, pages) == []


def test_every_seeded_lesson_saves_unchanged_in_the_editor(seeded):
    pages = list(LessonPage.objects.order_by("path"))
    assert len(pages) >= 30
    assert _round_trip_all(seeded, pages) == []


def test_the_round_trip_reports_what_the_editor_refuses(client, administrator):
    """The helper is not a rubber stamp: a page stored with a label the editor refuses (written
    past the import's check) comes back with the editor's message on that field."""
    page = build_case()
    raw = page.nodes.raw_data
    raw[1]["value"]["options"][0]["value"]["label"] = "x" * 301  # ask1's first question
    page.nodes = list(raw)
    page.save_revision()
    client.force_login(administrator)
    posted, errors = save_unchanged(client, page)
    assert posted.status_code == 200
    assert len(errors) == 1 and "at most 300 characters (it has 301)" in errors[0]


@pytest.mark.django_db
def test_the_import_refuses_what_the_editor_would_and_names_the_file_and_node():
    build_case()
    spec = case_spec(slug="too-long")
    spec["nodes"][3]["options"][0]["label"] = "y" * 501  # the decide node "choose"
    index = CaseVignettePage.objects.first().get_parent().specific
    with pytest.raises(services.VignetteInvalid) as caught:
        services.vignette_import(index=index, spec=spec, source="99-too-long.yaml")
    message = str(caught.value)
    assert message.startswith("99-too-long.yaml is not valid: node “choose” (decide)")
    assert "options > #1 > label" in message and "at most 500 characters (it has 501)" in message
    assert not CaseVignettePage.objects.filter(slug="too-long").exists()

"""A lesson's shared blocks are rendered once per content version (``curriculum_tags.lesson_body``):
the cached page must read exactly as a fresh render, follow every publish, leave previews alone
and keep each reader's own blocks to that reader."""

import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from curriculum.models import LessonPage
from home import caching

pytestmark = pytest.mark.django_db


def _body(html: str) -> str:
    """The lesson body, without the per-request masking of CSRF tokens."""
    body = html.split('<div class="lesson-body">', 1)[1].split('<section id="lesson-status"', 1)[0]
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "csrf", body)


def _fresh_render(client, url) -> str:
    cache.clear()
    caching.forget_local()
    return _body(client.get(url).content.decode())


def test_the_cached_body_reads_exactly_as_a_fresh_render(client, course, trainee):
    lesson = course[2][0]  # every block type
    client.force_login(trainee)
    fresh = _fresh_render(client, lesson.url)
    cached = _body(client.get(lesson.url).content.decode())
    assert cached == fresh
    for kind in ("rich_text", "markdown", "key_point", "worked_example", "reflection"):
        assert f'class="block block--{kind}"' in cached
    # The worked example's clinical setting is read once, with the rest of the shared blocks.
    with CaptureQueriesContext(connection) as queries:
        client.get(lesson.url)
    assert not [q for q in queries.captured_queries if "clinicalsetting" in q["sql"]]


def test_a_publish_shows_at_once(client, course, trainee):
    lesson = course[2][1]
    client.force_login(trainee)
    assert "Rewritten after review" not in client.get(lesson.url).content.decode()
    page = LessonPage.objects.get(pk=lesson.pk)
    page.body = [("rich_text", "<p>Rewritten after review.</p>")]
    page.save_revision().publish()
    html = client.get(lesson.url).content.decode()
    assert "Rewritten after review" in html


def test_a_draft_is_not_shown_to_readers_and_does_not_disturb_the_cache(client, course, trainee):
    lesson = course[2][1]
    client.force_login(trainee)
    before = _body(client.get(lesson.url).content.decode())
    page = LessonPage.objects.get(pk=lesson.pk)
    page.body = [("rich_text", "<p>A draft nobody has approved.</p>")]
    page.save_revision()  # saved, not published
    after = _body(client.get(lesson.url).content.decode())
    assert after == before
    assert "nobody has approved" not in after


def test_each_reader_sees_only_their_own_reflection_next_to_the_shared_blocks(
    client, course, trainee, other_trainee
):
    from curriculum.services import reflection_block_ids

    lesson = course[2][0]
    block_id = next(iter(reflection_block_ids(lesson)))
    client.force_login(trainee)
    client.post(f"{lesson.url}reflect/{block_id}/", {"text": "Ask Walter about his evenings."})
    mine = client.get(lesson.url).content.decode()
    assert "Ask Walter about his evenings." in mine
    client.force_login(other_trainee)
    theirs = client.get(lesson.url).content.decode()
    assert "Ask Walter about his evenings." not in theirs
    assert "Your private answer</label>" in theirs.replace(" (saved)", "")

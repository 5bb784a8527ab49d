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
    assert "Your answer</label>" in theirs.replace(" (saved)", "")


def _png(colour: str) -> bytes:
    import io

    from PIL import Image as PILImage

    buffer = io.BytesIO()
    PILImage.new("RGB", (40, 30), colour).save(buffer, "PNG")
    return buffer.getvalue()


def _img_src(html: str) -> str:
    return re.search(r'<figure class="figure">\s*<img [^>]*src="([^"]+)"', html).group(1)


def test_an_image_replaced_by_an_editor_shows_at_once(client, course, trainee, educator):
    """Wagtail deletes an image's renditions (and their files) when an editor uploads a new
    file: the cached lesson body must not go on pointing at them."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from wagtail.images import get_image_model

    from curriculum.services import lesson_import
    from tests.curriculum.conftest import lesson_spec

    image = get_image_model().objects.create(
        title="Ward", file=SimpleUploadedFile("before.png", _png("white"))
    )
    figure = {"image": image.pk, "alt_text": "A quiet ward at night", "caption": "The ward."}
    spec = lesson_spec("with-figure", "With a figure", blocks=[{"type": "figure", "value": figure}])
    lesson = lesson_import(module=course[1][0], spec=spec)
    client.force_login(trainee)
    before = _img_src(client.get(lesson.url).content.decode())
    assert "before" in before

    client.force_login(educator)
    replaced = client.post(
        f"/admin/images/{image.pk}/",
        {
            "title": "Ward",
            "file": SimpleUploadedFile("after.png", _png("black"), "image/png"),
            # More than one collection (the public documents' own): the form asks which.
            "collection": image.collection_id,
        },
    )
    assert replaced.status_code == 302
    client.force_login(trainee)
    html = client.get(lesson.url).content.decode()
    after = _img_src(html)
    assert "after" in after and before not in html
    assert after == get_image_model().objects.get(pk=image.pk).get_rendition("max-900x700").url


def test_a_document_replaced_by_an_editor_shows_at_once(client, course, trainee, educator):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from wagtail.documents import get_document_model

    from curriculum.services import lesson_import
    from tests.curriculum.conftest import lesson_spec

    document = get_document_model().objects.create(
        title="Handout", file=SimpleUploadedFile("handout-v1.pdf", b"%PDF-1.4 first")
    )
    link = f'<p>Read <a linktype="document" id="{document.pk}">the handout</a>.</p>'
    body = [{"type": "rich_text", "value": link}]
    spec = lesson_spec("with-handout", "With a handout", blocks=body)
    lesson = lesson_import(module=course[1][0], spec=spec)
    client.force_login(trainee)
    old_url = document.url
    assert old_url in client.get(lesson.url).content.decode()

    client.force_login(educator)
    replaced = client.post(
        f"/admin/documents/edit/{document.pk}/",
        {
            "title": "Handout",
            "file": SimpleUploadedFile("handout-v2.pdf", b"%PDF-1.4 second", "application/pdf"),
            "collection": document.collection_id,
        },
    )
    assert replaced.status_code == 302
    client.force_login(trainee)
    html = client.get(lesson.url).content.decode()
    new_url = get_document_model().objects.get(pk=document.pk).url
    assert "handout-v2" in new_url and new_url in html and old_url not in html

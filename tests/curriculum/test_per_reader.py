"""No reader ever sees another reader's data in a lesson, whatever its blocks. For every kind of
block a lesson body can hold (read from ``LessonPage.body``, so a kind added later is covered the
day it is added): a block whose output changes with the reader's data must say so
(``per_reader``), since ``lesson_body`` renders the others once for everyone and caches them;
and after a first reader has left everything a reader can leave on the lesson (a completion,
reflections, a chosen gain, instrument answers), a second reader's page holds none of it."""

import re

import pytest
from django.core.files.images import ImageFile
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file

from curriculum import services
from curriculum.models import LessonPage
from home.roles import Role
from tests.curriculum.conftest import lesson_spec
from tests.factories import make_user

pytestmark = pytest.mark.django_db

KINDS = list(LessonPage._meta.get_field("body").stream_block.child_blocks)
GAIN = "1.15"  # a gain nobody else would choose
ANSWER = "2"  # every instrument item
REFLECTION = "Ada's private note: ask Walter about the evenings (7731)."
NAME, EMAIL = "Ada Firstreader", "ada.firstreader@test.example"


def _sample(kind: str, course) -> object:
    """A value for a block of this kind: its own preview value, or one made here for the kinds
    that need something from the database (an image, a page) or have none."""
    block = LessonPage._meta.get_field("body").stream_block.child_blocks[kind]
    made_here = {
        "figure": lambda: {
            "image": Image.objects.create(
                title="Loop", file=ImageFile(get_test_image_file().file, "loop.png")
            ).pk,
            "alt_text": "Two lines rising together",
            "caption": "The loop.",
        },
        "page_link": lambda: {"page": course[2][1].pk, "label": "", "description": ""},
        "instrument": lambda: {"instrument": "phq9", "heading": "Try the PHQ-9", "intro": ""},
    }
    if kind in made_here:
        return made_here[kind]()
    assert block.meta.preview_value is not None, (
        f"give the {kind} block a preview_value, or a sample value in this test"
    )
    return block.meta.preview_value


def _lesson_with(kind: str, course) -> LessonPage:
    spec = lesson_spec(f"probe-{kind}", f"Probe {kind}", blocks=[
        {"type": kind, "value": _sample(kind, course)}
    ])  # fmt: skip
    return services.lesson_import(module=course[1][0], spec=spec)


def _leave_everything(client, lesson) -> list:
    """As the logged-in reader: complete the lesson, answer every reflection, choose a gain and
    score every instrument, through the product's routes; the responses they were shown."""
    client.post(lesson.url + "complete/")
    for child in lesson.body:
        if child.block_type == "reflection":
            client.post(f"{lesson.url}reflect/{child.id}/", {"text": REFLECTION})
    shown = [client.get(lesson.url, {"gain": GAIN})]
    for child in lesson.body:
        if child.block_type == "instrument":
            items = len(child.block.get_context(child.value)["instrument_items"])
            answers = {f"item-{i}": ANSWER for i in range(items)}
            shown.append(client.get(f"{lesson.url}instrument/{child.id}/", answers))
    assert all(response.status_code == 200 for response in shown)
    return shown


def _without_tokens(html: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "csrf", str(html))


@pytest.mark.parametrize("kind", KINDS)
def test_a_block_whose_output_follows_the_reader_says_so(kind, client, course):
    lesson = _lesson_with(kind, course)
    client.force_login(make_user(Role.TRAINEE, email=EMAIL, display_name=NAME))
    child = lesson.body[0]
    follows = f"the {kind} block follows the reader: declare per_reader = True on it"
    try:  # as lesson_body renders it once for everyone: no request, no reader
        shared = child.render_as_block(context={"page": lesson, "block_id": child.id})
    except KeyError as missing:  # it cannot render without the reader's request
        assert child.block.per_reader, f"{follows} (it needs {missing})"
        return
    for response in _leave_everything(client, lesson):
        names = response.context.keys()  # a ContextList: iterating it gives contexts
        context = {name: response.context[name] for name in names}
        personal = child.render_as_block(context={**context, "block_id": child.id})
        if _without_tokens(personal) != _without_tokens(shared):
            assert child.block.per_reader, follows


@pytest.mark.parametrize("kind", KINDS)
def test_a_second_reader_never_sees_the_first_readers_data(kind, client, course):
    lesson = _lesson_with(kind, course)
    client.force_login(make_user(Role.TRAINEE, email=EMAIL, display_name=NAME))
    seen_by_ada = "".join(r.content.decode() for r in _leave_everything(client, lesson))
    theirs = {"You have completed this lesson.", NAME, EMAIL}
    if kind == "reflection":
        theirs.add(REFLECTION.replace("'", "&#x27;"))
    if kind == "feedback_loop":
        theirs.add(f'value="{GAIN}"')
    if kind == "instrument":
        theirs.add(f'value="{ANSWER}" checked')
    shown = {marker for marker in theirs if marker in seen_by_ada}
    assert shown >= theirs - {NAME, EMAIL}, "the first reader should see their own data"

    client.force_login(make_user(Role.TRAINEE, email="bob@test.example", display_name="Bob"))
    page = client.get(lesson.url).content.decode()
    assert {marker for marker in theirs if marker in page} == set()
    if kind == "reflection":  # their own, empty answer box
        assert "(saved)" not in page

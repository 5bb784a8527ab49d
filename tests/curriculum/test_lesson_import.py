"""The lesson import runs the editor's validation: a lesson the editor would refuse is refused
on import too, naming the lesson, and nothing is created."""

import pytest

from curriculum import services
from curriculum.models import LessonPage
from tests.curriculum.conftest import build_course, lesson_spec

pytestmark = pytest.mark.django_db


def test_a_block_the_editor_would_refuse_is_refused_on_import_naming_the_lesson():
    _, modules, _ = build_course(modules=1, lessons_per_module=1)
    too_long = {"type": "key_point", "value": {"heading": "H" * 121, "text": "Some text."}}
    spec = lesson_spec("bad-lesson", "A bad lesson", blocks=[too_long])
    with pytest.raises(services.LessonInvalid, match="lesson bad-lesson is not valid"):
        services.lesson_import(module=modules[0], spec=spec)
    assert not LessonPage.objects.filter(slug="bad-lesson").exists()


def test_an_imported_body_is_stored_as_the_editor_would_save_it():
    _, modules, _ = build_course(modules=1, lessons_per_module=1)
    untidy = {"type": "markdown", "value": "Some **bold** words.\n\n"}
    lesson = services.lesson_import(
        module=modules[0], spec=lesson_spec("tidy", "Tidy", blocks=[untidy])
    )
    stored = LessonPage.objects.get(pk=lesson.pk).body[0].value
    block = LessonPage._meta.get_field("body").stream_block.child_blocks["markdown"]
    assert stored == block.clean(untidy["value"])
    assert stored != untidy["value"]  # the editor trims what the import was given

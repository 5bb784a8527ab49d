"""Lessons and the central glossary (issue 16): a glossary_term named by key is filled from the
glossary on import (stored in the editor's shape), an unknown key is refused naming the lesson
file, and /glossary/ lists every term A to Z with an anchor and the lessons that use it."""

import re

import pytest
from django.urls import reverse

from competencies import glossary
from curriculum import seed, services
from curriculum.models import LessonPage
from tests.curriculum.conftest import build_course, lesson_spec

pytestmark = pytest.mark.django_db


def by_key(key: str) -> dict:
    return {"type": "glossary_term", "value": {"term": key}}


def test_a_term_named_by_key_is_stored_with_the_glossary_s_term_and_definition():
    _, modules, _ = build_course(modules=1, lessons_per_module=1)
    lesson = services.lesson_import(
        module=modules[0], spec=lesson_spec("scales", "Scales", blocks=[by_key("hads")])
    )
    stored = LessonPage.objects.get(pk=lesson.pk).body[0].value
    hads = glossary.entry("hads")
    assert dict(stored) == {"term": hads.term, "definition": hads.definition}


def test_an_unknown_key_is_refused_naming_the_lesson_file_and_nothing_is_created():
    _, modules, _ = build_course(modules=1, lessons_per_module=1)
    spec = lesson_spec("typo", "Typo", blocks=[by_key("hadz")])
    source = "curriculum/content/modules/09-x/01-typo.yaml"
    with pytest.raises(
        services.LessonInvalid,
        match=r"lesson curriculum/content/modules/09-x/01-typo.yaml: glossary term 'hadz' is not",
    ):
        services.lesson_import(module=modules[0], spec=spec, source=source)
    assert not LessonPage.objects.filter(slug="typo").exists()


def test_the_seed_names_each_lesson_by_its_file():
    for _module, lessons in seed.module_specs():
        for source, spec in lessons:
            assert source.startswith("curriculum/content/modules/") and source.endswith(".yaml")
            assert (seed.CONTENT.parent.parent / source).is_file(), spec["slug"]


def test_a_lesson_term_links_to_its_glossary_entry(client, django_user_model):
    _, modules, _ = build_course(modules=1, lessons_per_module=1)
    hand_written = {"type": "glossary_term", "value": {"term": "Zqhome", "definition": "Ours."}}
    lesson = services.lesson_import(
        module=modules[0],
        spec=lesson_spec("terms", "Terms", blocks=[by_key("empathy"), hand_written]),
    )
    client.force_login(django_user_model.objects.create_user("reader", "r@example.org", "x"))
    html = client.get(lesson.url).content.decode()
    assert f'href="{reverse("curriculum:glossary")}#empathy"' in html
    assert "See “Empathy” in the glossary" in html
    assert "Zqhome" in html and "See “Zqhome”" not in html  # a hand-written term: no link


def test_the_glossary_page_lists_every_term_a_to_z_with_anchors_and_lessons(client):
    _, modules, _ = build_course(modules=1, lessons_per_module=1)
    uses = services.lesson_import(
        module=modules[0],
        spec=lesson_spec("about-hads", "About the HADS", blocks=[by_key("hads")]),
    )
    response = client.get(reverse("curriculum:glossary"))  # anonymous: a public page
    assert response.status_code == 200
    html = response.content.decode()
    assert "<dl" in html and "<h1>Glossary</h1>" in html
    anchors = re.findall(r'<dt id="([a-z0-9-]+)">', html)
    assert anchors == list(glossary.entries())  # every key, alphabetical by term
    assert '<a href="#letter-h">H</a>' in html and 'id="letter-h"' in html
    hads_entry = html[html.index('<dt id="hads">') : html.index('<dt id="ice">')]
    assert f'<a href="{uses.url}">About the HADS</a>' in hads_entry
    assert '<a href="#phq-9">PHQ-9</a>' in hads_entry  # see also
    empathy = html[html.index('<dt id="empathy">') : html.index('<dt id="expressed-emotion">')]
    assert "Used in" not in empathy  # no lesson here uses it


def test_the_glossary_page_takes_no_post(client):
    assert client.post(reverse("curriculum:glossary")).status_code == 405

"""The curriculum pages use a fixed number of queries, however big the course or the record."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from curriculum import services
from curriculum.models import LessonPage, ModulePage
from tests.curriculum.conftest import build_course, lesson_spec, module_spec

pytestmark = pytest.mark.django_db


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def _grow(index, trainee, *, modules: int, lessons: int):
    for m in range(modules):
        module = services.module_import(index=index, spec=module_spec(f"extra{m}", f"Extra {m}"))
        for n in range(lessons):
            lesson = services.lesson_import(
                module=module, spec=lesson_spec(f"extra{m}-{n}", f"Extra {m}.{n}")
            )
            services.lesson_complete(user=trainee, lesson=lesson)


def test_curriculum_module_and_lesson_pages_do_not_grow_with_the_course(client, trainee):
    index, modules, lessons = build_course(modules=1, lessons_per_module=2)
    client.force_login(trainee)
    urls = ["/course/", modules[0].url, lessons[0].url, lessons[1].url]
    for url in urls:  # warm caches (site root paths, sessions) once
        client.get(url)
    small = {url: _count(client, url) for url in urls}

    _grow(index, trainee, modules=6, lessons=5)
    for lesson in lessons:
        services.lesson_complete(user=trainee, lesson=lesson)
    for url in urls:  # publishing dropped the cached tree and routes: warm them again
        client.get(url)
    large = {url: _count(client, url) for url in urls}

    assert ModulePage.objects.count() == 7 and LessonPage.objects.count() == 32
    assert large == small


def test_the_budget_holds_as_tests(client, trainee, django_assert_max_num_queries):
    _index, modules, lessons = build_course(modules=3, lessons_per_module=4)
    client.force_login(trainee)
    client.get("/course/")
    # Wagtail's routing and view restrictions come from the cache (home.caching), and so do a
    # lesson's shared blocks; what is left is the session, the person and their own records.
    with django_assert_max_num_queries(3):
        client.get("/course/")
    client.get(modules[1].url)
    with django_assert_max_num_queries(8):
        client.get(modules[1].url)
    client.get(lessons[0].url)
    with django_assert_max_num_queries(3):
        client.get(lessons[0].url)

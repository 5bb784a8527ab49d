"""Visitors see the syllabus and the cases before signing up (issue 18): module and lesson
titles with times, each case's title, setting and role, and the free taster from the home page;
lesson bodies (other than the taster) and playing a case stay for members."""

import pytest

from cases.models import CaseVignettePage
from curriculum.models import LessonPage
from tests.cases.conftest import build_case
from tests.curriculum.conftest import build_course

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db):
    index, modules, lessons = build_course()
    case = build_case()
    CaseVignettePage.objects.filter(pk=case.pk).update(profession="nurse")
    return index, modules, lessons, case


def test_visitors_see_the_syllabus_but_not_the_lessons(client, world):
    index, modules, lessons, _case = world
    response = client.get(index.url)
    assert response.status_code == 200
    html = response.content.decode()
    for module in modules:
        assert module.title in html
    for lesson in lessons:
        assert lesson.title in html
    assert "about 10 min" in html
    assert f"{len(lessons)} lessons, about 0.5 hours" in html  # 4 lessons of 10 minutes
    taster = next(lesson for lesson in lessons if lesson.taster)
    assert f'href="{taster.url}"' in html
    for lesson in lessons:
        if not lesson.taster:
            assert f'href="{lesson.url}"' not in html  # titles only: no links into members' pages
            assert "/login/" in client.get(lesson.url)["Location"]
    for module in modules:
        assert "/login/" in client.get(module.url)["Location"]
    # Nothing personal: no progress, no "continue where you left off".
    assert "You have completed" not in html


def test_the_visitors_syllabus_is_cached_and_follows_publishing(client, world):
    index, _modules, lessons, _case = world
    client.get(index.url)
    lesson = LessonPage.objects.get(pk=lessons[-1].pk)
    lesson.title = "A retitled lesson"
    lesson.save_revision().publish()
    assert "A retitled lesson" in client.get(index.url).content.decode()


def test_members_still_see_their_progress(client, world, trainee):
    index, *_ = world
    client.force_login(trainee)
    html = client.get(index.url).content.decode()
    assert "You have completed 0 of" in html
    assert "The syllabus" not in html


def test_visitors_see_the_cases_but_cannot_play(client, world):
    *_, case = world
    index = case.get_parent()
    response = client.get(index.url)
    assert response.status_code == 200
    html = response.content.decode()
    assert case.title in html
    assert case.setting.name in html
    assert "Your role: Nurse" in html
    assert f'href="{case.url}"' not in html
    assert case.patient_summary[:40] not in html
    assert "/login/" in client.get(case.url)["Location"]
    assert "/login/" in client.post(case.url + "start/")["Location"]


def test_members_see_their_case_status(client, world, trainee):
    *_, case = world
    client.force_login(trainee)
    html = client.get(case.get_parent().url).content.decode()
    assert f'href="{case.url}"' in html
    assert "Not started" in html


def test_the_home_page_leads_visitors_to_the_taster_the_syllabus_and_the_cases(client, world):
    index, _modules, lessons, case = world
    html = client.get("/").content.decode()
    taster = next(lesson for lesson in lessons if lesson.taster)
    for url in (
        taster.url,
        index.url,
        case.get_parent().url,
        "/accounts/login/",
        "/accounts/signup/",
    ):
        assert f'href="{url}"' in html, url
    assert client.get(taster.url).status_code == 200

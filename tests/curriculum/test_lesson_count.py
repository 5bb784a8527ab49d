"""One lesson count, explained: the course page and the trainee's dashboard count core lessons,
as readiness and the supervisor's table do, and show the optional lesson apart, marked optional."""

import re

import pytest
from django.utils.html import strip_tags

from curriculum import services
from curriculum.models import LessonPage
from supervision import selectors as supervision_selectors
from supervision import services as supervision_services

from .conftest import build_course, lesson_spec

pytestmark = pytest.mark.django_db


def _text(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return re.sub(r"\s+", " ", strip_tags(response.content.decode()))


def test_every_screen_counts_the_same_core_lessons(client, trainee, supervisor):
    index, modules, lessons = build_course(modules=1, lessons_per_module=3)
    services.lesson_import(
        module=modules[0], spec=lesson_spec("extension", "Going further", core=False)
    )
    assert LessonPage.objects.live().count() == 4
    services.lesson_complete(user=trainee, lesson=lessons[0])
    supervision_services.supervisor_assign(supervisor=supervisor, trainee=trainee)

    client.force_login(trainee)
    dashboard = _text(client, "/dashboard/")
    course = _text(client, index.url)
    for text in (dashboard, course):
        assert "You have completed 1 of 3 core lessons." in text
        assert "Optional, not counted toward sign-off: Going further (not done yet)." in text
        assert "You have completed 1 of 4" not in text
    assert "Complete 2 more core lessons." in dashboard

    table = supervision_selectors.trainee_table(supervisor=supervisor, show="all")
    (row,) = supervision_selectors.rows_for([trainee.pk], table)
    assert (row["lessons_done"], row["lessons_total"]) == (1, 3)
    client.force_login(supervisor)
    assert re.search(r"<td>1 of 3</td>", client.get("/supervision/").content.decode())

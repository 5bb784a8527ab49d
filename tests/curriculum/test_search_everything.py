"""Search finds cases and catalogue entries as well as modules and lessons (issue 18), each
result labelled with its kind; visitors find only what they may open (the taster)."""

import pytest

from competencies import services as catalogue_services
from tests.cases.conftest import build_case
from tests.curriculum.conftest import build_course

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db):
    build_course()
    case = build_case(title="Walter after a fall")
    catalogue_services.factor_upsert(
        slug="kinesiophobia", name="Kinesiophobia", kind="emotional",
        definition="A fear of movement, expecting that moving will cause harm or pain.",
    )  # fmt: skip
    catalogue_services.intervention_upsert(
        slug="graded-exposure", name="Graded exposure", kind="psychological", intensity="low",
        summary="Facing feared movements step by step, starting small.", evidence="Moderate.",
    )  # fmt: skip
    return case


def _results(html: str) -> str:
    """The results, after the heading that repeats the query."""
    return html.split('id="results-title"', 1)[1].split("</h2>", 1)[1]


def test_members_find_cases_factors_and_interventions_labelled(client, world, trainee):
    client.force_login(trainee)
    html = _results(client.get("/search/", {"q": "Walter"}).content.decode())
    assert (
        '<span class="tag">Case</span> <a href="' + world.url + '">Walter after a fall</a>' in html
    )
    html = _results(client.get("/search/", {"q": "fear movement"}).content.decode())
    assert '<span class="tag">Psychosocial factor</span> <strong>Kinesiophobia</strong>' in html
    assert "expecting that moving will cause harm" in html
    html = _results(client.get("/search/", {"q": "graded exposure"}).content.decode())
    assert '<span class="tag">Intervention</span> <strong>Graded exposure</strong>' in html
    html = _results(client.get("/search/", {"q": "Lesson"}).content.decode())
    assert '<span class="tag">Lesson</span>' in html
    assert '<span class="tag">Free taster lesson</span>' in html


def test_visitors_find_only_the_taster(client, world):
    for q in ("Walter", "Kinesiophobia", "graded exposure", "Module"):
        html = _results(client.get("/search/", {"q": q}).content.decode())
        for hidden in ("Walter after a fall", "Kinesiophobia", "Graded exposure", "Module 0"):
            assert hidden not in html, (q, hidden)
        for kind in ("Case", "Psychosocial factor", "Intervention", "Module", "Lesson"):
            assert f'<span class="tag">{kind}</span>' not in html, (q, kind)
    html = _results(client.get("/search/", {"q": "Lesson"}).content.decode())
    assert '<span class="tag">Free taster lesson</span>' in html

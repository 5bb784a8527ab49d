"""The public framework page (/competency/) and its download: every element's description, what
a supervisor looks for, what falls short and further reading, for anyone, in a few queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.html import escape

from competencies import seed

pytestmark = pytest.mark.django_db

ELEMENTS = seed.load("elements.yaml")


@pytest.fixture
def framework(db):
    seed.load_catalogues()


def test_the_page_shows_every_element_with_what_to_look_for(client, framework):
    response = client.get("/competency/")
    assert response.status_code == 200
    html = response.content.decode()
    for element in ELEMENTS:
        assert escape(element["name"]) in html
        assert f'id="element-{element["code"]}"' in html
        for item in element["indicative_behaviours"] + element.get("not_yet", []):
            assert escape(item) in html, item
        for item in element["further_reading"]:
            assert f"<cite>{escape(item['cite'])}</cite>" in html
    assert html.count("What a supervisor looks for") == len(ELEMENTS)
    assert 'href="/competency/behaviours.md" download' in html


def test_every_page_links_to_the_framework_in_its_footer(client, framework):
    footer = client.get("/accounts/login/").content.decode().split('class="site-footer')[1]
    assert 'href="/competency/"' in footer


def test_the_download_is_a_markdown_file_with_everything(client, framework):
    response = client.get("/competency/behaviours.md")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/markdown; charset=utf-8"
    assert response["Content-Disposition"] == (
        'attachment; filename="psychosocial-competency-behaviours.md"'
    )
    text = response.content.decode()
    assert text.startswith("# Psychosocial competency")
    for element in ELEMENTS:
        assert f"## {element['order']}. {element['name']}\n" in text
        for item in element["indicative_behaviours"]:
            assert f"- {item}\n" in text
        for item in element["further_reading"]:
            assert f"- {item['cite']}: {item['note']}\n" in text
    assert "&#x27;" not in text and "&quot;" not in text  # plain text, not HTML-escaped


def test_an_empty_framework_says_so(client, db):
    assert "has not been set up yet" in client.get("/competency/").content.decode()
    assert client.get("/competency/behaviours.md").status_code == 200


@pytest.mark.parametrize("url", ["/competency/", "/competency/behaviours.md"])
def test_only_get_is_allowed(client, framework, url):
    assert client.post(url).status_code == 405


@pytest.mark.parametrize("url", ["/competency/", "/competency/behaviours.md"])
def test_the_framework_costs_no_query_per_element_once_cached(client, framework, url):
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    assert len(ctx.captured_queries) <= 2, [q["sql"][:80] for q in ctx.captured_queries]


def test_authored_behaviours_and_reading_never_run(client, supervisor, trainee):
    from competencies import services
    from supervision import services as supervision_services
    from tests.test_stored_xss import PAYLOAD, SEEN, assert_nothing_runs

    services.element_upsert(
        code="elicit", name="Elicit", description=PAYLOAD, order=1,
        indicative_behaviours=[PAYLOAD, f"{SEEN} second"], not_yet=[PAYLOAD],
        further_reading=[{"cite": PAYLOAD, "note": PAYLOAD}],
    )  # fmt: skip
    supervision_services.supervisor_assign(supervisor=supervisor, trainee=trainee)
    client.force_login(supervisor)
    for url in ["/competency/", f"/supervision/trainees/{trainee.pk}/observations/new/"]:
        html = client.get(url).content.decode()
        assert SEEN in html, url
        assert_nothing_runs(html, url)
    client.force_login(trainee)
    html = client.get("/dashboard/").content.decode()
    assert f"{SEEN} second" in html
    assert_nothing_runs(html, "/dashboard/")

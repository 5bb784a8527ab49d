"""Pages with personal data are never kept by a browser or a shared cache: every response to a
logged-in person carries ``Cache-Control: private, no-store``, over every URL of the
authorisation matrix (tests/test_authorization.py), so a new page cannot forget it."""

import pytest
from django.http import HttpResponse
from django.utils.cache import patch_cache_control

from home.middleware import PrivateCacheMiddleware
from tests.test_authorization import ANON, EVERYONE, world  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db


def _private(response) -> bool:
    parts = {p.strip() for p in response.headers.get("Cache-Control", "").split(",")}
    return {"private", "no-store"} <= parts and "public" not in parts


def test_every_url_of_the_matrix_is_private_for_every_member(client, world):  # noqa: F811
    people, urls = world
    failures = []
    for role in sorted(EVERYONE - {ANON}):
        client.logout()
        client.force_login(people[role])
        for url in urls.values():
            response = client.get(url)
            if not _private(response):
                failures.append(f"GET {url} as {role}: {response.headers.get('Cache-Control')}")
    assert failures == [], "\n".join(failures)


def test_csv_exports_and_posts_are_private_too(client, supervisor, trainee):
    client.force_login(supervisor)
    export = client.get("/supervision/export.csv")
    assert export.status_code == 200
    assert _private(export)
    client.force_login(trainee)
    posted = client.post("/cohorts/join/", {"code": "NO-SUCH-CODE"})
    assert _private(posted)


def test_a_view_that_says_public_is_made_private_for_a_member(rf, trainee):
    def view(request):
        response = HttpResponse("hello")
        patch_cache_control(response, public=True, max_age=600)
        return response

    request = rf.get("/")
    request.user = trainee
    response = PrivateCacheMiddleware(view)(request)
    assert _private(response)
    assert "max-age=600" in response.headers["Cache-Control"]

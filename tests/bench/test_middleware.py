"""The cold runs' middleware (``bench.middleware``): a request marked ``X-Bench-Cold: 1`` is
answered as right after a write to the person's records; unmarked requests and visitors are
left alone."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bench.middleware import HEADER
from home import caching

pytestmark = pytest.mark.django_db


@pytest.fixture
def cold_runs(settings):
    """The middleware where ``psycomp.settings.bench`` puts it: just after authentication."""
    after = settings.MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware")
    settings.MIDDLEWARE = [
        *settings.MIDDLEWARE[: after + 1],
        "bench.middleware.ColdRecordsMiddleware",
        *settings.MIDDLEWARE[after + 1 :],
    ]


def _get(client, path, **headers):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, headers=headers)
    assert response.status_code == 200
    return response, len(queries.captured_queries)


def _version(person):
    return caching.records_versions([person.pk])[person.pk]


def test_a_marked_request_is_answered_as_after_a_write(client, trainee, cold_runs):
    client.force_login(trainee)
    _get(client, "/dashboard/")
    version = _version(trainee)
    _, warm = _get(client, "/dashboard/")
    assert _version(trainee) == version  # an unmarked request changes nothing
    _, cold = _get(client, "/dashboard/", **{HEADER: "1"})
    assert _version(trainee) != version
    assert cold > warm  # the trainee's part was built again from the database
    # The same queries as after the call a real write makes.
    caching.records_changed(trainee.pk)
    _, after_write = _get(client, "/dashboard/")
    assert after_write == cold


def test_visitors_and_other_values_pass_through(client, trainee, cold_runs):
    _get(client, "/", **{HEADER: "1"})  # nobody signed in: nothing to change
    client.force_login(trainee)
    _get(client, "/dashboard/")
    version = _version(trainee)
    _get(client, "/dashboard/", **{HEADER: "0"})
    assert _version(trainee) == version

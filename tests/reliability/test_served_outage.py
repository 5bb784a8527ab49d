"""A real database outage under a real gunicorn: every request during it gets the friendly 503
page with Retry-After (visitors and signed-in trainees alike), nothing is written, and once the
database is back the same gunicorn serves again, with no restart.

On PostgreSQL gunicorn reaches the database through a TCP proxy in the test, with persistent
connections (DB_CONN_MAX_AGE=60): the outage drops the open connections and refuses new ones,
as a server that stops does, without touching the shared server. On SQLite the folder holding
the database file is moved away, so that opening it fails, and then moved back. The gunicorn is
the one the worker-kill test uses (conftest.served_server), whichever runs first.
"""

import random
import re

import pytest
import requests

from home.views import RETRY_AFTER_SECONDS
from tests.reliability.served_client import Forms, fill

pytestmark = pytest.mark.django_db

FRIENDLY = "The site cannot reach its records just now"


def answered(member, base, attempt_url) -> str:
    """'n of m' from the attempt's own summary page."""
    page = member.get(f"{base}{attempt_url}?q=99")
    return re.search(r"You have answered (\d+ of \d+)", page.text).group(1)


def test_database_outage_gets_the_503_page_and_the_site_recovers(served_site, served_server):
    (_, seed), (server, outage) = served_site, served_server
    trainee = seed["trainees"][3]  # nobody else's: the worker-kill test uses the first three
    base, master, workers = server.base, server.process.pid, server.worker_pids()
    visitor, member = requests.Session(), requests.Session()
    member.cookies.set(seed["session_cookie"], trainee["sessions"][0])
    quiz = seed["quiz_url"]
    overview = member.get(base + quiz)
    start = Forms(overview.text).find(f"{quiz}start/")
    page = member.post(base + start["action"], fill(start, random.Random(1)))
    attempt_url = re.search(rf"{re.escape(quiz)}attempt/\d+/", page.url).group(0)
    answer = fill(Forms(page.text).find(attempt_url), random.Random(2))
    assert answered(member, base, attempt_url) == "0 of 6"

    # A blip between requests: every open connection dropped, the database back at once.
    # The workers' persistent connections are dead; the health check finds that out before
    # a request uses one, so nobody sees an error.
    for session, path in [(visitor, "/"), (member, "/dashboard/")] * 3:
        assert session.get(base + path).status_code == 200, path
    outage.cut()
    outage.restore()
    for session, path in [(visitor, "/"), (member, "/dashboard/")] * 3:
        assert session.get(base + path).status_code == 200, f"{path} after a blip"

    outage.cut()
    try:
        requests_made = [
            (visitor, "GET", "/", None),
            (visitor, "GET", seed["lesson_url"], None),
            (visitor, "GET", quiz, None),
            (member, "GET", "/dashboard/", None),
            (member, "GET", attempt_url, None),
            (member, "POST", attempt_url, answer),
        ]
        for session, method, path, data in requests_made * 2:  # both workers
            response = session.request(method, base + path, data=data)
            if session is visitor and response.status_code == 200:
                continue  # a public page whose parts are all in the cache can still be served
            assert response.status_code == 503, (path, response.status_code)
            assert response.headers["Retry-After"] == str(RETRY_AFTER_SECONDS)
            assert FRIENDLY in response.text and "Traceback" not in response.text
    finally:
        outage.restore()

    # Back at once, in the same gunicorn: no request after the outage fails.
    for session, path in [(visitor, "/"), (member, "/dashboard/")] * 3:
        assert session.get(base + path).status_code == 200, path
    assert answered(member, base, attempt_url) == "0 of 6"  # nothing was written
    assert member.post(base + attempt_url, data=answer).status_code == 200
    assert answered(member, base, attempt_url) == "1 of 6"
    assert server.process.poll() is None and server.worker_pids() == workers
    assert server.process.pid == master
    log = server.log_tail(100_000)
    assert "Service Unavailable" in log  # logged for the operators, with the cause

"""The number of queries a page costs on a warm request (the one every reader but the first
makes)."""

from django.db import connection
from django.test.utils import CaptureQueriesContext


def page_queries(client, url) -> int:
    client.get(url)  # caches filled, as for every request but the first
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)

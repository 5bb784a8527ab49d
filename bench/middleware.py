"""The cold runs of ``make bench``: a page measured as it is right after a write to the
person's records (a trainee answering a case step, finishing a lesson), not as it is viewed
again with every cache warm.

Installed by ``psycomp.settings.bench`` only, after the authentication middleware. For a
request with the header ``X-Bench-Cold: 1`` from a signed-in person, it makes the call every
write to that person's records makes, ``home.caching.records_changed``, before the view runs:
whatever is cached about the person is then read afresh and built again from the database,
exactly as after a real write. Everything else (published content, sessions, roles) stays as a
write leaves it. ``bench/run.py`` sends the header in its cold runs (``bench/wrk.lua``).
"""

from home.caching import records_changed

HEADER = "X-Bench-Cold"


class ColdRecordsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.headers.get(HEADER) == "1" and request.user.is_authenticated:
            records_changed(request.user.pk)
        return self.get_response(request)

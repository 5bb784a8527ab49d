"""gunicorn settings for the worker-kill test: warm the application in the master.

With ``--preload`` Django is loaded once in the master and each worker is a fork of it. A fork
that has served nothing yet takes about 700 ms over its first request (templates compiled, URL
patterns and Wagtail's site lookup filled in) against 35 ms after; killed every half second, the
workers would spend the run warming up. So the master serves the pages named in WARM_PATHS to
itself, signed in with the session WARM_SESSION, before it forks, and then closes its database
connections so that no worker inherits one.
"""

import os


def when_ready(server):
    from django.conf import settings
    from django.db import connections
    from django.test import Client

    client = Client()
    if os.environ.get("WARM_SESSION"):
        client.cookies[settings.SESSION_COOKIE_NAME] = os.environ["WARM_SESSION"]
    for path in filter(None, os.environ.get("WARM_PATHS", "").split(",")):
        client.get(path)
    connections.close_all()

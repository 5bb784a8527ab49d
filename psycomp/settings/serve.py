"""`make run`: the demo served by gunicorn, with DEBUG off so that the real 404 and 500 pages show.

Still local only: a throwaway key, email to the demo's inbox (var/demo-mail/, read at
/demo/mail/) and plain HTTP on 127.0.0.1.
"""

from .dev import *  # noqa: F403

DEBUG = False
# The demo as served needs no benchmark: the development-only app stays with `manage.py`.
INSTALLED_APPS = [app for app in INSTALLED_APPS if app != "bench"]

"""WSGI entry point for gunicorn. DJANGO_SETTINGS_MODULE picks the environment (production here)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "psycomp.settings.production")

application = get_wsgi_application()

"""The test suite: fast password hashing, an in-memory cache, email kept in memory."""

import os

from .base import *  # noqa: F403

# The benchmark's app: tests/bench builds its dataset and plan.
INSTALLED_APPS = [*INSTALLED_APPS, "bench"]

DEBUG = False
SECRET_KEY = "test-only-insecure-key"  # noqa: S105
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Room for every entry a test makes: at LocMemCache's default of 300 a test that caches a row
# per trainee for 1,000 trainees culled a third of the cache at random, version keys included,
# and its query count then depended on which keys went.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "OPTIONS": {"MAX_ENTRIES": 1_000_000},
    }
}
SESSION_ENGINE = "django.contrib.sessions.backends.db"
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
# Tests that need the manifest build collectstatic first; the rest use plain storage.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_AUTOREFRESH = True
# Each pass of `make test` (they run side by side) keeps its uploads apart.
MEDIA_ROOT = os.environ.get("TEST_MEDIA_ROOT") or BASE_DIR / ".test-media"
if os.environ.get("DATABASE_URL", "").startswith("postgres"):
    # TEST_DB_NAME lets two checkouts run the PostgreSQL pass at once without sharing a database.
    DATABASES["default"]["TEST"] = {"NAME": os.environ.get("TEST_DB_NAME", "psycomp_test")}
ALLOW_DEMO_DATA = True
# Load and crash tests drive a few accounts far faster than a person: they loosen the per-person
# limits (tests/home/test_rate_limits.py checks the real ones).
if os.environ.get("TEST_RATE_LIMITS") == "loose":
    RATE_LIMITS = {"scoring": (100_000, 60), "signoff": (100_000, 60), "secret": (100_000, 60)}
# pytest's own SQLite database lives in memory with a shared cache, where locks are per table and
# BEGIN IMMEDIATE would make the backup tests' second connection wait forever; one process uses
# it, so the IMMEDIATE mode (for gunicorn's workers sharing a file) is not needed there. Served
# tests (tests/reliability) name a file in DATABASE_URL and keep it.
if not os.environ.get("DATABASE_URL"):
    DATABASES["default"].get("OPTIONS", {}).pop("transaction_mode", None)

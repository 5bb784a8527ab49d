"""The benchmark (`make bench`): the production settings, served over plain HTTP on 127.0.0.1.

Differences from production, and why: the development-only ``bench`` app is installed (its
commands build the dataset and the plan, its middleware serves the cold runs); no HTTPS
redirect, HSTS or Secure cookies (the load generator speaks plain HTTP to 127.0.0.1); email
goes nowhere; synthetic data is allowed (the bench database is built by `seed_scale`);
database connections are kept open between requests, as any production deployment behind a
pool does. SECRET_KEY and ALLOWED_HOSTS still come from the environment: `bench/run.py`
generates the key once per run and hands it to every process.
"""

import os

from .base import env_int
from .production import *  # noqa: F403

# The benchmark's app (seed_scale, bench_prepare): installed here, never by production itself.
INSTALLED_APPS = [*INSTALLED_APPS, "bench"]
# Its cold runs: a request marked X-Bench-Cold first does what a write to the person's records
# does (bench.middleware), so the page is measured as it is right after one.
_signed_in = MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1
MIDDLEWARE = [
    *MIDDLEWARE[:_signed_in],
    "bench.middleware.ColdRecordsMiddleware",
    *MIDDLEWARE[_signed_in:],
]

SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = False
SECURE_HSTS_PRELOAD = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http"
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.dummy.EmailBackend"}}
DATABASES["default"]["CONN_MAX_AGE"] = env_int("DB_CONN_MAX_AGE", 600)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
ALLOW_DEMO_DATA = True
# The load generator drives a handful of accounts far faster than any person: the per-person
# limits on scoring POSTs (home.ratelimit) would answer it with 429s.
RATE_LIMITS = {"scoring": (10**9, 60), "signoff": (10**9, 60), "secret": (10**9, 60)}
# bench/run.py gives every run its own prefix, so a cache shared between runs (Redis) never
# answers with pages of another bench database.
CACHES["default"]["KEY_PREFIX"] = os.environ.get("CACHE_KEY_PREFIX", "")
if DATABASES["default"]["ENGINE"] in ("home.sqlite", "django.db.backends.sqlite3"):
    # SQLite served by several processes: write-ahead logging (readers never wait for a writer),
    # no fsync per commit, and write transactions that take the lock when they begin, so two
    # workers never deadlock upgrading their locks ("database is locked").
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    )

"""Shared fixtures: people in each role, and the real browser for Playwright tests."""

import os
import shutil
import sys
from pathlib import Path

import hypothesis
import pytest
from django.core.cache import cache

# Playwright's sync API runs an event loop in the test thread; Django must allow ORM calls there.
# Set for the test process only, never in settings.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from home.roles import Role
from tests.factories import make_user

# Property tests check behaviour, not speed (speed is measured by `make bench`): hypothesis's
# 200 ms deadline per example failed them on a busy machine (a mutation run beside the suite).
hypothesis.settings.register_profile("psycomp", deadline=None)
hypothesis.settings.load_profile("psycomp")

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def _chromium_path() -> str:
    for candidate in (shutil.which("chromium"), "/usr/lib/chromium/chromium", "/usr/bin/chromium"):
        if candidate and Path(candidate).exists():
            return candidate
    raise RuntimeError("Chromium is not installed: run `make test`, which installs it.")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Point pytest-playwright at Debian's Chromium instead of Playwright's own download."""
    return {
        **browser_type_launch_args,
        "executable_path": _chromium_path(),
        "args": CHROMIUM_FLAGS,
    }


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Wagtail caches site root paths; a flushed database must not meet a stale cache (nor
    this process's note of the content version, see home.caching)."""
    from home import caching

    cache.clear()
    caching.forget_local()
    yield
    cache.clear()
    caching.forget_local()


@pytest.fixture
def trainee(db):
    return make_user(Role.TRAINEE, email="trainee@test.example", display_name="Tara Trainee")


@pytest.fixture
def other_trainee(db):
    return make_user(Role.TRAINEE, email="other@test.example", display_name="Omar Other")


@pytest.fixture
def supervisor(db):
    return make_user(Role.SUPERVISOR, email="super@test.example", display_name="Sita Supervisor")


@pytest.fixture
def educator(db):
    return make_user(Role.EDUCATOR, email="educator@test.example", display_name="Ed Educator")


@pytest.fixture
def administrator(db):
    return make_user(
        Role.ADMINISTRATOR, email="admin@test.example", display_name="Ada Admin", superuser=True
    )


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Keep the serialized test database (for ``serialized_rollback``) visible in every context.

    Django keeps it on the connection object, and connection objects are per context: tests run
    by Playwright's sync API get fresh ones, which would lack it (so a transactional browser test
    that followed an ordinary test would start from an empty database). Putting the same value on
    the connection class makes every new connection object see it.
    """
    from django.db import connections

    for alias in connections:
        contents = getattr(connections[alias], "_test_serialized_contents", None)
        if contents is not None:
            type(connections[alias])._test_serialized_contents = contents
    return django_db_setup


DB_FIXTURES = {"db", "transactional_db", "django_db_reset_sequences", "live_server"}


def _on_postgresql() -> bool:
    from django.db import connection

    return connection.vendor == "postgresql"


def pytest_collection_modifyitems(config, items):
    """Mark tests that never touch a database ``nodb`` (pure engines, scoring, instruments), so
    the PostgreSQL pass of ``make test`` can leave them out: they ran on the SQLite pass and a
    second database cannot change their result. pytest-django refuses database access to any
    test without these fixtures or the django_db mark, so the marking cannot hide one."""
    for item in items:
        uses_db = item.get_closest_marker("django_db") or DB_FIXTURES & set(item.fixturenames)
        if not uses_db:
            item.add_marker(pytest.mark.nodb)
    # Tests that need PostgreSQL's row locks are deselected (and counted as deselected in the
    # summary) on SQLite; the PostgreSQL pass of `make test`, required under CI, runs them.
    # The benchmark's smoke run copies the SQLite test database for its servers, so it runs on
    # the SQLite pass only (deselected, and counted as such, on the PostgreSQL pass).
    unwanted = "sqlite_only" if _on_postgresql() else "postgres"
    kept = [item for item in items if not item.get_closest_marker(unwanted)]
    if len(kept) != len(items):
        config.hook.pytest_deselected(items=[i for i in items if i not in kept])
        items[:] = kept


def pytest_terminal_summary(terminalreporter):
    """The test-wise trainees' figures (tests/bots), when their test ran: first attempts are the
    evidence; the harvester's retakes and replays are practice."""
    bots = sys.modules.get("tests.bots.test_bots")
    FIGURES = getattr(bots, "FIGURES", None)
    if not FIGURES:
        return
    write = terminalreporter.write_line
    terminalreporter.section("test-wise trainees (tests/bots), first attempts")
    write(f"{'bot':<11} {'quiz %':>7} {'case %':>7} {'retake %':>9} {'replay %':>9}  met  ready")
    for name, f in FIGURES.items():
        retake = f"{f['quiz_retake']:9.1f}" if "quiz_retake" in f else f"{'':9}"
        replay = f"{f['case_replay']:9.1f}" if "case_replay" in f else f"{'':9}"
        write(
            f"{name:<11} {f['quiz']:7.1f} {f['case']:7.1f} {retake} {replay}  "
            f"{f['met']}/{f['elements']}  {'yes' if f['ready'] else 'no'}"
        )

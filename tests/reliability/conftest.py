"""The served site shared by the gunicorn tests: a copy of the migrated test database, seeded
once with a course, a quiz, a vignette and trainees with sessions, and one gunicorn serving it
(started once: it takes seconds)."""

import time

import pytest

from tests.reliability.served import FolderAway, Gunicorn, ServedDatabase, TcpProxy


@pytest.fixture(scope="session")
def served_site(django_db_setup, django_db_blocker, tmp_path_factory):
    """(database, seed): the copy and what ``served_data seed`` made in it. The copy is taken
    from what is committed in the test database (migrations and their data), never from a
    test's transaction; it is removed at the end of the session."""
    folder = tmp_path_factory.mktemp("served")
    started = time.monotonic()
    with django_db_blocker.unblock():
        database = ServedDatabase.clone(folder)
    try:
        seed = database.run("seed", "--trainees", "5")
        seed["prepared in"] = time.monotonic() - started
        yield database, seed
    finally:
        database.drop()


@pytest.fixture(scope="session")
def served_server(served_site, tmp_path_factory):
    """(gunicorn, outage) on the served copy. On PostgreSQL gunicorn reaches the database through
    a TcpProxy with persistent connections (DB_CONN_MAX_AGE=60), as in production; on SQLite it
    opens the file for each request. ``outage.cut()`` / ``outage.restore()`` take the database
    away and bring it back. Trainees: the worker-kill test uses the first three, the outage test
    the fourth; the master warms itself up signed in as the last (gunicorn_warm.py)."""
    database, seed = served_site
    warm = {
        "WARM_PATHS": ",".join(
            ["/", "/dashboard/", seed["quiz_url"], seed["case_url"], seed["lesson_url"]]
        ),
        "WARM_SESSION": seed["trainees"][-1]["sessions"][0],
    }
    if database.vendor == "postgresql":
        pg = database.settings
        outage = TcpProxy((pg.get("HOST") or "127.0.0.1", int(pg.get("PORT") or 5432)))
        env = database.environ(DB_CONN_MAX_AGE=60, **warm)
        env["DATABASE_URL"] = database.url(port=outage.port)
    else:
        outage, env = FolderAway(database.name), database.environ(**warm)
    log = tmp_path_factory.mktemp("gunicorn") / "gunicorn.log"
    started = time.monotonic()
    with outage, Gunicorn(env, log, warm=True) as server:
        seed["prepared in"] += time.monotonic() - started
        yield server, outage

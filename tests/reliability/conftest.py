"""The served site shared by the gunicorn tests: a copy of the migrated test database, seeded
once with a course, a quiz, a vignette and trainees with sessions."""

import time

import pytest

from tests.reliability.served import ServedDatabase


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

"""A second, empty database for the tests that restore into one (backup round trips, the
upgrade rehearsal): a new SQLite file beside the test's files, or a PostgreSQL database named
after the test database (so that two checkouts running at once never share it), dropped before
(left over by an interrupted run) and after."""

from contextlib import contextmanager

from django.db import connections

from home.backup.databases import temporary_alias


@contextmanager
def empty_database(tmp_path, purpose: str):
    """Yield the alias of an empty database for ``purpose`` (a word: ``restored``, ``upgrade``)."""
    default = connections["default"].settings_dict
    if connections["default"].vendor == "sqlite":
        with temporary_alias(default, NAME=str(tmp_path / f"{purpose}.sqlite3")) as alias:
            yield alias
        return
    with temporary_alias(default, NAME=f"{default['NAME']}_{purpose}") as alias:
        _drop(alias)
        try:
            yield alias
        finally:
            _drop(alias)


def _drop(alias: str) -> None:
    connection = connections[alias]
    connection.close()
    with connection._nodb_cursor() as cursor:
        name = connection.ops.quote_name(connection.settings_dict["NAME"])
        cursor.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")

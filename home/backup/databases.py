"""Copying a database out and back in: SQLite through sqlite3's online backup API, PostgreSQL
through ``pg_dump -Fc`` and ``pg_restore``. Called by ``home.backup`` only.

Each dump is paired with the measurements of exactly what it holds: SQLite's are taken on the
copy, PostgreSQL's inside the transaction whose snapshot ``pg_dump`` is told to use, so a site
that keeps writing during the backup cannot make the manifest disagree with the dump.
"""

import copy
import os
import shutil
import subprocess
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from django.db import connections, transaction
from django.db.utils import load_backend

PG_DUMP = "/usr/bin/pg_dump"
PG_RESTORE = "/usr/bin/pg_restore"
DUMP_FILES = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}


class BackupError(Exception):
    """A backup or restore that cannot go ahead, with a message for the operator."""


@contextmanager
def temporary_alias(settings_dict: dict, **overrides) -> Iterator[str]:
    """A database alias of its own (same settings, with ``overrides``), closed afterwards.

    A separate connection means the backup's transaction is never nested inside the caller's.
    The connection is placed in ``connections`` without a settings entry: Django treats it as
    created at run time, so it is never part of a test run's database setup or teardown.
    """
    alias = f"psycomp_backup_{uuid.uuid4().hex[:8]}"
    conf = {**copy.deepcopy(settings_dict), **overrides}
    connections[alias] = load_backend(conf["ENGINE"]).DatabaseWrapper(conf, alias)
    try:
        yield alias
    finally:
        connections[alias].close()
        del connections[alias]


def vendor_of(alias: str) -> str:
    vendor = connections[alias].vendor
    if vendor not in DUMP_FILES:
        raise BackupError(f"Backups support SQLite and PostgreSQL, not {vendor}.")
    return vendor


# --- dump -----------------------------------------------------------------------------------


def dump(alias: str, target: Path, measure: Callable[[str], dict]) -> dict:
    """Write the database behind ``alias`` to ``target``; return ``measure`` of that copy."""
    if vendor_of(alias) == "sqlite":
        return _sqlite_dump(alias, target, measure)
    return _pg_dump(alias, target, measure)


def _sqlite_dump(alias: str, target: Path, measure) -> dict:
    import sqlite3

    source = connections[alias]
    source.ensure_connection()
    destination = sqlite3.connect(target)
    try:
        source.connection.backup(destination)
    finally:
        destination.close()
    with temporary_alias(source.settings_dict, NAME=str(target)) as copy_alias:
        return measure(copy_alias)


def _pg_env(settings_dict: dict, name: str | None = None) -> dict:
    env = {**os.environ, "PGDATABASE": name or settings_dict["NAME"]}
    for key, var in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER")):
        if settings_dict.get(key):
            env[var] = str(settings_dict[key])
    if settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = settings_dict["PASSWORD"]
    if settings_dict.get("OPTIONS", {}).get("sslmode"):
        env["PGSSLMODE"] = settings_dict["OPTIONS"]["sslmode"]
    return env


def _pg_tool(path: str) -> str:
    if not Path(path).exists():
        raise BackupError(
            f"{path} is missing: install the PostgreSQL client tools "
            "(Debian: apt-get install postgresql-client)."
        )
    return path


def _run(args: list[str], env: dict, what: str) -> None:
    result = subprocess.run(args, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(f"{what} failed: {result.stderr.strip() or result.returncode}")


def _pg_dump(alias: str, target: Path, measure) -> dict:
    settings_dict = connections[alias].settings_dict
    tool = _pg_tool(PG_DUMP)
    with temporary_alias(settings_dict) as snap_alias, transaction.atomic(using=snap_alias):
        with connections[snap_alias].cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            (snapshot,) = cursor.fetchone()
        _run(
            [tool, "--format=custom", f"--snapshot={snapshot}", f"--file={target}"],
            _pg_env(settings_dict),
            "pg_dump",
        )
        return measure(snap_alias)


# --- restore --------------------------------------------------------------------------------


def check_readable(vendor: str, path: Path) -> None:
    """Refuse a dump the restore tool cannot read, before anything is changed."""
    if vendor == "postgresql":
        _run([_pg_tool(PG_RESTORE), "--list", str(path)], dict(os.environ), "Reading the dump")


def occupied(alias: str) -> list[str]:
    """Tables already in the target database (an absent PostgreSQL database has none)."""
    from .measure import table_names

    connection = connections[alias]
    if connection.vendor == "postgresql" and not _pg_database_exists(alias):
        return []
    try:
        return table_names(connection)
    finally:
        connection.close()


def _pg_database_exists(alias: str) -> bool:
    connection = connections[alias]
    with connection._nodb_cursor() as cursor:
        cursor.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [connection.settings_dict["NAME"]]
        )
        return cursor.fetchone() is not None


def load(alias: str, dump_path: Path, *, replace: bool) -> None:
    """Put the dump into the database behind ``alias``. ``replace`` drops what is there."""
    connection = connections[alias]
    if connection.vendor == "sqlite":
        _sqlite_load(alias, dump_path)
    else:
        _pg_load(alias, dump_path, replace=replace)
    connection.close()


def _sqlite_load(alias: str, dump_path: Path) -> None:
    import sqlite3

    # The backup API replaces every page of the destination: no table of the old file survives.
    target = connections[alias]
    target.close()
    target.ensure_connection()
    source = sqlite3.connect(f"file:{dump_path}?mode=ro", uri=True)
    try:
        source.backup(target.connection)
    finally:
        source.close()


def _pg_load(alias: str, dump_path: Path, *, replace: bool) -> None:
    connection = connections[alias]
    settings_dict = connection.settings_dict
    name = connection.ops.quote_name(settings_dict["NAME"])
    tool = _pg_tool(PG_RESTORE)
    connection.close()
    exists = _pg_database_exists(alias)
    with connection._nodb_cursor() as cursor:
        if exists and replace:
            cursor.execute(f"DROP DATABASE {name} WITH (FORCE)")
            exists = False
        if not exists:
            cursor.execute(f"CREATE DATABASE {name}")
    # The dump recreates functions and triggers (the append-only guards) with the tables.
    _run(
        [
            tool,
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--single-transaction",
            f"--dbname={settings_dict['NAME']}",
            str(dump_path),
        ],
        _pg_env(settings_dict),
        "pg_restore",
    )


def copy_media(source: Path, destination: Path, *, replace: bool) -> None:
    """Move the restored media into place; the old directory goes only once the new is whole."""
    destination.parent.mkdir(parents=True, exist_ok=True)
    staged = destination.with_name(f".{destination.name}.restoring")
    shutil.rmtree(staged, ignore_errors=True)
    if source.exists():
        shutil.copytree(source, staged)
    else:
        staged.mkdir()
    if destination.exists():
        if not replace and any(destination.iterdir()):
            shutil.rmtree(staged)
            raise BackupError(f"{destination} is not empty; use --force to replace it.")
        old = destination.with_name(f".{destination.name}.old")
        shutil.rmtree(old, ignore_errors=True)
        destination.rename(old)
        staged.rename(destination)
        shutil.rmtree(old)
    else:
        staged.rename(destination)

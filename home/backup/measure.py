"""What a database holds, measured the same way on SQLite and PostgreSQL: per-table row counts and
checksums, the schema (latest migration per app) and the triggers that guard append-only tables.

Read-only. ``home.backup`` calls these on the copy it archives and again on the restored
database, and compares. No model imports: every table is found by introspection, so tables of
third-party apps (Wagtail, allauth, axes) and non-model tables (the cache) are covered too.
"""

import hashlib
import json
from collections.abc import Iterable

from django.db.backends.base.base import BaseDatabaseWrapper

BATCH = 2000


def table_names(connection: BaseDatabaseWrapper) -> list[str]:
    """Every table (not views), in a stable order; SQLite's own bookkeeping tables left out."""
    with connection.cursor() as cursor:
        names = connection.introspection.table_names(cursor)
    return sorted(n for n in names if not n.startswith("sqlite_"))


def _plain(value):
    """One JSON-safe value per column value, whatever type the driver returned."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value).hex()
    if isinstance(value, dict | list):
        return json.dumps(value, sort_keys=True, ensure_ascii=False)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def _row_lines(rows: Iterable) -> Iterable[bytes]:
    for row in rows:
        yield json.dumps([_plain(v) for v in row], ensure_ascii=False).encode() + b"\n"


def table_sum(connection: BaseDatabaseWrapper, table: str) -> dict:
    """{"rows": n, "sha256": hex} over every row in primary-key order (all columns when the
    table has no primary key). Plain SELECT ... ORDER BY, so any backend can answer it."""
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        columns = [c.name for c in connection.introspection.get_table_description(cursor, table)]
        keys = connection.introspection.get_primary_key_columns(cursor, table) or columns
        sql = "SELECT {} FROM {} ORDER BY {}".format(  # noqa: S608 - names are introspected
            ", ".join(qn(c) for c in columns), qn(table), ", ".join(qn(k) for k in keys)
        )
        cursor.execute(sql)
        digest, count = hashlib.sha256(), 0
        while batch := cursor.fetchmany(BATCH):
            for line in _row_lines(batch):
                digest.update(line)
            count += len(batch)
    return {"rows": count, "sha256": digest.hexdigest()}


def table_sums(connection: BaseDatabaseWrapper) -> dict[str, dict]:
    return {table: table_sum(connection, table) for table in table_names(connection)}


def schema(connection: BaseDatabaseWrapper) -> dict[str, str]:
    """The latest applied migration of each app, from django_migrations."""
    if "django_migrations" not in table_names(connection):
        return {}
    latest: dict[str, str] = {}
    with connection.cursor() as cursor:
        cursor.execute("SELECT app, name FROM django_migrations")
        for app, name in cursor.fetchall():
            latest[app] = max(latest.get(app, ""), name)
    return dict(sorted(latest.items()))


def triggers(connection: BaseDatabaseWrapper) -> list[str]:
    """Names of the user-defined triggers (the append-only guards among them)."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        elif connection.vendor == "postgresql":
            cursor.execute(
                "SELECT t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                "JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE NOT t.tgisinternal AND n.nspname = current_schema()"
            )
        else:
            return []
        return sorted(name for (name,) in cursor.fetchall())


def differences(expected: dict, found: dict) -> list[str]:
    """Plain sentences for every table whose count or checksum differs, or that is missing."""
    problems = []
    for table in sorted(set(expected) | set(found)):
        if table not in found:
            problems.append(f"table {table} is missing after the restore")
        elif table not in expected:
            problems.append(f"table {table} is not in the backup")
        elif expected[table]["rows"] != found[table]["rows"]:
            problems.append(
                f"table {table}: {found[table]['rows']} rows, the backup had "
                f"{expected[table]['rows']}"
            )
        elif expected[table]["sha256"] != found[table]["sha256"]:
            problems.append(f"table {table}: same row count but different contents")
    return problems

"""What an upgrade must keep: a database made by the code before the moves (commit cc73cbc, by
``scripts/rehearsal/make_old_backup.py``), restored and migrated by this code, compared with
what the old code recorded beside the archive (``<archive>.json``).

``problems(expected, alias)`` lists every difference as a sentence; ``row_table`` gives the row
counts before and after. Used by ``tests/home/test_upgrade_rehearsal.py`` and, through
``python -m tests.upgrade EXPECTED.json``, by ``scripts/rehearse-upgrade.sh``.
"""

import base64
import hashlib
import json
import pickle
import re
import sys
from pathlib import Path

from django.apps import apps
from django.db import connections
from django.db.migrations.loader import MigrationLoader

from home import caching
from home.backup import measure

# The models that moved, as content types: old label -> new label. A later move of a model that
# existed at cc73cbc belongs here too.
MOVES = {
    **{
        f"curriculum.{model}": f"competencies.{model}"
        for model in ("competencyelement", "clinicalsetting", "psychosocialfactor", "intervention")
    },
    **{
        f"assessments.{model}": f"supervision.{model}"
        for model in (
            "cohort",
            "cohortmembership",
            "supervisorassignment",
            "signoffrequest",
            "signoffrecord",
        )
    },
}
# Tables an upgrade may add rows to, after the old ones, which stay as they were: its own
# bookkeeping, and the permissions of models added since. The content types (relabelled, and
# added for new models) are checked one by one.
GROWING = {"django_migrations", "auth_permission"}
CONTENT_TYPES = "django_content_type"
# Columns added to old tables since cc73cbc: an upgrade fills them in, and keeps every other
# column of every row as it was (checked over the old columns alone).
ADDED_COLUMNS = {
    "assessments_masterypolicy": {
        "observations_needed",
        "observation_level",
        "supervisors_needed",
        "sign_off_rule",
    },
    "assessments_question": {"slot"},
    "assessments_quizpage": {"review_owner", "last_reviewed", "next_review"},
    "assessments_quizattempt": {"delivery_secret", "question_keys"},
    "assessments_signoffrecord": {"name_commitment", "rule", "is_result", "sign_off_request_id"},
    "assessments_signoffrequest": {"status", "decision_id", "closed_at"},
    "cases_casevignettepage": {"profession", "review_owner", "last_reviewed", "next_review"},
    "cases_vignetteattempt": {"delivery_secret"},
    "curriculum_competencyelement": {"indicative_behaviours", "not_yet", "further_reading"},
    "curriculum_lessonpage": {"review_owner", "last_reviewed", "next_review"},
    "curriculum_reflectionanswer": {"shared"},
}
# Triggers added since cc73cbc (the append-only rule on tables added since), by database: an
# upgrade keeps every old trigger and adds these.
ADDED_TRIGGERS = {
    "sqlite": {
        "assessments_observation_append_only_update",
        "assessments_observationrating_append_only_update",
    },
    "postgresql": {
        "assessments_observation_append_only",
        "assessments_observationrating_append_only",
    },
}
CACHE_TABLE = "psycomp_cache"
DATA = Path(__file__).resolve().parent / "home" / "data" / "upgrade-cc73cbc"


def expected_for(vendor: str) -> tuple[Path, dict]:
    """The committed archive for this kind of database, and what it held."""
    archive = DATA / f"{vendor}.tar.gz"
    return archive, json.loads((DATA / f"{vendor}.json").read_text(encoding="utf-8"))


def row_table(expected: dict, alias: str) -> list[tuple[str, int | None, int | None]]:
    """(table, rows before, rows after) for every table on either side."""
    after = measure.table_sums(connections[alias])
    before = expected["tables"]
    return [
        (table, before.get(table, {}).get("rows"), after.get(table, {}).get("rows"))
        for table in sorted(set(before) | set(after))
    ]


def problems(expected: dict, alias: str, *, fresh: str | None = None) -> list[str]:
    """Everything the upgraded database behind ``alias`` does not keep; empty when it all holds.
    ``fresh`` names a database this code migrated from nothing, to compare schemas with."""
    found = _tables(expected, alias)
    found += _migrations(alias)
    found += _content_types(expected, alias)
    found += _permissions(expected, alias)
    found += _records(expected, alias)
    found += _cache(alias)
    if fresh is not None:
        found += schema_differences(alias, fresh)
    return found


def _tables(expected: dict, alias: str) -> list[str]:
    """Every table keeps its rows and their contents (see GROWING and CONTENT_TYPES)."""
    connection = connections[alias]
    after = measure.table_sums(connection)
    found = [f"table {t} is gone" for t in sorted(set(expected["tables"]) - set(after))]
    for table, before in sorted(expected["tables"].items()):
        if table not in after or table == CONTENT_TYPES:
            continue
        if table in GROWING and after[table]["rows"] >= before["rows"]:
            if _first_rows_sum(connection, table, before["rows"]) != before["sha256"]:
                found.append(f"table {table}: the rows it had before have changed")
        elif after[table]["rows"] != before["rows"]:
            found.append(f"table {table}: {before['rows']} rows before, {after[table]['rows']} now")
        elif table in ADDED_COLUMNS:
            if _first_rows_sum(connection, table, before["rows"], table) != before["sha256"]:
                found.append(f"table {table}: same rows, different contents")
        elif after[table]["sha256"] != before["sha256"]:
            found.append(f"table {table}: same rows, different contents")
    now = measure.triggers(connection)
    added = ADDED_TRIGGERS[connection.vendor]
    if sorted(set(now) - added) != sorted(expected["triggers"]):
        found.append(f"triggers {expected['triggers']} became {now}")
    found += [f"trigger {name} was not added" for name in sorted(added - set(now))]
    return found


def _first_rows_sum(connection, table: str, count: int, old_columns_of: str = "") -> str:
    """``measure.table_sum``'s checksum over the first ``count`` rows in primary-key order;
    with ``old_columns_of``, over the columns the table had before (``ADDED_COLUMNS``)."""
    qn = connection.ops.quote_name
    added = ADDED_COLUMNS.get(old_columns_of, set())
    with connection.cursor() as cursor:
        columns = [
            c.name
            for c in connection.introspection.get_table_description(cursor, table)
            if c.name not in added
        ]
        keys = connection.introspection.get_primary_key_columns(cursor, table) or columns
        select, order = ", ".join(map(qn, columns)), ", ".join(map(qn, keys))
        cursor.execute(f"SELECT {select} FROM {qn(table)} ORDER BY {order}")
        rows = cursor.fetchmany(count) if count else []
    return hashlib.sha256(b"".join(measure._row_lines(rows))).hexdigest()


def _migrations(alias: str) -> list[str]:
    loader = MigrationLoader(connections[alias])
    missing = set(loader.graph.nodes) - set(loader.applied_migrations)
    return [f"migration {app}.{name} is not applied" for app, name in sorted(missing)]


def _content_types(expected: dict, alias: str) -> list[str]:
    """The same content types under the same ids, the moved ones relabelled and nothing else."""
    content_type = apps.get_model("contenttypes", "ContentType")
    after = {
        str(pk): f"{app}.{model}"
        for pk, app, model in content_type.objects.using(alias).values_list(
            "pk", "app_label", "model"
        )
    }
    wanted = {pk: MOVES.get(label, label) for pk, label in expected["all_content_types"].items()}
    found = []
    for pk in sorted(set(wanted) | set(after), key=int):
        if pk not in wanted and int(pk) > max(map(int, wanted)):
            continue  # a model added since; (app_label, model) is unique, so no duplicate
        if wanted.get(pk) != after.get(pk):
            found.append(f"content type {pk}: {wanted.get(pk)} expected, {after.get(pk)} found")
    for new in MOVES.values():
        try:
            apps.get_model(new)
        except LookupError:
            found.append(f"{new} is not a model of this code")
    return found


def _permissions(expected: dict, alias: str) -> list[str]:
    """Each group and person still holds the same permissions on the moved models."""
    group = apps.get_model("auth", "Group")
    user = apps.get_model("home", "User")
    held = {
        (name, f"{app}.{model}", codename)
        for name, app, model, codename in group.objects.using(alias).values_list(
            "name",
            "permissions__content_type__app_label",
            "permissions__content_type__model",
            "permissions__codename",
        )
    }
    held |= {
        (email, f"{app}.{model}", codename)
        for email, app, model, codename in user.objects.using(alias).values_list(
            "email",
            "user_permissions__content_type__app_label",
            "user_permissions__content_type__model",
            "user_permissions__codename",
        )
    }
    wanted = {
        (holder, MOVES[label], codename)
        for holder, label, codename in expected["group_permissions"] + expected["user_permissions"]
    }
    return [f"{h} no longer holds {label} {c}" for h, label, c in sorted(wanted - held)]


def _records(expected: dict, alias: str) -> list[str]:
    """The moved rows, read through the models that own them now."""
    from competencies.models import CompetencyElement
    from supervision.models import SignOffRecord
    from supervision.services import sign_off_chains_verify

    found = []
    per_trainee = {}
    for email in SignOffRecord.objects.using(alias).values_list("trainee__email", flat=True):
        per_trainee[email] = per_trainee.get(email, 0) + 1
    if per_trainee != expected["sign_off_records"]:
        found.append(f"sign-off records per trainee: {per_trainee}")
    revoked = SignOffRecord.objects.using(alias).filter(decision="revoked").count()
    if revoked != expected["revocations"]:
        found.append(f"{revoked} revocations, {expected['revocations']} before")
    broken = sign_off_chains_verify(using=alias)
    if broken:
        found.append(f"sign-off chains broken: {broken}")
    element = CompetencyElement.objects.using(alias).filter(pk=expected["element"]["pk"]).first()
    if element is None or (element.code, element.name) != (
        expected["element"]["code"],
        expected["element"]["name"],
    ):
        found.append(f"competency element {expected['element']} reads as {element}")
    return found


def _cache(alias: str) -> list[str]:
    """Whatever the old code left in the cache that this code would read, it can read.

    A moved model's pickled instance names its old app, so reading it raises. This code reads
    the content version under ``caching.VERSION_KEY`` and every entry under that version (the
    records entries carry it too); entries under any other version are never read. Expiry is
    ignored: right after a real upgrade the entries are fresh.
    """
    if CACHE_TABLE not in measure.table_names(connections[alias]):
        return []
    with connections[alias].cursor() as cursor:
        cursor.execute(f"SELECT cache_key, value FROM {CACHE_TABLE}")
        entries = {re.sub(r"^[^:]*:\d+:", "", key): value for key, value in cursor.fetchall()}
    version_entry = entries.get(caching.VERSION_KEY)
    live = None if version_entry is None else str(_unpickle(version_entry))
    found = []
    for key, value in sorted(entries.items()):
        parts = key.split(":")
        version = (
            parts[1]
            if parts[0] == "content" and len(parts) > 2
            else parts[3]
            if parts[0] == "records" and len(parts) > 4
            else None
        )
        if version is not None and version != live:
            continue
        try:
            _unpickle(value)
        except Exception as exc:  # any failure to read is the finding
            found.append(f"cache entry {key} cannot be read by this code: {exc!r}")
    return found


def _unpickle(value: str):
    """A value as Django's database cache stores it: base64 of a pickle. Made by our own
    generator, so unpickling it is safe."""
    return pickle.loads(base64.b64decode(value.encode()))  # noqa: S301


def schema_differences(alias: str, fresh: str) -> list[str]:
    """Tables, columns, constraints, indexes and triggers of the upgraded database that differ
    from those of a database this code migrated from nothing. The cache table is left out:
    ``createcachetable`` makes it only where the cache is the database."""
    upgraded, new = connections[alias], connections[fresh]
    tables = set(measure.table_names(upgraded)) - {CACHE_TABLE}
    found = [
        f"table {t} is only in the upgraded database"
        for t in sorted(tables - set(measure.table_names(new)))
    ]
    found += [f"table {t} is missing" for t in sorted(set(measure.table_names(new)) - tables)]
    for table in sorted(tables & set(measure.table_names(new))):
        if _shape(upgraded, table) != _shape(new, table):
            found.append(f"table {table} differs from a freshly migrated one")
    if measure.triggers(upgraded) != measure.triggers(new):
        found.append("the triggers differ from a freshly migrated database's")
    return found


def _shape(connection, table: str):
    with connection.cursor() as cursor:
        columns = [tuple(c) for c in connection.introspection.get_table_description(cursor, table)]
        constraints = connection.introspection.get_constraints(cursor, table)
    return columns, constraints


def main(argv: list[str]) -> int:
    """``python -m tests.upgrade EXPECTED.json [FRESH_DATABASE_URL]``: check the database that
    DATABASE_URL names; print the row counts and every problem; exit 1 if there is one."""
    import django

    django.setup()
    expected = json.loads(Path(argv[0]).read_text(encoding="utf-8"))
    fresh = None
    if len(argv) > 1:
        import dj_database_url

        from home.backup.databases import temporary_alias

        settings = connections["default"].settings_dict
        overrides = dj_database_url.parse(argv[1])
        with temporary_alias(settings, NAME=overrides["NAME"]) as fresh:
            return _report(expected, fresh)
    return _report(expected, fresh)


def _report(expected: dict, fresh: str | None) -> int:
    print(f"{'table':<44} {'before':>7} {'after':>7}")
    for table, before, after in row_table(expected, "default"):
        mark = "" if before == after else "  *"
        print(f"{table:<44} {before!s:>7} {after!s:>7}{mark}")
    found = problems(expected, "default", fresh=fresh)
    for problem in found:
        print(f"PROBLEM: {problem}", file=sys.stderr)
    print("The upgrade kept everything." if not found else f"{len(found)} problems.")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

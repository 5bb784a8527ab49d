"""Reads about one person: everything the platform holds about them, as plain data (their
right of access; the view that serves it writes one audit entry), and where their name or email
still appears after an erasure (``erase_account`` asks). Which tables, and which columns of
them, is declared once on each model (``personal_data``, see ``home.personal_data``)."""

import json

from django.db import connection
from django.utils.module_loading import import_string

from home.personal_data import declared, subject_for

# Column types that cannot hold a name or an email; every other column is searched as text.
NOT_TEXT = {
    "AutoField",
    "BigAutoField",
    "BigIntegerField",
    "BinaryField",
    "BooleanField",
    "DateField",
    "DateTimeField",
    "DecimalField",
    "DurationField",
    "FloatField",
    "IntegerField",
    "PositiveBigIntegerField",
    "PositiveIntegerField",
    "PositiveSmallIntegerField",
    "SmallAutoField",
    "SmallIntegerField",
    "TimeField",
    "UUIDField",
}


def _rows(queryset, *fields):
    return [
        {f: (v.isoformat() if hasattr(v, "isoformat") else v) for f, v in row.items()}
        for row in queryset.values(*fields)
    ]


def personal_data_for(*, user) -> dict:
    """Every table's section of the download, as its model declares it (``export``), each
    with the rows about ``user``. Called by ``privacy.views.my_data``."""
    subject = subject_for(user)
    data = {}
    for model, declaration in declared():
        export = declaration.export
        if export is None:
            continue
        rows = model._default_manager.filter(declaration.selection(subject))
        if export.by:
            data[export.section] = import_string(export.by)(subject, rows)
        else:
            data[export.section] = _rows(rows, *export.fields)
    return data


def personal_terms(user) -> list[str]:
    """The words an erasure must leave nowhere: email, names, username (before erasure)."""
    terms = {
        user.email,
        user.display_name,
        user.get_full_name(),
        user.first_name,
        user.last_name,
        user.username,
    }
    return sorted(t.strip() for t in terms if t and len(t.strip()) >= 3)


def mentions_find(*, terms: list[str], using=None) -> list[str]:
    """Every "table.column" (with a row count) whose text contains one of ``terms``, ignoring
    case. Looks at every column of every table that could hold text, found by introspection,
    so a table added later is searched too. Slow on a big database: an administrator's tool."""
    conn = using or connection
    qn = conn.ops.quote_name
    patterns = []
    for term in terms:
        # JSON columns may hold the term with its non-ASCII letters escaped (SQLite stores
        # JSONField as text written with json.dumps' default ensure_ascii).
        for variant in {term, json.dumps(term)[1:-1]}:
            escaped = variant.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            patterns.append(f"%{escaped.upper()}%")
    found = []
    with conn.cursor() as cursor:
        tables = [t for t in conn.introspection.table_names(cursor) if not t.startswith("sqlite_")]
        for table in sorted(tables):
            for column in conn.introspection.get_table_description(cursor, table):
                try:
                    kind = conn.introspection.get_field_type(column.type_code, column)
                except KeyError:  # a type Django does not map (tsvector, say): search it
                    kind = "TextField"
                if kind in NOT_TEXT:
                    continue
                text = f"UPPER(CAST({qn(column.name)} AS TEXT))"
                where = " OR ".join(f"{text} LIKE %s ESCAPE '\\'" for _ in patterns)
                cursor.execute(
                    f"SELECT COUNT(*) FROM {qn(table)} WHERE {where}",  # noqa: S608
                    patterns,
                )
                (hits,) = cursor.fetchone()
                if hits:
                    found.append(f"{table}.{column.name} ({hits} row{'s' if hits != 1 else ''})")
    return found

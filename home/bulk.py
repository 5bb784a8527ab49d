"""Fast inserts of plain tuples, for work that writes hundreds of thousands of rows at once: the
summary rebuild (``assessments.services.mastery_rebuild``) and the benchmark's synthetic data
(``home.scale``). Ordinary writes go through the ORM."""

import datetime
import json


def insert_rows(model, columns: list[str], rows) -> int:
    """Insert plain tuples into ``model``'s table, bypassing the ORM's per-value work (which
    costs more than the database does at this volume): COPY on PostgreSQL, executemany
    elsewhere. Values must already be database-ready (``db_value`` for dates and JSON)."""
    from django.db import connection

    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(model._meta.get_field(c).column) for c in columns)
    count = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
                    count += 1
            return count
        marks = ", ".join(["%s"] * len(columns))
        batch = []
        for row in rows:
            batch.append(row)
            if len(batch) == 5000:
                cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", batch)  # noqa: S608
                count += len(batch)
                batch = []
        if batch:
            cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", batch)  # noqa: S608
            count += len(batch)
    return count


def db_value(value):
    """A datetime or a JSON value, in the form ``insert_rows`` hands to the database."""
    from django.db import connection

    if isinstance(value, datetime.datetime):
        if connection.vendor == "postgresql":
            return value
        return connection.ops.adapt_datetimefield_value(value)
    return json.dumps(value)

"""Reads compiled once per process: for the few queries on a hot path whose SQL is the same for
everyone but one person's id.

Django builds and compiles a queryset's SQL on every evaluation, and for a query with
subqueries, unions or conditional aggregates that costs several times what the database takes
to answer it (a trainee's evidence per level: 2.5 ms of Python for 0.4 ms of SQLite). ``rows``
keeps the compiled statement and runs it again with another person's id, so the query is still
written once, with the ORM, where its rule lives.

``build(person_id)`` must return a queryset that depends on nothing but ``person_id`` and what
``key`` names (a policy value, a date): whatever else it read would be frozen into the statement
for the life of the process. Rows come back as tuples, through the same conversions the ORM
applies to its columns (dates, JSON, booleans), except for a union, whose rows come back as the
database gives them: numbers and strings only there (SQLite gives a boolean as 0 or 1).
"""

from collections.abc import Callable

from django.db import connections
from django.db.models import QuerySet

# An id no row has: where it appears among a compiled statement's parameters, the person's
# id goes in.
MARK = -7_340_033

_compiled: dict[str, tuple[str, str, tuple, tuple[int, ...], dict]] = {}


def rows(key: str, build: Callable[[int], QuerySet], person_id: int) -> list[tuple]:
    """The rows of ``build(person_id)``, compiled the first time this process runs ``key``."""
    person_id = int(person_id)
    entry = _compiled.get(key)
    if entry is None:
        queryset = build(MARK)
        compiler = queryset.query.get_compiler(queryset.db)
        sql, params = compiler.as_sql()
        positions = tuple(i for i, value in enumerate(params) if value == MARK)
        if not positions:
            raise ValueError(f"{key}: the query does not depend on the person's id")
        columns = [] if queryset.query.combinator else [col for col, _, _ in compiler.select]
        converters = compiler.get_converters(columns)
        entry = _compiled[key] = (queryset.db, sql, tuple(params), positions, converters)
    alias, sql, params, positions, converters = entry
    given = list(params)
    for position in positions:
        given[position] = person_id
    connection = connections[alias]
    with connection.cursor() as cursor:
        cursor.execute(sql, given)
        found = cursor.fetchall()
    if not converters:
        return found
    return [_converted(row, converters, connection) for row in found]


def _converted(row, converters: dict, connection) -> tuple:
    """A row through the converters the ORM would apply (``SQLCompiler.apply_converters``)."""
    values = list(row)
    for position, (functions, expression) in converters.items():
        value = values[position]
        for function in functions:
            value = function(value, expression, connection)
        values[position] = value
    return tuple(values)


def forget() -> None:
    """Compile everything again (tests that change the database's schema or settings)."""
    _compiled.clear()

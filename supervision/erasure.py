"""Account erasure (the right to erasure), carried out by an administrator.

Called by ``manage.py erase_account``. What happens to each table is declared once, on its
model (``personal_data``, see ``home.personal_data``); this walks the declarations. The policy,
in short (README, "Privacy"):

- deleted: reflections, sign-off request messages, the text of reflective quiz answers, email
  addresses and confirmations, MFA authenticators, sessions, login lockout records (django-axes)
  and the Wagtail profile with its avatar;
- pseudonymised: the account row stays (so that the records pointing at it stay whole) as
  "Erased person #<id>", inactive, with an unusable password, a random undeliverable email and
  no profile details; quiz and case attempts, evidence and mastery stay as anonymous records;
- kept: sign-off records (a professional credential record, append-only and hash-chained; they
  hold ids, never a name or an email) and the audit log (append-only; it names accounts by id);
  log entries of the Wagtail and Django admins about the account are relabelled.

``mentions_find`` searches every text column of every table for given words; the command runs
it after the erasure with the person's former name and email, and reports what it finds.
"""

import json
from dataclasses import dataclass, field

from django.apps import apps
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Q
from django.utils.module_loading import import_string

from home.audit import audit_record
from home.models import User
from home.personal_data import (
    OnErasure,
    PersonalData,
    Subject,
    declaration_for,
    declared,
    subject_for,
)
from home.roles import Role, has_role

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


class ErasureError(Exception):
    """An erasure that cannot be carried out, with a message for the administrator."""


@dataclass
class ErasureReport:
    """What an erasure did: the account's pseudonym, and how many rows of each kind changed."""

    user_id: int
    pseudonym: str
    removed: dict[str, int] = field(default_factory=dict)


def pseudonym_for(user_id: int) -> str:
    return f"Erased person #{user_id}"


def personal_terms(user: User) -> list[str]:
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


@transaction.atomic
def account_erase(*, user: User, by: User) -> ErasureReport:
    """Remove or pseudonymise everything that identifies ``user``, table by table as each
    declares (``home.personal_data``); audited as done by ``by``."""
    if not (by.is_superuser or has_role(by, Role.ADMINISTRATOR)):
        raise ErasureError("Only an administrator can erase an account.")
    if by.pk == user.pk:
        raise ErasureError("Administrators cannot erase their own account; ask another one.")
    user = User.objects.select_for_update().get(pk=user.pk)
    pseudonym = pseudonym_for(user.pk)
    if user.display_name == pseudonym:
        raise ErasureError(f"Account {user.pk} has already been erased.")
    subject = subject_for(user, pseudonym=pseudonym)
    report = ErasureReport(user_id=user.pk, pseudonym=pseudonym)
    # The account row last: until then it is what the other tables' rows are found by.
    for model, declaration in sorted(declared(), key=lambda pair: pair[0] is User):
        _erase_rows(model, declaration, subject, report.removed)
    audit_record("account_erased", actor=by, target=user)
    # Cached pages and fragments may still carry the old name.
    transaction.on_commit(cache.clear)
    return report


def _erase_rows(model, declaration: PersonalData, subject: Subject, removed: dict) -> None:
    """What the declaration says an erasure does with the person's rows of ``model``, counted
    in ``removed`` under its label."""
    erasure = declaration.erasure
    if erasure.action == OnErasure.KEEP:
        return
    rows = model._default_manager.filter(declaration.selection(subject))

    def count(label: str, n: int) -> None:
        if label:
            removed[label] = removed.get(label, 0) + n

    if erasure.by:
        count(erasure.label, import_string(erasure.by)(subject, rows))
    elif erasure.action == OnErasure.DELETE:
        _, deleted = rows.delete()
        count(erasure.label, 0)
        for label, n in deleted.items():  # rows deleted with them count under their own label
            cascaded = declaration_for(apps.get_model(label))
            count(cascaded.erasure.label if cascaded else erasure.label, n)
    else:
        count(erasure.label, _empty_fields(rows, erasure.fields))


def _empty_fields(rows, fields: tuple[str, ...]) -> int:
    """Empty the named text columns ("column__key": one key of a JSON column) of every row
    that has something in them; how many rows changed."""
    columns = [name for name in fields if "__" not in name]
    changed = 0
    if columns:
        filled = Q(pk__in=[])
        for column in columns:
            filled |= ~Q(**{column: ""})
        changed += rows.filter(filled).update(**dict.fromkeys(columns, ""))
    for column, key in (name.split("__", 1) for name in fields if "__" in name):
        for row in rows.filter(**{f"{column}__has_key": key}).only("pk", column):
            setattr(row, column, {**getattr(row, column), key: ""})
            row.save(update_fields=[column])
            changed += 1
    return changed


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

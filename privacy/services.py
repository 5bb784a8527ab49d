"""Account erasure (the right to erasure), carried out by an administrator.

Called by ``manage.py erase_account``. What happens to each table is declared once, on its
model (``personal_data``, see ``home.personal_data``); this walks the declarations. The policy,
in short (README, "Privacy"):

- deleted: reflections, sign-off request messages, the names frozen beside sign-off records
  (``supervision.SignedName``; the records keep only a salted hash), the text of reflective
  quiz answers, email addresses and confirmations, MFA authenticators, sessions, login
  lockout records (django-axes) and the Wagtail profile with its avatar;
- pseudonymised: the account row stays (so that the records pointing at it stay whole) as
  "Erased person #<id>", inactive, with an unusable password, a random undeliverable email and
  no profile details; quiz and case attempts, evidence and mastery stay as anonymous records;
- kept: sign-off records (a professional credential record, append-only and hash-chained; they
  hold ids, never a name or an email) and the audit log (append-only; it names accounts by id);
  log entries of the Wagtail and Django admins about the account are relabelled.

``privacy.selectors.mentions_find`` searches every text column of every table for given words;
the command runs it after the erasure with the person's former name and email, and reports what
it finds.
"""

from dataclasses import dataclass, field

from django.apps import apps
from django.core.cache import cache
from django.db import transaction
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

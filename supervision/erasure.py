"""Account erasure (the right to erasure), carried out by an administrator.

Called by ``manage.py erase_account``. The policy, in short (README, "Privacy"):

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
import secrets
from dataclasses import dataclass, field

from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import connection, transaction

from assessments.models import QuizAnswer
from curriculum.models import ReflectionAnswer
from home.audit import audit_record
from home.models import User
from home.roles import Role, has_role
from home.sessions import end_all_sessions
from supervision.models import SignOffRequest

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
class Erasure:
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
def account_erase(*, user: User, by: User) -> Erasure:
    """Remove or pseudonymise everything that identifies ``user``; audited as done by ``by``."""
    from allauth.account.models import EmailAddress, EmailConfirmation
    from allauth.mfa.models import Authenticator
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog
    from wagtail.models import ModelLogEntry
    from wagtail.users.models import UserProfile

    if not (by.is_superuser or has_role(by, Role.ADMINISTRATOR)):
        raise ErasureError("Only an administrator can erase an account.")
    if by.pk == user.pk:
        raise ErasureError("Administrators cannot erase their own account; ask another one.")
    user = User.objects.select_for_update().get(pk=user.pk)
    pseudonym = pseudonym_for(user.pk)
    if user.display_name == pseudonym:
        raise ErasureError(f"Account {user.pk} has already been erased.")
    emails = {user.email.lower()} | {
        e.lower() for e in EmailAddress.objects.filter(user=user).values_list("email", flat=True)
    }
    emails.discard("")
    removed = {}

    def count(label: str, deleted) -> None:
        removed[label] = removed.get(label, 0) + deleted[0]

    count("reflections", ReflectionAnswer.objects.filter(user=user).delete())
    removed["sign-off request messages"] = (
        SignOffRequest.objects.filter(trainee=user).exclude(message="").update(message="")
    )
    removed["reflective quiz answers"] = _erase_reflective_answers(user)
    confirmations = EmailConfirmation.objects.filter(email_address__user=user)
    count("email confirmations", confirmations.delete())
    count("email addresses", EmailAddress.objects.filter(user=user).delete())
    count("authenticators", Authenticator.objects.filter(user=user).delete())
    removed["sessions"] = end_all_sessions(user)  # whatever the store: database or Redis
    # Failed attempts are kept under the email typed; successful logins under the username.
    for model in (AccessAttempt, AccessFailureLog, AccessLog):
        for login in emails | {user.username}:
            count("login records", model.objects.filter(username__iexact=login).delete())
    profile = UserProfile.objects.filter(user=user).first()
    if profile is not None:
        if profile.avatar:
            profile.avatar.delete(save=False)
        count("admin profiles", profile.delete())

    user_type = ContentType.objects.get_for_model(User)
    removed["admin log entries relabelled"] = ModelLogEntry.objects.filter(
        content_type=user_type, object_id=str(user.pk)
    ).update(label=pseudonym, data={})
    removed["admin log entries relabelled"] += LogEntry.objects.filter(
        content_type=user_type, object_id=str(user.pk)
    ).update(object_repr=pseudonym)

    user.username = f"erased-{user.pk}"
    user.email = f"erased-{secrets.token_hex(12)}@erased.invalid"
    user.display_name = pseudonym
    user.first_name = user.last_name = ""
    user.profession = user.speciality = user.organisation = ""
    user.is_active = user.is_staff = user.is_superuser = False
    user.set_unusable_password()  # also ends sessions held in a cache: their hash no longer fits
    user.save()
    user.user_permissions.clear()

    audit_record("account_erased", actor=by, target=user)
    # Cached pages and fragments may still carry the old name.
    transaction.on_commit(cache.clear)
    return Erasure(user_id=user.pk, pseudonym=pseudonym, removed=removed)


def _erase_reflective_answers(user: User) -> int:
    """Free text the person wrote in reflection questions: emptied, the answer row kept."""
    changed = 0
    answers = QuizAnswer.objects.filter(attempt__trainee=user, response__has_key="text")
    for answer in answers.only("pk", "response"):
        answer.response = {**answer.response, "text": ""}
        answer.save(update_fields=["response"])
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

"""The shell's declarations for the third-party tables it uses that hold data about a person:
allauth's email addresses and authenticators, django-axes' login records, Wagtail's admin
profile and the two admins' log entries. They cannot carry a ``personal_data`` attribute of
their own, so they are declared here, by label, once.

Other third-party tables that name a person (Wagtail's editorial bookkeeping: page owners,
revisions, comments, uploads) are left out on purpose; tests/home/test_personal_data.py lists
them, each with the reason.
"""

from django.db.models import Q

from .declaration import Erasure, PersonalData, Subject

STEPS = "home.personal_data.steps"


def _by_login(subject: Subject) -> Q:
    """django-axes keeps failed attempts under the login typed (usually the email) and
    successful logins under the username: every name the person could log in with."""
    found = Q(pk__in=[])
    for login in subject.logins:
        found |= Q(username__iexact=login)
    return found


def _about_the_account(subject: Subject) -> Q:
    """Log entries whose object is the account (an administrator edited it), by content type."""
    from django.contrib.contenttypes.models import ContentType

    account = ContentType.objects.get_for_model(type(subject.user))
    return Q(content_type=account, object_id=str(subject.user.pk))


_LOGIN_RECORD = PersonalData(
    person=None,
    rows=_by_login,
    export=None,
    erasure=Erasure.delete("login records"),
    in_records=False,
)
_ADMIN_LOG = {
    "person": None,
    "rows": _about_the_account,
    # The account that acted: an editor's or administrator's history, which names them by id.
    "others": ("user",),
    "export": None,
    "in_records": False,
}

THIRD_PARTY = {
    "account.EmailAddress": PersonalData(
        person="user",
        export=None,
        erasure=Erasure.delete("email addresses"),
        in_records=False,
    ),
    "account.EmailConfirmation": PersonalData(
        person="email_address__user",
        export=None,
        erasure=Erasure.delete("email confirmations"),
        in_records=False,
    ),
    "mfa.Authenticator": PersonalData(
        person="user", export=None, erasure=Erasure.delete("authenticators"), in_records=False
    ),
    "axes.AccessAttempt": _LOGIN_RECORD,
    "axes.AccessFailureLog": _LOGIN_RECORD,
    "axes.AccessLog": _LOGIN_RECORD,
    "wagtailusers.UserProfile": PersonalData(
        person="user",
        export=None,
        erasure=Erasure.delete("admin profiles", by=f"{STEPS}.admin_profile_delete"),
        in_records=False,
    ),
    "wagtailcore.ModelLogEntry": PersonalData(
        **_ADMIN_LOG,
        erasure=Erasure.pseudonymise(
            "admin log entries relabelled", by=f"{STEPS}.model_log_entries_relabel"
        ),
    ),
    "admin.LogEntry": PersonalData(
        **_ADMIN_LOG,
        erasure=Erasure.pseudonymise(
            "admin log entries relabelled", by=f"{STEPS}.admin_log_entries_relabel"
        ),
    ),
}

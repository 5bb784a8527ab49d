"""Writing the audit log, and the signal receivers that feed it (logins, failed logins,
lockouts). Other apps call ``audit_record`` from their services.

The log is append-only, so it never holds a name or an email address that an account erasure
would have to remove: people are referred to by account id ("user 12"), and a login typed at the
login form that matches no account is kept only as a keyed hash (``login_pseudonym``).
"""

import hashlib
import hmac
from contextvars import ContextVar

from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.db.models.signals import m2m_changed
from django.dispatch import receiver

from .models import AuditEvent, User

# The request being served, so that changes made deep inside the Wagtail admin (a user's
# groups, say) are logged with who made them and from where. Set by ``AuditContextMiddleware``.
current_request: ContextVar = ContextVar("current_request", default=None)


class AuditContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = current_request.set(request)
        try:
            return self.get_response(request)
        finally:
            current_request.reset(token)


def client_ip(request) -> str | None:
    """The address the request came from. Behind a proxy, set it up to pass REMOTE_ADDR."""
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def user_label(user_id) -> str:
    """How the log names an account: by id only, so the entry outlives an erasure intact."""
    return f"user {user_id}"


def login_pseudonym(login: str) -> str:
    """A login as typed (usually an email), as a keyed hash: an administrator who knows the
    address can compute it to find the entries; nobody can read the address back from it."""
    key = hmac.new(settings.SECRET_KEY.encode(), b"audit-login", hashlib.sha256).digest()
    normalised = login.strip().lower().encode()
    return "login " + hmac.new(key, normalised, hashlib.sha256).hexdigest()[:24]


def audit_record(action: str, *, actor=None, request=None, target=None, label: str = "", **detail):
    """Append one entry. ``label`` says who acted when there is no account (a failed login):
    it must never be a name or an email address (see ``login_pseudonym``)."""
    if request is None:
        request = current_request.get()
    if actor is None and request is not None:
        actor = getattr(request, "user", None)
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    return AuditEvent.objects.create(
        actor=actor,
        actor_label=label or (user_label(actor.pk) if actor is not None else ""),
        action=action,
        target_type=target._meta.label if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        detail=detail,
        ip=client_ip(request),
    )


@receiver(m2m_changed, sender=User.groups.through)
def _groups_changed(sender, instance, action, reverse, pk_set, **kwargs):
    """Any change to a person's roles, from any screen (services, the Wagtail user editor).
    Also drops the cached roles of everyone affected (``home.roles.roles_of``)."""
    if action == "pre_clear" and reverse:  # afterwards nobody can say who was in the group
        _forget_roles(instance.user_set.values_list("pk", flat=True))
        return
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    from django.contrib.auth.models import Group

    if reverse:  # group.user_set changed: instance is the group
        names, people = [instance.name], User.objects.filter(pk__in=pk_set or ())
    else:
        names = list(Group.objects.filter(pk__in=pk_set or ()).values_list("name", flat=True))
        people = [instance]
    _forget_roles(person.pk for person in people)
    change = {"post_add": "granted", "post_remove": "removed", "post_clear": "cleared"}[action]
    for person in people:
        audit_record("role_change", target=person, change=change, roles=names)


def _forget_roles(user_ids) -> None:
    from django.core.cache import cache

    from .caching import roles_key

    cache.delete_many([roles_key(pk) for pk in user_ids])


@receiver(user_logged_in)
def _logged_in(sender, request, user, **kwargs):
    audit_record(AuditEvent.Action.LOGIN, actor=user, request=request)


def _tried(action: str, request, login: str) -> AuditEvent:
    """A failed login or a lockout: the account it was aimed at (by id) when one has that
    email address, and the login typed only as a keyed hash. Never the password."""
    login = (login or "").strip()
    account = User.objects.filter(email__iexact=login).only("pk").first() if login else None
    return audit_record(
        action,
        request=request,
        target=account,
        label=user_label(account.pk) if account else login_pseudonym(login),
    )


@receiver(user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs):
    _tried(
        AuditEvent.Action.LOGIN_FAILED,
        request,
        str(credentials.get("username") or credentials.get("email") or ""),
    )


try:
    from axes.signals import user_locked_out
except ImportError:  # pragma: no cover - axes is a dependency; kept import-safe
    user_locked_out = None

if user_locked_out is not None:

    @receiver(user_locked_out)
    def _locked_out(sender, request, username, ip_address, **kwargs):
        return _tried(AuditEvent.Action.LOCKOUT, request, str(username or ""))

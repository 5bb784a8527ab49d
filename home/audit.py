"""Writing the audit log, and the signal receivers that feed it (logins, failed logins,
lockouts). Other apps call ``audit_record`` from their services."""

from contextvars import ContextVar

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


def audit_record(action: str, *, actor=None, request=None, target=None, label: str = "", **detail):
    if request is None:
        request = current_request.get()
    if actor is None and request is not None:
        actor = getattr(request, "user", None)
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    return AuditEvent.objects.create(
        actor=actor,
        actor_label=label or getattr(actor, "email", "") or "",
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


@receiver(user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs):
    # Only the identifier tried, never the password.
    tried = str(credentials.get("username") or credentials.get("email") or "")[:254]
    audit_record(AuditEvent.Action.LOGIN_FAILED, request=request, label=tried)


try:
    from axes.signals import user_locked_out
except ImportError:  # pragma: no cover - axes is a dependency; kept import-safe
    user_locked_out = None

if user_locked_out is not None:

    @receiver(user_locked_out)
    def _locked_out(sender, request, username, ip_address, **kwargs):
        event = audit_record(AuditEvent.Action.LOCKOUT, request=request, label=str(username)[:254])
        return event

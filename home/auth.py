"""Glue between django-axes and allauth: which login a failed attempt counts against."""

from allauth.mfa.adapter import DefaultMFAAdapter
from axes.backends import AxesStandaloneBackend
from django.contrib.auth.backends import ModelBackend


def axes_username(request, credentials=None) -> str | None:
    """The login as the person typed it (email), lower-cased so case tricks do not reset counts.

    allauth passes ``email`` (or ``username``) in the credentials; a plain POST carries ``login``.
    """
    value = None
    if credentials:
        value = credentials.get("email") or credentials.get("username")
    if not value and request is not None:
        data = getattr(request, "POST", {}) or {}
        value = data.get("login")
    return value.strip().lower() if isinstance(value, str) else None


class LockoutBackend(AxesStandaloneBackend):
    """django-axes' lockout check, first among the backends.

    It authenticates nobody; ``get_user`` is there so that tools which log a user in "with the
    first backend" (Wagtail's and Django's test helpers) still find a working session backend.
    """

    def get_user(self, user_id):
        return ModelBackend().get_user(user_id)


class MFAAdapter(DefaultMFAAdapter):
    """Supervisors, educators and administrators cannot remove their authenticator app: their
    role requires two-factor login (see home.middleware.StaffMFAMiddleware). They can replace
    recovery codes; an administrator resets a lost device by deleting it in the Django admin."""

    def can_delete_authenticator(self, authenticator) -> bool:
        from .middleware import needs_mfa

        if authenticator.type == authenticator.Type.TOTP and needs_mfa(authenticator.user):
            return False
        return super().can_delete_authenticator(authenticator)

"""Glue between django-axes and allauth: which login a failed attempt counts against."""

import time

from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from axes.backends import AxesStandaloneBackend
from django.contrib.auth.backends import ModelBackend

# django-axes stores the login in a 255-character column; no email address is longer than 254.
AXES_USERNAME_MAX = 255


def axes_username(request, credentials=None) -> str | None:
    """The login as the person typed it (email), lower-cased so case tricks do not reset counts,
    cut to what django-axes can store (PostgreSQL refuses a longer value: a 500 on a login form).

    allauth passes ``email`` (or ``username``) in the credentials; a plain POST carries ``login``.
    """
    value = None
    if credentials:
        value = credentials.get("email") or credentials.get("username")
    if not value and request is not None:
        data = getattr(request, "POST", {}) or {}
        value = data.get("login")
    return value.strip().lower()[:AXES_USERNAME_MAX] if isinstance(value, str) else None


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


def user_display(user) -> str:
    """How allauth names a person (ACCOUNT_USER_DISPLAY: its messages, such as "Successfully
    signed in as ...", and its templates): their name, or their address; never the username,
    which is generated."""
    return user.name


class AccountAdapter(DefaultAccountAdapter):
    """Two-factor pages do not ask again for a password typed minutes ago: a password login
    within allauth's reauthentication window (5 minutes) counts as recent, so a staff member sent
    to set up their authenticator straight after logging in goes through set-up and sees their
    recovery codes without a second password prompt. Later, allauth asks again as usual."""

    def is_reauthentication_required(self, *, app: str, **kwargs) -> bool:
        from allauth.account import app_settings
        from allauth.account.internal.flows.login import get_authentication_records
        from allauth.core import context

        request = context.request
        user = getattr(request, "user", None)
        if app == "allauth.mfa" and user is not None and user.is_authenticated:
            records = get_authentication_records(request, user)
            logins = [r for r in records if r.get("method") == "password"]
            window = app_settings.REAUTHENTICATION_TIMEOUT
            if logins and time.time() - logins[-1]["at"] < window:
                return False
        return super().is_reauthentication_required(app=app, **kwargs)

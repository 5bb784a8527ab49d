"""Glue between django-axes and allauth: which login a failed attempt counts against."""

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

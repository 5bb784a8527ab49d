"""Glue between django-axes and allauth: which login a failed attempt counts against."""


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

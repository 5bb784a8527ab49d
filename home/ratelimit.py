"""A per-person limit on POSTs that score or check a secret, with a clear 429 page.

allauth limits login, sign-up and password reset, and axes locks repeated failed logins; this
covers the rest: quiz answers and submissions, case steps, sign-offs, the supervisor's password
re-check and cohort invitation codes. Counts live in the cache (Redis in production, so every
worker and host shares them) in fixed windows.
"""

import functools
import time

from django.conf import settings
from django.core.cache import cache
from django.shortcuts import render

from .audit import client_ip

# scope -> (requests allowed, window in seconds); settings.RATE_LIMITS overrides each.
DEFAULTS = {
    "scoring": (120, 60),  # answers, submissions, case steps: two a second for a minute
    "signoff": (20, 60),
    "secret": (10, 300),  # password re-check, invitation codes: guessing is the risk
}


def _limit(scope: str) -> tuple[int, int]:
    return getattr(settings, "RATE_LIMITS", {}).get(scope, DEFAULTS[scope])


def over_limit(request, scope: str) -> int | None:
    """Count this request; return the seconds to wait if it is over the limit, else None."""
    allowed, window = _limit(scope)
    who = f"u{request.user.pk}" if request.user.is_authenticated else f"ip{client_ip(request)}"
    now = int(time.time())
    start = now - now % window
    key = f"ratelimit:{scope}:{who}:{start}"
    cache.add(key, 0, timeout=window + 5)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=window + 5)
        count = 1
    if count > allowed:
        return start + window - now
    return None


def too_many(request, wait: int):
    response = render(request, "429.html", {"wait": wait}, status=429)
    response["Retry-After"] = str(max(wait, 1))
    return response


def rate_limit(scope: str):
    """Decorate a view (or a routable page's route function) so its POSTs are limited."""

    def decorator(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.method == "POST" and (wait := over_limit(request, scope)) is not None:
                return too_many(request, wait)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator

"""Request-wide policies: the public-site CSP, session lifetimes, the admin door and two-factor
login for staff roles.

Each class does one thing and reads its limits from settings.
"""

import time

from allauth.mfa.models import Authenticator
from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.db import DatabaseError
from django.middleware.csp import ContentSecurityPolicyMiddleware
from django.shortcuts import redirect, render
from django.utils.cache import patch_cache_control
from django.utils.datastructures import MultiValueDictKeyError

from .roles import Role, can_use_admin, has_role


class PublicSiteCSPMiddleware(ContentSecurityPolicyMiddleware):
    """Django's CSP middleware, applied to the public site only.

    The Wagtail and Django admins rely on inline scripts and styles, so they are exempt
    (``CSP_EXEMPT_PATH_PREFIXES``); they are reachable only by staff. So is Wagtail's preview,
    which renders a page inside the editor through a dummy request that carries the page's own
    path (``request.is_preview``): its frame-ancestors 'none' would blank the preview panel.
    """

    def process_response(self, request, response):
        exempt = request.path.startswith(tuple(settings.CSP_EXEMPT_PATH_PREFIXES))
        if exempt or getattr(request, "is_preview", False):
            response._csp_config = {}
            response._csp_ro_config = {}
        return super().process_response(request, response)


class PrivateCacheMiddleware:
    """Nothing shown to a logged-in person is kept by a browser's disk cache or a shared cache:
    every response to an authenticated request (dashboard, record, exports, supervision pages,
    certificates, downloads, error pages alike) gets ``Cache-Control: private, no-store``, added
    to whatever the view set (``public`` is dropped). One place, so a new page cannot forget it.
    Pages for visitors are untouched."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if "no-store" in response.get("Cache-Control", ""):
            return response  # kept by nobody already (never_cache, the 503 page)
        try:
            user = getattr(request, "user", None)
            authenticated = user is not None and user.is_authenticated
        except DatabaseError:  # the user could not be loaded: the response is the 503 page
            return response
        if authenticated:
            patch_cache_control(response, private=True, no_store=True)
        return response


SESSION_STARTED = "_psycomp_session_started"
SESSION_LAST_SEEN = "_psycomp_last_seen"
# Write the last-seen time at most once a minute, so that a page view is not a session write.
_TOUCH_EVERY = 60


class SessionLifetimeMiddleware:
    """Ends a logged-in session after ``SESSION_IDLE_TIMEOUT`` seconds without a request, or
    ``SESSION_ABSOLUTE_LIFETIME`` seconds after it began, whichever comes first."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = time.time()
            session = request.session
            started = session.get(SESSION_STARTED)
            last_seen = session.get(SESSION_LAST_SEEN)
            if started is None:
                session[SESSION_STARTED] = now
                session[SESSION_LAST_SEEN] = now
            elif (
                now - started > settings.SESSION_ABSOLUTE_LIFETIME
                or now - (last_seen or started) > settings.SESSION_IDLE_TIMEOUT
            ):
                logout(request)
                messages.info(request, "Your session ended. Please log in again.")
                return redirect_to_login(request.get_full_path())
            elif now - (last_seen or 0) > _TOUCH_EVERY:
                session[SESSION_LAST_SEEN] = now
        return self.get_response(request)


class AdminDoorMiddleware:
    """Trainees and supervisors who open an admin URL get a clear 403, not a login loop."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            path = request.path
            wagtail_admin = path.startswith("/admin/") and not can_use_admin(user)
            django_admin = path.startswith("/django-admin/") and not user.is_staff
            if wagtail_admin or django_admin:
                return render(request, "403.html", {"reason": "admin"}, status=403)
        return self.get_response(request)


MFA_CHECKED = "_psycomp_mfa_enrolled"


def needs_mfa(user) -> bool:
    """Supervisors, educators, administrators and staff accounts must use two-factor login."""
    return (
        user.is_staff
        or user.is_superuser
        or has_role(user, Role.SUPERVISOR, Role.EDUCATOR, Role.ADMINISTRATOR)
    )


class StaffMFAMiddleware:
    """Until a person in a staff role has set up an authenticator app, they reach only the
    two-factor pages (and log out). A GET is sent to the set-up page; anything else gets a 403.

    Enrolment is remembered in the session once seen, so an enrolled person costs no query per
    request; the MFA adapter refuses to remove a staff member's authenticator, so the flag cannot
    go stale.
    """

    OPEN_PREFIXES = ("/accounts/2fa/", "/accounts/reauthenticate/", "/accounts/logout/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not request.session.get(MFA_CHECKED)
            and needs_mfa(user)
            and not request.path.startswith((*self.OPEN_PREFIXES, settings.STATIC_URL))
        ):
            if is_mfa_enabled(user, [Authenticator.Type.TOTP]):
                request.session[MFA_CHECKED] = True
            elif request.method in ("GET", "HEAD"):
                messages.warning(
                    request,
                    "Your role gives access to other people's records, so it needs two-factor "
                    "login. Set up an authenticator app to continue.",
                )
                return redirect("mfa_activate_totp")
            else:
                return render(request, "403.html", {"reason": "mfa"}, status=403)
        return self.get_response(request)


class CachedSiteMiddleware:
    """Hands Wagtail the site for this host from the cache, with its root page already loaded,
    so serving a page does not look both up again on every request. Wagtail reads
    ``request._wagtail_site`` when it is set (``Site.find_for_request``). The entry is dropped
    whenever published content or a site changes (``home.caching``)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        admin = request.path.startswith(tuple(settings.CSP_EXEMPT_PATH_PREFIXES))
        if not admin and not getattr(view_func, "needs_no_site", False):
            from .caching import for_content

            key = f"site:{request._get_raw_host()}:{request.get_port()}"
            request._wagtail_site = for_content(key, lambda: _site_with_root(request))


def _site_with_root(request):
    from wagtail.models import Site

    site = Site._find_for_request(request)
    if site is not None:
        site.root_page.specific  # noqa: B018 - loaded now, so it is cached with the site
    return site


# Errors the form machinery raises while reading the submitted body: a key it needs is missing,
# or a count or an id that must be a number is not one.
_MALFORMED = (KeyError, ValueError, TypeError, IndexError, OverflowError, ValidationError)
_READING_FRAMES = {"value_from_datadict", "_construct_form"}
# SQLite refuses an integer past 64 bits outright (OverflowError) where PostgreSQL finds no row;
# Django's multiple-choice field looks posted ids up unchecked while cleaning the form.
_CLEANING_FRAMES = {"_clean_fields"}


def _raised_reading_form_data(exception) -> bool:
    if isinstance(exception, MultiValueDictKeyError):
        return True  # only a lookup in the request's data raises this
    frames = _READING_FRAMES | (_CLEANING_FRAMES if isinstance(exception, OverflowError) else set())
    traceback = exception.__traceback__
    while traceback is not None:
        if traceback.tb_frame.f_code.co_name in frames:
            return True
        traceback = traceback.tb_next
    return False


class MalformedFormMiddleware:
    """A form body the form machinery cannot even read is a bad request, not a server error.

    Wagtail's editor reads StreamField and ListBlock counts with ``int(data["...-count"])`` in a
    widget's ``value_from_datadict``, and modelcluster's inline formsets read each child's id
    with ``data[...]`` (and converts it, unchecked) in ``_construct_form``: a body without those
    keys, or with a word where a number belongs, raises before any validation runs, and nothing
    has been saved. Errors raised
    there, an id too large for SQLite met while cleaning a form, and any lookup of a missing key
    in the request's data, are answered with a 400 and a plain message; every other error is
    still a 500.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, _MALFORMED) or not _raised_reading_form_data(exception):
            return None
        message = "The form arrived incomplete or damaged, so it could not be read."
        return render(request, "400.html", {"message": message}, status=400)

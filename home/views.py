"""Account pages the site adds around allauth (profile), the demo's inbox, and the error pages."""

import sys

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import InterfaceError, OperationalError
from django.http import Http404, HttpResponse, HttpResponseServerError
from django.shortcuts import redirect, render
from django.template import loader
from django.views import defaults
from django.views.decorators.http import require_GET, require_http_methods

from . import demo_mail, services
from .forms import ProfileForm


@login_required
@require_http_methods(["GET", "POST"])
def profile(request):
    """The owner edits their own profile; nobody else's is reachable from here."""
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST":
        if form.is_valid():
            services.profile_update(
                user=request.user,
                **{name: form.cleaned_data[name] for name in ProfileForm.Meta.fields},
            )
            messages.success(request, "Your profile has been saved.")
            return redirect("home:profile")
        return render(request, "home/profile.html", {"form": form}, status=400)
    return render(request, "home/profile.html", {"form": form})


@require_GET
def healthz(request):
    """A short text answer that touches neither the database nor a template: load balancers
    use it to see the process is up, and the benchmark uses it as the framework's floor."""
    return HttpResponse("ok\n", content_type="text/plain")


healthz.needs_no_site = True  # home.middleware.CachedSiteMiddleware skips the site lookup


@require_GET
def demo_mail_inbox(request):
    """The demo's inbox (``home.demo_mail``): every email the demo sent, for anyone to read.
    Only when ``DEMO_MAIL`` is on (the development settings); a 404 everywhere else."""
    if not getattr(settings, "DEMO_MAIL", False):
        raise Http404
    response = render(request, "home/demo_mail.html", {"messages_sent": demo_mail.inbox()})
    response["Cache-Control"] = "private, no-store"
    return response


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


# How long a client should wait before trying again when the database is out of reach.
RETRY_AFTER_SECONDS = 30


def database_unreachable(exc: BaseException | None) -> bool:
    """Whether ``exc``, or an exception it was raised from, says the database could not be used:
    Django's OperationalError (refused or dropped connection, server shutting down, lock
    timeout) or InterfaceError (a connection already closed). Other database errors are bugs
    and stay 500s."""
    seen = set()
    while exc is not None and id(exc) not in seen:
        if isinstance(exc, OperationalError | InterfaceError):
            return True
        seen.add(id(exc))
        exc = exc.__cause__ or exc.__context__
    return False


def server_error(request):
    """Django's handler500, for any exception a view or a middleware let through.

    Every middleware is wrapped so that an exception inside it becomes a response at once, so a
    middleware further out never sees it: this handler is the one place that sees them all,
    including a database failure while the session or the user is loaded. When the database is
    out of reach the answer is a 503 with Retry-After, because waiting helps; otherwise a 500.
    Both pages are rendered without a request context (no context processor, no Wagtail site
    lookup), so they need no database. Django passes no exception, but calls this inside its
    ``except`` block, so ``sys.exc_info()`` holds it (WSGI; gunicorn runs sync workers).
    """
    if database_unreachable(sys.exc_info()[1]):
        return _service_unavailable()
    return HttpResponseServerError(loader.get_template("500.html").render())


def bad_request(request, exception):
    """Django's handler400. One 400 is the database's fault, not the request's: when the session
    cannot be saved at the end of a request because the connection dropped, Django raises
    SessionInterrupted (a BadRequest). That gets the 503 page too."""
    if database_unreachable(exception):
        return _service_unavailable()
    return defaults.bad_request(request, exception)


def _service_unavailable() -> HttpResponse:
    response = HttpResponse(loader.get_template("503.html").render(), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response

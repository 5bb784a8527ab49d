"""Account pages the site adds around allauth (profile), and the error pages."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from . import services
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


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    # Rendered without a request context: the failure may be in a context processor.
    from django.http import HttpResponseServerError
    from django.template import loader

    return HttpResponseServerError(loader.get_template("500.html").render())

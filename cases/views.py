"""The vignette player's routes (called from ``CaseVignettePage``)."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from wagtail.contrib.routable_page.templatetags.wagtailroutablepage_tags import routablepageurl

from home.numbers import bounded_int
from home.ratelimit import rate_limit

from . import selectors, services

# Bounds for what a play form may post: the engine checks the real scale of each item.
MAX_STEP = 10_000
MAX_ITEM = 1_000


def _url(request, page, name, *args) -> str:
    return routablepageurl({"request": request}, page, name, *args)


def _guard(request, methods):
    if request.method not in methods:
        return HttpResponseNotAllowed(methods)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    return None


@rate_limit("scoring")
def vignette_start(request, page):
    if refusal := _guard(request, ["POST"]):
        return refusal
    try:
        attempt = services.vignette_start(trainee=request.user, vignette=page)
    except services.VignetteError as exc:
        messages.error(request, str(exc))
        return redirect(page.get_url(request))
    return redirect(_url(request, page, "play", attempt.pk))


def _posted(request):
    """The posted step number, choices and instrument answers, or a message saying what is wrong."""
    seq = bounded_int(request.POST.get("seq"), low=0, high=MAX_STEP)
    if seq is None:
        return None, "This form is missing its step number. Reload the page and try again."
    choices = request.POST.getlist("choice")
    values = []
    count = sum(1 for key in request.POST if key.startswith("item-"))
    for index in range(count):
        value = bounded_int(request.POST.get(f"item-{index}"), low=-MAX_ITEM, high=MAX_ITEM)
        if value is None:
            return None, "Record an answer for every item of the questionnaire, from the choices."
        values.append(value)
    return (seq, choices, values), None


@rate_limit("scoring")
def vignette_play(request, page, attempt_id):
    if refusal := _guard(request, ["GET", "POST"]):
        return refusal
    error, status = None, 200
    if request.method == "POST":
        # The service finds the attempt (this person's, on this case) and locks it: a valid
        # answer costs no other read of it.
        posted, error = _posted(request)
        status = 400
        if posted is not None:
            seq, choices, values = posted
            try:
                _, step = services.step_submit(
                    attempt_id=attempt_id,
                    trainee=request.user,
                    vignette=page,
                    seq=seq,
                    choices=choices,
                    values=values,
                    from_form=True,
                )
            except services.NoSuchAttempt as exc:
                raise Http404("No such attempt.") from exc
            except services.AlreadyFinished as exc:
                messages.info(request, str(exc))
                return redirect(_url(request, page, "debrief", attempt_id))
            except services.StaleStep as exc:
                error, status = str(exc), 409
            except services.IllegalResponse as exc:
                error = f"That answer could not be recorded: {exc}"
            else:
                if step.kind == "scene":
                    return redirect(_url(request, page, "play", attempt_id))
                return redirect(_url(request, page, "feedback", attempt_id, step.seq))
    attempt = selectors.attempt_for(user=request.user, page=page, attempt_id=attempt_id)
    if not attempt.is_open:
        if status == 409:
            messages.info(request, error)
        return redirect(_url(request, page, "debrief", attempt.pk))
    context = {
        "page": page,
        "attempt": attempt,
        "error": error,
        **selectors.play_view(attempt=attempt),
    }
    return render(request, "cases/play.html", context, status=status)


def vignette_feedback(request, page, attempt_id, step):
    if refusal := _guard(request, ["GET"]):
        return refusal
    attempt = selectors.attempt_for(user=request.user, page=page, attempt_id=attempt_id)
    context = {
        "page": page,
        "attempt": attempt,
        **selectors.feedback_view(attempt=attempt, seq=step),
    }
    return render(request, "cases/feedback.html", context)


def vignette_debrief(request, page, attempt_id):
    if refusal := _guard(request, ["GET"]):
        return refusal
    attempt = selectors.attempt_for(user=request.user, page=page, attempt_id=attempt_id)
    if attempt.is_open:
        return redirect(_url(request, page, "play", attempt.pk))
    context = {"page": page, "attempt": attempt, **selectors.debrief_view(attempt=attempt)}
    return render(request, "cases/debrief.html", context)

"""Thin views for the quiz routes (called from ``QuizPage``'s routes). Each parses the request,
checks who is asking, calls a service or selector, and renders. The dashboard and the record
are in ``progress.views``; sign-off requests in ``supervision``."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect, render
from wagtail.contrib.routable_page.templatetags.wagtailroutablepage_tags import (
    routablepageurl,
)

from home.numbers import bounded_int
from home.ratelimit import rate_limit

from . import selectors, services
from .engine import quiz_logic

MAX_QUESTIONS = 10_000  # a question number past this is no question of any quiz


def _url(request, quiz, name, *args) -> str:
    return routablepageurl({"request": request}, quiz, name, *args)


def _guard(request, *, method: str):
    if request.method != method:
        return HttpResponseNotAllowed([method])
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    return None


@rate_limit("scoring")
def quiz_start(request, quiz):
    if refusal := _guard(request, method="POST"):
        return refusal
    try:
        attempt = services.attempt_start(trainee=request.user, quiz=quiz)
    except services.QuizError as exc:
        messages.error(request, str(exc))
        return redirect(quiz.get_url(request))
    return redirect(_url(request, quiz, "attempt", attempt.pk))


def _question_index(request) -> int:
    raw = request.GET.get("q", request.POST.get("q", 0))
    return bounded_int(raw, low=0, high=MAX_QUESTIONS) or 0


@rate_limit("scoring")
def quiz_question(request, quiz, attempt_id):
    if request.method not in ("GET", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    attempt = selectors.attempt_for(user=request.user, quiz=quiz, attempt_id=attempt_id)
    if not attempt.is_open:
        return redirect(_url(request, quiz, "review", attempt.pk))
    index = _question_index(request)
    total = len(services.attempt_questions(attempt))
    if request.method == "GET" and index >= total:
        return _render_summary(request, quiz, attempt)
    error = None
    if request.method == "POST":
        question_key = request.POST.get("question", "")
        try:
            services.answer_save(
                attempt_id=attempt.pk,
                trainee=request.user,
                question_key=question_key,
                data=request.POST,
                from_form=True,
            )
        except services.TimeUp as exc:
            messages.info(request, str(exc))
            return redirect(_url(request, quiz, "review", attempt.pk))
        except services.AlreadySubmitted:
            messages.info(request, "This attempt was already submitted.")
            return redirect(_url(request, quiz, "review", attempt.pk))
        except quiz_logic.ResponseError as exc:
            error = str(exc)
        else:
            if services.attempt_settings(attempt)["feedback_timing"] == "after_each":
                return redirect(f"{_url(request, quiz, 'attempt', attempt.pk)}?q={index}#feedback")
            messages.success(request, "Answer saved.")
            return redirect(f"{_url(request, quiz, 'attempt', attempt.pk)}?q={index + 1}")
    view = selectors.attempt_question(attempt=attempt, index=index)
    context = {
        "page": quiz,
        "attempt": attempt,
        "error": error,
        "question_template": f"assessments/questions/{view['spec'].kind}.html",
        "posted": request.POST if error else None,
        **view,
    }
    return render(request, "assessments/quiz_question.html", context, status=400 if error else 200)


def _render_summary(request, quiz, attempt):
    view = selectors.attempt_question(attempt=attempt, index=0)
    return render(
        request,
        "assessments/quiz_summary.html",
        {"page": quiz, "attempt": attempt, **view},
    )


@rate_limit("scoring")
def quiz_submit(request, quiz, attempt_id):
    if refusal := _guard(request, method="POST"):
        return refusal
    attempt = selectors.attempt_for(user=request.user, quiz=quiz, attempt_id=attempt_id)
    try:
        attempt = services.attempt_submit(attempt_id=attempt.pk, trainee=request.user)
    except services.AlreadySubmitted:
        messages.info(request, "This attempt was already submitted; here is its review.")
    else:
        messages.success(request, "Your answers have been submitted and scored.")
    return redirect(_url(request, quiz, "review", attempt.pk))


def quiz_review(request, quiz, attempt_id):
    if refusal := _guard(request, method="GET"):
        return refusal
    attempt = selectors.attempt_for(user=request.user, quiz=quiz, attempt_id=attempt_id)
    if attempt.is_open:
        return redirect(_url(request, quiz, "attempt", attempt.pk))
    context = {"page": quiz, "attempt": attempt, **selectors.attempt_review(attempt=attempt)}
    return render(request, "assessments/quiz_review.html", context)

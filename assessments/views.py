"""Thin views: the dashboard, the record, sign-off requests and the quiz routes. Each parses the
request, checks who is asking, calls a service or selector, and renders."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST
from wagtail.contrib.routable_page.templatetags.wagtailroutablepage_tags import (
    routablepageurl,
)

from curriculum import selectors as curriculum_selectors
from home.caching import for_records
from home.ratelimit import rate_limit
from home.roles import Role, roles_of
from supervision import services as supervision_services

from . import selectors, services
from .engine import quiz_logic


@login_required
@require_GET
def dashboard(request):
    roles = roles_of(request.user)
    context = {"roles": roles}
    if Role.SUPERVISOR in roles:
        context["trainees"] = list(selectors.trainees_for_supervisor(supervisor=request.user))
    if Role.TRAINEE in roles:
        user = request.user
        # Current supervisors are counted by the day: the date is part of the key.
        context["trainee_dashboard"] = for_records(
            user.pk, f"dashboard:{timezone.localdate()}", lambda: trainee_dashboard(user)
        )
    return render(request, "assessments/dashboard.html", context)


def trainee_dashboard(user) -> dict:
    """The trainee's part of the dashboard, rendered: it depends only on their records and on
    published content, so it is kept until either changes (``home.caching.for_records``). The
    sign-off request form is not part of it (it carries the request's CSRF token): the
    dashboard adds it when ``can_request``."""
    progress = selectors.trainee_progress(user=user)
    sign_off_request = selectors.latest_sign_off_request(user=user)
    context = {
        "course": curriculum_selectors.course_overview(user=user),
        "progress": progress,
        "next_step": selectors.next_step(user=user, element=progress["weakest"]),
        "recent": selectors.recent_attempts(user=user),
        "recent_cases": selectors.case_attempts(user=user),
        "sign_off_request": sign_off_request,
        "chart": _element_chart(progress["elements"]),
        "chart_height": 20 + 34 * len(progress["elements"]),
    }
    return {
        "supervisors": [s.name for s in selectors.supervisors_for_trainee(trainee=user)],
        "has_progress": bool(progress),
        "can_request": bool(progress["ready"] and sign_off_request is None),
        "readiness": render_to_string("assessments/includes/dashboard_readiness.html", context),
        "progress": render_to_string("assessments/includes/dashboard_progress.html", context),
    }


def _element_chart(rows) -> list[dict]:
    """Bar geometry for the server-drawn mastery chart (percent of 100, threshold marker)."""
    bars = []
    for position, row in enumerate(rows):
        percent = row["mastery"].percent or 0
        bars.append(
            {
                "y": 10 + position * 34,
                "width": round(3.6 * percent, 1),
                "percent": row["mastery"].percent,
                "name": row["element"].name,
                "status": row["mastery"].status,
            }
        )
    return bars


@login_required
@require_GET
def record(request):
    """Every attempt of the person's own, with its score and a link to its review."""
    attempts = selectors.recent_attempts(user=request.user, limit=None)
    cases = selectors.case_attempts(user=request.user, limit=None)
    return render(request, "assessments/record.html", {"attempts": attempts, "cases": cases})


@rate_limit("signoff")
@login_required
@require_POST
def request_sign_off(request):
    try:
        supervision_services.sign_off_request(
            trainee=request.user, message=request.POST.get("message", "")
        )
    except PermissionDenied:
        raise
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("assessments:dashboard")
    messages.success(request, "Your request for sign-off has been sent to your supervisor.")
    return redirect("assessments:dashboard")


# --- Quiz routes (called from QuizPage) ----------------------------------------------------


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
    try:
        return int(request.GET.get("q", request.POST.get("q", 0)))
    except (TypeError, ValueError):
        return 0


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

"""Thin views: the dashboard and the record. Each checks who is asking, calls selectors and
renders. Supervision's parts of the dashboard come through ``progress.panels``."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.text import slugify
from django.views.decorators.http import require_GET

from competencies import selectors as competency_selectors
from curriculum import selectors as curriculum_selectors
from home.caching import for_content
from home.fragments import personal_fragment
from home.roles import Role, roles_of

from . import panels, selectors


@login_required
@require_GET
def dashboard(request):
    """Everyone's landing page: the trainee's progress (cached with their records), then the
    sections other apps contribute (a supervisor's trainees), then the authoring links."""
    roles = roles_of(request.user)
    context = {"roles": roles, "sections": panels.shown(panels.Panel.PAGE, request=request)}
    if Role.TRAINEE in roles:
        user = request.user
        # Current supervisors are counted by the day: the date is part of the key.
        context["trainee_section"] = personal_fragment(
            request,
            f"dashboard:{timezone.localdate()}",
            "progress/includes/dashboard_trainee.html",
            lambda: trainee_dashboard(user),
        )
    return render(request, "progress/dashboard.html", context)


def trainee_dashboard(user) -> dict:
    """The context of the trainee's section of the dashboard. It depends only on their records,
    published content and the date, so the section is kept until one of those changes
    (``home.fragments.personal_fragment``); so must the panels other apps put in it."""
    # The person's lesson completions, read once for both the course overview and readiness.
    completions = curriculum_selectors.lesson_completions(user)
    progress = selectors.trainee_progress(user=user, completed=completions.keys())
    return {
        "course": curriculum_selectors.course_overview(user=user, completions=completions),
        "progress": progress,
        "next_step": selectors.next_step(
            user=user, element=progress["weakest"], completed=completions.keys()
        ),
        "recent": selectors.recent_activity(user=user),
        "chart": _element_chart(progress["elements"]),
        "element_guide": element_guide(),
        "levels": selectors.evidence_levels(
            user=user,
            elements=[r["element"] for r in progress["elements"]],
            policy=progress["policy"],
        ),
        "readiness_panels": panels.shown(panels.Panel.READINESS, user=user, progress=progress),
        "trainee_panels": panels.shown(panels.Panel.TRAINEE, user=user, progress=progress),
    }


def element_guide() -> SafeString:
    """What each element means and what a supervisor looks for, as HTML: the same for every
    trainee, so rendered once per content version rather than with each trainee's section."""
    return for_content(
        "dashboard-element-guide",
        lambda: render_to_string(
            "progress/includes/element_guide.html",
            {"elements": competency_selectors.elements_in_order()},
        ),
    )


def _element_chart(rows) -> list[dict]:
    """The mastery chart's rows: the element's name and its value as HTML text (so it never
    scales down on a small screen), and the bar's length in a small SVG of its own."""
    # Worked out here rather than with template filters in the loop: the section is rebuilt
    # after every write to the person's records.
    return [
        {
            "width": row["mastery"].percent or 0,
            "percent": row["mastery"].percent,
            "label": row["element"].name,
            "status": slugify(row["mastery"].status),
        }
        for row in rows
    ]


@login_required
@require_GET
def record(request):
    """Every attempt of the person's own, with its score and a link to its review, and the
    observations of their practice."""
    attempts = selectors.recent_attempts(user=request.user, limit=None)
    cases = selectors.case_attempts(user=request.user, limit=None)
    observations = selectors.observations(user=request.user)
    return render(
        request,
        "progress/record.html",
        {"attempts": attempts, "cases": cases, "observations": observations},
    )

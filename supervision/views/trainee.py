"""The supervisor's page about one trainee, and the path the trainee took through a case."""

from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.views.decorators.http import require_GET

from cases import selectors as case_selectors
from cases.models import VignetteAttempt
from home.caching import for_records
from progress import selectors as progress_selectors
from supervision import selectors
from supervision.views.access import supervisor_required
from supervision.views.sign_off import fresh


@require_GET
@supervisor_required
def trainee(request, trainee_id: int):
    person = selectors.assigned_trainee(supervisor=request.user, trainee_id=trainee_id)
    # Which kinds of supervision record the trainee has: the reads of the others are skipped.
    kinds = selectors.record_kinds(trainee=person)
    # Below the summary, the page shows only the trainee's records: kept until they change.
    evidence = for_records(
        person.pk,
        "supervisor-evidence",
        lambda: render_to_string(
            "supervision/includes/trainee_evidence.html",
            {"person": person, **selectors.trainee_evidence(trainee=person)},
        ),
    )
    return render(
        request,
        "supervision/trainee.html",
        {
            "person": person,
            "evidence": evidence,
            "observations": (
                progress_selectors.observations(user=person) if kinds["observed"] else []
            ),
            "observation_asks": (
                selectors.open_observation_requests(supervisor=request.user, trainee=person)
                if kinds["asked_to_be_observed"]
                else []
            ),
            "fresh": fresh(request),
            **selectors.trainee_summary(trainee=person, kinds=kinds),
        },
    )


@require_GET
@supervisor_required
def case_path(request, trainee_id: int, attempt_id: int):
    person = selectors.assigned_trainee(supervisor=request.user, trainee_id=trainee_id)
    attempt = get_object_or_404(VignetteAttempt, pk=attempt_id, trainee=person)
    steps = [
        {"step": step, **case_selectors.feedback_view(attempt=attempt, seq=step.seq)}
        for step in attempt.steps.exclude(kind="scene")
    ]
    debrief = case_selectors.debrief_view(attempt=attempt) if not attempt.is_open else None
    return render(
        request,
        "supervision/case_path.html",
        {"person": person, "attempt": attempt, "steps": steps, "debrief": debrief},
    )

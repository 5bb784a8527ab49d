"""Supervision's parts of the dashboard (``progress.panels``; registered in ``wagtail_hooks``):
under the trainee's readiness, the request for sign-off they made or the button to make one;
at the end of their section, their observed practice and their supervisors; and, for a
supervisor, their trainees."""

from django.contrib.auth import get_user_model
from django.utils import timezone

from home import prepared
from home.roles import Role, has_role
from progress import selectors as progress_selectors
from progress.panels import Panel

from . import selectors, services
from .models.requests import MESSAGE_MAX_CHARS

User = get_user_model()


def _standing(*, user, progress) -> dict[str, bool]:
    """``selectors.record_kinds`` for the trainee, read once per rendering of their section
    (kept beside the readiness it is rendered with) for every panel that needs it."""
    if "supervision_standing" not in progress:
        progress["supervision_standing"] = selectors.record_kinds(trainee=user)
    return progress["supervision_standing"]


def sign_off_request_context(*, user, progress) -> dict | None:
    """Where the trainee's sign-off stands: their open request (which they can withdraw); or
    the latest decision (a "not yet" or a revocation with its feedback and next steps, or a
    competent decision that stands); and whether they may ask now (``services``: ready, no
    open request, and after a "not yet" or a revocation, new evidence since)."""
    standing = _standing(user=user, progress=progress)
    asked = selectors.open_sign_off_request(trainee=user) if standing["asked"] else None
    decision = selectors.latest_sign_off_result(trainee=user) if standing["decided"] else None
    if asked is None and decision is None and not progress["ready"]:
        return None
    may_ask = (
        asked is None
        and progress["ready"]
        and services.may_ask_again(trainee=user, decision=decision)
    )
    return {
        "request": asked,
        "decision": decision,
        "supervisor": decision.supervisor.name if decision else "",
        "revoked": decision.revokes if decision and decision.revokes_id else None,
        "may_ask": may_ask,
        # Where two supervisors decide: how many have decided on the open request so far.
        "two": selectors.sign_off_panel(trainee=user, request=asked) if asked else None,
        "ready": progress["ready"],
        "message_max": MESSAGE_MAX_CHARS,
    }


def _supervisor_names(*, user, progress) -> list[str]:
    """The trainee's current supervisors, by name: read once per rendering of their section
    (kept beside the readiness it is rendered with), for both panels that need them."""
    if "supervisor_names" not in progress:
        if not _standing(user=user, progress=progress)["supervised"]:
            progress["supervisor_names"] = []
            return []
        # Only what ``User.name`` reads, as values: not the rest of their accounts. Compiled
        # once a day: which assignments are current depends on the date.
        today = timezone.localdate()
        progress["supervisor_names"] = [
            User.name_from(*values)
            for values in prepared.rows(
                f"supervisor-names:{today}",
                lambda person: selectors.supervisors_for_trainee(trainee=person).values_list(
                    *User.NAME_FIELDS
                ),
                user.pk,
            )
        ]
    return progress["supervisor_names"]


def supervisors_context(*, user, progress) -> dict:
    """The trainee's current supervisors, by name (none: the panel says so)."""
    return {"supervisors": _supervisor_names(user=user, progress=progress)}


def observations_context(*, user, progress) -> dict:
    """The trainee's observations of practice (with their reflections), their open requests to
    be observed and what the policy asks for; all their own records."""
    policy = progress["policy"]
    standing = _standing(user=user, progress=progress)
    return {
        "observations": (
            progress_selectors.observations(user=user) if standing["observed"] else []
        ),
        "requests": (
            selectors.trainee_observation_requests(trainee=user)
            if standing["asked_to_be_observed"]
            else []
        ),
        "has_supervisors": bool(_supervisor_names(user=user, progress=progress)),
        "needed": policy.observations_needed,
        "level": policy.observation_level,
    }


def trainees_context(*, request) -> dict | None:
    """A supervisor's current trainees; nothing for anyone else."""
    if not has_role(request.user, Role.SUPERVISOR):
        return None
    return {"trainees": list(selectors.trainees_for_supervisor(supervisor=request.user))}


SIGN_OFF_REQUEST = Panel(
    place=Panel.READINESS,
    template="supervision/includes/dashboard_sign_off_request.html",
    context=sign_off_request_context,
)
OBSERVATIONS = Panel(
    place=Panel.TRAINEE,
    template="supervision/includes/dashboard_observations.html",
    context=observations_context,
)
SUPERVISORS = Panel(
    place=Panel.TRAINEE,
    template="supervision/includes/dashboard_supervisors.html",
    context=supervisors_context,
)
TRAINEES = Panel(
    place=Panel.PAGE,
    template="supervision/includes/dashboard_trainees.html",
    context=trainees_context,
)

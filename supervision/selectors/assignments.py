"""Who supervises whom, today: the set every other supervision read starts from, so a
supervisor's access ends the day their assignment ends."""

from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from assessments.engine import mastery
from assessments.selectors import mastery_policy
from home.caching import for_records
from supervision.models import Cohort, SignOffRecord, SignOffRequest, SupervisorAssignment

User = get_user_model()


def current_trainee_ids(supervisor) -> QuerySet:
    """The ids of the trainees assigned to this supervisor today, as a subquery."""
    return SupervisorAssignment.objects.current().filter(supervisor=supervisor).values("trainee_id")


def trainees_for_supervisor(*, supervisor) -> QuerySet:
    """The trainees a supervisor is assigned to today, and no one else."""
    return User.objects.filter(pk__in=current_trainee_ids(supervisor)).order_by(
        "display_name", "email"
    )


def supervisors_for_trainee(*, trainee) -> QuerySet:
    """The supervisors currently responsible for a trainee."""
    supervisor_ids = SupervisorAssignment.objects.current().filter(trainee=trainee)
    return User.objects.filter(pk__in=supervisor_ids.values("supervisor_id")).order_by(
        "display_name", "email"
    )


def latest_sign_off_request(*, trainee) -> SignOffRequest | None:
    """The trainee's most recent request for sign-off, if any."""
    return SignOffRequest.objects.filter(trainee=trainee).first()


def open_sign_off_request(*, trainee) -> SignOffRequest | None:
    """The trainee's open request for sign-off (there is at most one), if any."""
    return SignOffRequest.objects.filter(trainee=trainee, status=SignOffRequest.Status.OPEN).first()


def latest_sign_off_record(*, trainee) -> SignOffRecord | None:
    """The trainee's latest sign-off record (a decision or a revocation), if any."""
    return SignOffRecord.objects.filter(trainee=trainee).order_by("-id").first()


def latest_sign_off_result(*, trainee) -> SignOffRecord | None:
    """The trainee's latest sign-off outcome (a decision that closed a request, one made by a
    single supervisor, or a revocation), if any: where they stand."""
    return (
        SignOffRecord.objects.filter(trainee=trainee)
        .results()
        .select_related("supervisor")
        .order_by("-id")
        .first()
    )


def request_decisions(*, request) -> list[SignOffRecord]:
    """The decisions recorded so far on a request that two supervisors decide, oldest first."""
    if request is None:
        return []
    return list(
        SignOffRecord.objects.filter(sign_off_request=request)
        .select_related("supervisor")
        .order_by("id")
    )


def lead_supervisor_id(*, trainee) -> int | None:
    """The lead supervisor, when the lead decides: the trainee's current supervisor assigned
    first (the earliest start, then the earliest assignment made). No flag to keep right: when
    the lead's assignment ends, the next one assigned leads."""
    return (
        SupervisorAssignment.objects.current()
        .filter(trainee=trainee)
        .order_by("starts_on", "id")
        .values_list("supervisor_id", flat=True)
        .first()
    )


def sign_off_panel(*, trainee, request) -> dict:
    """How the decision on a request is made: by how many supervisors (``needed``: 2 once a
    decision was recorded as one of two, else the policy's number), under which ``rule`` (the
    first decision's, else the policy's), the ``decisions`` recorded on it so far and, when the
    lead decides, the lead's id."""
    decisions = request_decisions(request=request)
    if decisions:
        needed, rule = 2, decisions[0].rule
    else:
        policy = mastery_policy()
        needed, rule = policy.supervisors_needed, policy.sign_off_rule
    lead = None
    if needed > 1 and rule == mastery.LEAD_DECIDES:
        lead = lead_supervisor_id(trainee=trainee)
    return {
        "needed": needed,
        "rule": rule,
        "decisions": decisions,
        "decided": len(decisions),
        "lead_id": lead,
    }


def assigned_trainee(*, supervisor, trainee_id: int):
    """The trainee, if assigned to this supervisor today; otherwise 404 (not 403: the page
    must not confirm that the person exists)."""
    person = User.objects.filter(pk=trainee_id, pk__in=current_trainee_ids(supervisor)).first()
    if person is None:
        raise Http404("No such trainee among yours.")
    return person


def cohort_choices(supervisor) -> list:
    """Cohorts that at least one of this supervisor's current trainees belongs to."""
    return list(
        Cohort.objects.filter(memberships__trainee_id__in=current_trainee_ids(supervisor))
        .distinct()
        .order_by("name")
    )


def cohort_choices_cached(supervisor) -> list[tuple[int, str]]:
    """``cohort_choices`` as (id, name) pairs, cached like the roster (a membership change
    moves the trainee's supervisors' versions; a cohort's rename starts a new content
    version)."""
    today = timezone.localdate()
    return for_records(
        supervisor.pk,
        f"cohorts:{today}",
        lambda: [(c.pk, c.name) for c in cohort_choices(supervisor)],
    )

"""Who supervises whom, today: the set every other supervision read starts from, so a
supervisor's access ends the day their assignment ends."""

from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

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

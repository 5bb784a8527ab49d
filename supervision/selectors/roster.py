"""The supervisor's table of their current trainees: filtered, sorted and paged by the database
(readiness by the rule's SQL twin, ``progress.readiness_sql``), then a page of rows worked out
in a fixed number of queries, and the box of open sign-off requests above it."""

import datetime

from django.contrib.auth import get_user_model
from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, Concat, Greatest, Lower, NullIf, Trim
from django.utils import timezone

from assessments.engine import mastery
from assessments.models import ElementMastery, Evidence
from assessments.selectors import mastery_policy
from competencies import selectors as competency_selectors
from curriculum import selectors as curriculum_selectors
from curriculum.models import LessonCompletion
from progress.readiness_sql import with_readiness
from supervision.models import CohortMembership, SignOffRecord, SignOffRequest

from .assignments import current_trainee_ids

User = get_user_model()
INACTIVE_DAYS = 30
FILTERS = {
    "": "All trainees",
    "ready": "Ready for sign-off",
    "requested": "Asked for sign-off",
    "not_started": "Not started",
    "inactive": f"Inactive for {INACTIVE_DAYS} days",
}
SORTS = {"name": "Name", "ready": "Readiness", "activity": "Last activity"}


def _latest(queryset, field: str, order: str) -> Subquery:
    return Subquery(queryset.order_by(order).values(field)[:1])


def _annotated(trainees: QuerySet, *, policy, elements, core_ids: list[int]):
    """Trainees with what the dashboard filters and sorts on, worked out by the database:
    readiness by the rule's SQL twin (``progress.readiness_sql``: met elements, core lessons
    done, ready) and last activity."""
    mine = OuterRef("pk")
    last_evidence = _latest(Evidence.objects.filter(trainee=mine), "created_at", "-created_at")
    last_lesson = _latest(
        LessonCompletion.objects.filter(user=mine), "completed_at", "-completed_at"
    )
    ready = with_readiness(
        trainees, policy=policy, element_ids=[e.pk for e in elements], core_ids=core_ids
    )
    return ready.annotate(
        last_evidence=last_evidence,
        last_lesson=last_lesson,
        last_activity=Greatest(
            Coalesce(F("last_evidence"), F("last_lesson")),
            Coalesce(F("last_lesson"), F("last_evidence")),
        ),
    )


def _display_name():
    """``User.name`` in SQL: display name, then full name, then email."""
    full = Trim(Concat("first_name", Value(" "), "last_name"))
    return Lower(Coalesce(NullIf("display_name", Value("")), NullIf(full, Value("")), "email"))


def trainee_table(*, supervisor, show: str = "", sort: str = "name", cohort_id=None) -> dict:
    """The supervisor's current trainees as a queryset, filtered and sorted by the database, so
    a page of the dashboard costs the same for 20 or 2,000 trainees. ``rows_for`` turns the
    trainees of one page (or all, for the CSV) into table rows."""
    trainees = User.objects.filter(pk__in=current_trainee_ids(supervisor))
    if cohort_id is not None:
        trainees = trainees.filter(
            pk__in=CohortMembership.objects.filter(cohort_id=cohort_id).values("trainee_id")
        )
    context = table_context()
    elements, policy, core_ids = context["elements"], context["policy"], context["core_ids"]
    cutoff = context["cutoff"]
    requests = _open_requests(trainees.values("pk"))
    table = trainees
    if show in ("ready", "not_started", "inactive") or sort in ("ready", "activity"):
        # Only then are the per-trainee figures part of the count and the page query.
        table = _annotated(trainees, policy=policy, elements=elements, core_ids=core_ids)
    if show == "ready":
        table = table.filter(ready=True)
    elif show == "requested":
        table = table.filter(pk__in=requests.values("trainee_id"))
    elif show == "not_started":
        table = table.filter(last_activity__isnull=True)
    elif show == "inactive":
        table = table.filter(Q(last_activity__isnull=True) | Q(last_activity__lt=cutoff))
    order = ["display_name", "email"]
    if sort == "ready":
        order = ["-ready", _display_name(), *order]
    elif sort == "activity":
        order = [F("last_activity").desc(nulls_last=True), *order]
    return {
        # Only the ids are sorted and paged: the per-trainee figures are then worked out for
        # one page of trainees (rows_for), not for every trainee before the sort.
        "trainees": table.order_by(*order).values_list("pk", flat=True),
        "open_requests": requests,
        **context,
    }


def inactive_cutoff() -> datetime.datetime:
    """Trainees with no activity since this moment count as inactive: the start of the day
    ``INACTIVE_DAYS`` days ago, so the answer changes with the date, not by the second (the
    supervisor's table is cached for the day, see ``supervision.views.roster.roster``)."""
    day = timezone.localdate() - datetime.timedelta(days=INACTIVE_DAYS)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def table_context() -> dict:
    """What ``rows_for`` needs besides the trainees: elements, policy and core lessons (all
    cached with the content) and the inactivity cut-off."""
    core_ids = sorted(curriculum_selectors.core_lesson_ids())
    return {
        "elements": competency_selectors.elements_in_order(),
        "policy": mastery_policy(),
        "core_ids": core_ids,
        "core_total": len(core_ids),
        "cutoff": inactive_cutoff(),
    }


def _open_requests(trainee_ids) -> QuerySet:
    """Open sign-off requests of these trainees (one at most each), oldest first. Starts from
    the (few) requests, not from every trainee."""
    return SignOffRequest.objects.filter(
        trainee_id__in=trainee_ids, status=SignOffRequest.Status.OPEN
    ).order_by("created_at", "id")


def rows_for(trainee_ids, table: dict) -> list[dict]:
    """Table rows for these trainees, in this order (ids from ``trainee_table``): mastery per
    element by the rule in ``assessments.engine.mastery``, readiness, lessons, last activity and
    sign-off status. Four queries, whatever the number of rows."""
    ids = list(trainee_ids)
    elements, policy = table["elements"], table["policy"]
    people = _annotated(
        User.objects.filter(pk__in=ids),
        policy=policy,
        elements=elements,
        core_ids=table["core_ids"],
    ).in_bulk()
    trainees = [people[pk] for pk in ids if pk in people]
    summaries: dict[tuple[int, int], ElementMastery] = {
        (m.trainee_id, m.element_id): m for m in ElementMastery.objects.filter(trainee_id__in=ids)
    }
    latest_record: dict[int, SignOffRecord] = {}
    for record in SignOffRecord.objects.filter(trainee_id__in=ids).results().order_by("id"):
        latest_record[record.trainee_id] = record
    open_request = {r.trainee_id: r for r in _open_requests(ids)}
    rows = []
    for trainee in trainees:
        judged = []
        for element in elements:
            summary = summaries.get((trainee.pk, element.id))
            judged.append(
                mastery.from_summary(
                    summary.items if summary else 0,
                    summary.settings_count if summary else 0,
                    summary.mean if summary else None,
                    policy,
                )
            )
        last = trainee.last_activity
        rows.append(
            {
                "trainee": trainee,
                "mastery": judged,
                "ready": trainee.ready,
                "lessons_done": trainee.core_done,
                "lessons_total": table["core_total"],
                "last_activity": last,
                "inactive": last is None or last < table["cutoff"],
                "not_started": last is None,
                "record": latest_record.get(trainee.pk),
                "request": open_request.get(trainee.pk),
            }
        )
    return rows


OPEN_REQUESTS_SHOWN = 10


def open_requests(table: dict) -> dict:
    """The box above the table: how many trainees are waiting for sign-off, and the ones who
    have waited longest (at most ``OPEN_REQUESTS_SHOWN``; the "Asked for sign-off" filter lists
    them all). Two queries, however many are waiting."""
    waiting = table["open_requests"]
    # With each, how many supervisors have decided on it (where two decide): one of two
    # waits for the other.
    shown = list(
        waiting.select_related("trainee").annotate(decided=Count("decisions"))[:OPEN_REQUESTS_SHOWN]
    )
    count = len(shown) if len(shown) < OPEN_REQUESTS_SHOWN else waiting.count()
    return {
        "count": count,
        "shown": [
            {
                "trainee_id": r.trainee_id,
                "name": r.trainee.name,
                "created_at": r.created_at,
                "message": r.message,
                "decided": r.decided,
            }
            for r in shown
        ],
        "more": count - len(shown),
    }

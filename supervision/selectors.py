"""Read-side queries for supervision. A supervisor sees only the trainees assigned to them
today; everything here starts from that set, so access ends the day an assignment ends."""

import datetime
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Exists, F, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, Concat, Greatest, Lower, NullIf, Trim
from django.http import Http404
from django.utils import timezone

from assessments.engine import mastery
from assessments.models import ElementMastery, Evidence
from assessments.selectors import mastery_policy
from cases.models import VignetteAttempt
from competencies import selectors as competency_selectors
from curriculum import selectors as curriculum_selectors
from curriculum.models import LessonCompletion, ReflectionAnswer
from home.caching import for_records
from progress.readiness_sql import with_readiness
from progress.selectors import trainee_progress
from supervision.models import (
    Cohort,
    CohortMembership,
    SignOffRecord,
    SignOffRequest,
    SupervisorAssignment,
)

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
    supervisor's table is cached for the day, see ``supervision.views.roster``)."""
    day = timezone.localdate() - datetime.timedelta(days=INACTIVE_DAYS)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


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
    """Open sign-off requests of these trainees, oldest first. A trainee's request is open
    while no sign-off record was made at or after it. Starts from the (few) requests, not from
    every trainee."""
    return (
        SignOffRequest.objects.filter(trainee_id__in=trainee_ids)
        .exclude(
            Exists(
                SignOffRecord.objects.filter(
                    trainee_id=OuterRef("trainee_id"), created_at__gte=OuterRef("created_at")
                )
            )
        )
        .order_by("created_at", "id")
    )


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
    for record in SignOffRecord.objects.filter(trainee_id__in=ids).order_by("id"):
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
    shown = list(waiting.select_related("trainee")[:OPEN_REQUESTS_SHOWN])
    count = len(shown) if len(shown) < OPEN_REQUESTS_SHOWN else waiting.count()
    return {
        "count": count,
        "shown": [
            {
                "trainee_id": r.trainee_id,
                "name": r.trainee.name,
                "created_at": r.created_at,
                "message": r.message,
            }
            for r in shown
        ],
        "more": count - len(shown),
    }


def trainee_summary(*, trainee) -> dict:
    """The top of the supervisor's page about one trainee: readiness and sign-off records."""
    return {
        "progress": trainee_progress(user=trainee),
        "records": list(
            SignOffRecord.objects.filter(trainee=trainee)
            .select_related("supervisor")
            .order_by("-id")
        ),
    }


@dataclass(frozen=True)
class EvidenceRow:
    """One evidence row as the supervisor's page shows it: plain values, no page objects."""

    element_id: int
    created_at: datetime.datetime
    item_key: str
    score: float
    max_score: float
    quiz_attempt_id: int | None
    quiz_title: str | None
    vignette_attempt_id: int | None
    case_title: str | None
    setting_name: str | None


def trainee_evidence(*, trainee) -> dict:
    """Everything a supervisor reviews for one trainee below the summary: evidence per element,
    mastery over time, cases played and reflections. Five queries, read as plain values."""
    evidence = [
        EvidenceRow(*values)
        for values in Evidence.objects.filter(trainee=trainee)
        .order_by("element__order", "-created_at", "-id")
        .values_list(
            "element_id",
            "created_at",
            "item_key",
            "score",
            "max_score",
            "quiz_attempt_id",
            "quiz_attempt__quiz__title",
            "vignette_attempt_id",
            "vignette_attempt__vignette__title",
            "setting__name",
        )
    ]
    by_element: dict[int, list[EvidenceRow]] = {}
    for row in evidence:
        by_element.setdefault(row.element_id, []).append(row)
    progress = trainee_progress(user=trainee)
    history = _mastery_over_time(evidence, progress["elements"], progress["policy"])
    chart = _history_chart(history, progress["policy"].threshold)
    return {
        "evidence_by_element": [
            {
                "element": row["element"],
                "mastery": row["mastery"],
                "rows": by_element.get(row["element"].id, []),
            }
            for row in progress["elements"]
        ],
        "cases": [
            {
                "pk": pk,
                "title": title,
                "is_open": status == VignetteAttempt.Status.IN_PROGRESS,
                "finished_at": finished_at,
            }
            for pk, title, status, finished_at in VignetteAttempt.objects.filter(trainee=trainee)
            .order_by("-started_at")
            .values_list("pk", "vignette__title", "status", "finished_at")
        ],
        "reflections": [
            {"text": text, "lesson_title": title, "updated_at": updated_at}
            for text, title, updated_at in ReflectionAnswer.objects.filter(user=trainee)
            .order_by("-updated_at")
            .values_list("text", "lesson__title", "updated_at")
        ],
        "history": history,
        "chart": chart,
    }


def _mastery_over_time(
    evidence: list[EvidenceRow], elements: list[dict], policy: mastery.Policy
) -> list[dict]:
    """Per element, its average after each month with evidence: the mastery rule
    (``assessments.engine.mastery``: the latest score per item, averaged) replayed over the
    evidence given up to the end of that month."""
    months = sorted({e.created_at.strftime("%Y-%m") for e in evidence})
    out = []
    for row in elements:
        element = row["element"]
        mine = sorted(
            (e for e in evidence if e.element_id == element.id), key=lambda e: e.created_at
        )
        points = []
        for month in months:
            given = [
                (e.item_key, e.setting_name or "", e.score, e.max_score, e.created_at)
                for e in mine
                if e.created_at.strftime("%Y-%m") <= month
            ]
            judged = mastery.judge(mastery.latest_per_item(given), policy)
            points.append({"month": month, "percent": judged.percent})
        out.append({"element": element, "points": points})
    return out


STYLES = [
    ("#1d4e89", ""),
    ("#b34700", "6 3"),
    ("#0b6e4f", "2 3"),
    ("#6a3d9a", "8 3 2 3"),
    ("#7a5c00", "1 2"),
]


def _history_chart(history: list[dict], threshold: float) -> dict | None:
    """Coordinates for a small SVG line chart: one line per element (colour and dash differ),
    months along the bottom, 0-100% up the side, and the threshold as a dashed rule."""
    if not history or not history[0]["points"]:
        return None
    months = [p["month"] for p in history[0]["points"]]
    left, top, step, height = 50, 15, 90, 160
    width = left + step * max(len(months) - 1, 1) + 40

    def y(percent):
        return top + height - height * percent / 100

    lines = []
    for i, row in enumerate(history):
        colour, dash = STYLES[i % len(STYLES)]
        points = [
            (left + step * j, round(y(p["percent"]), 1))
            for j, p in enumerate(row["points"])
            if p["percent"] is not None
        ]
        lines.append(
            {
                "name": row["element"].name,
                "colour": colour,
                "dash": dash,
                "points": " ".join(f"{x},{py}" for x, py in points),
                "dots": points,
            }
        )
    return {
        "width": width,
        "height": top + height + 40,
        "lines": lines,
        "months": [{"label": m, "x": left + step * j} for j, m in enumerate(months)],
        "ticks": [{"label": f"{v}%", "y": round(y(v), 1)} for v in (0, 25, 50, 75, 100)],
        "threshold_y": round(y(100 * threshold), 1),
        "threshold": round(100 * threshold),
        "axis_y": top + height,
        "left": left,
        "right": width - 20,
    }

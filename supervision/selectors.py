"""Read-side queries for supervision. A supervisor sees only the trainees assigned to them
today; everything here starts from that set, so access ends the day an assignment ends."""

import datetime

from django.contrib.auth import get_user_model
from django.db.models import Max
from django.http import Http404
from django.utils import timezone

from assessments import mastery
from assessments.models import (
    Cohort,
    CohortMembership,
    ElementMastery,
    Evidence,
    SignOffRecord,
    SignOffRequest,
    SupervisorAssignment,
)
from assessments.selectors import mastery_policy
from cases.models import VignetteAttempt
from curriculum.models import CompetencyElement, LessonCompletion, LessonPage, ReflectionAnswer

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


def current_trainee_ids(supervisor) -> list[int]:
    return list(
        SupervisorAssignment.objects.current()
        .filter(supervisor=supervisor)
        .values_list("trainee_id", flat=True)
        .distinct()
    )


def assigned_trainee(*, supervisor, trainee_id: int):
    """The trainee, if assigned to this supervisor today; otherwise 404 (not 403: the page
    must not confirm that the person exists)."""
    if trainee_id not in current_trainee_ids(supervisor):
        raise Http404("No such trainee among yours.")
    return User.objects.get(pk=trainee_id)


def cohort_choices(supervisor) -> list:
    """Cohorts that at least one of this supervisor's current trainees belongs to."""
    return list(
        Cohort.objects.filter(memberships__trainee_id__in=current_trainee_ids(supervisor))
        .distinct()
        .order_by("name")
    )


def trainee_rows(*, supervisor, show: str = "", sort: str = "name", cohort_id=None) -> dict:
    """One row per current trainee: mastery per element, readiness, lessons done, last activity
    and sign-off status. A fixed number of queries, however many trainees."""
    ids = current_trainee_ids(supervisor)
    if cohort_id is not None:
        members = set(
            CohortMembership.objects.filter(cohort_id=cohort_id).values_list(
                "trainee_id", flat=True
            )
        )
        ids = [i for i in ids if i in members]
    trainees = list(User.objects.filter(pk__in=ids).order_by("display_name", "email"))
    elements = list(CompetencyElement.objects.order_by("order"))
    policy = mastery_policy()
    summaries: dict[tuple[int, int], ElementMastery] = {
        (m.trainee_id, m.element_id): m for m in ElementMastery.objects.filter(trainee_id__in=ids)
    }
    core_ids = set(LessonPage.objects.live().filter(is_core=True).values_list("id", flat=True))
    done: dict[int, int] = {}
    lesson_last: dict[int, datetime.datetime] = {}
    for user_id, lesson_id, when in LessonCompletion.objects.filter(user_id__in=ids).values_list(
        "user_id", "lesson_id", "completed_at"
    ):
        if lesson_id in core_ids:
            done[user_id] = done.get(user_id, 0) + 1
        lesson_last[user_id] = max(lesson_last.get(user_id, when), when)
    evidence_last = dict(
        Evidence.objects.filter(trainee_id__in=ids)
        .values("trainee_id")
        .annotate(last=Max("created_at"))
        .values_list("trainee_id", "last")
    )
    latest_record: dict[int, SignOffRecord] = {}
    for record in SignOffRecord.objects.filter(trainee_id__in=ids).order_by("id"):
        latest_record[record.trainee_id] = record
    requested: dict[int, SignOffRequest] = {}
    for request in SignOffRequest.objects.filter(trainee_id__in=ids).order_by("created_at"):
        requested[request.trainee_id] = request
    now = timezone.now()
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
        lessons_done = done.get(trainee.pk, 0)
        ready = bool(core_ids) and lessons_done >= len(core_ids) and all(m.met for m in judged)
        stamps = [s for s in (evidence_last.get(trainee.pk), lesson_last.get(trainee.pk)) if s]
        last = max(stamps) if stamps else None
        record = latest_record.get(trainee.pk)
        request = requested.get(trainee.pk)
        open_request = (
            request if request and (not record or record.created_at < request.created_at) else None
        )
        rows.append(
            {
                "trainee": trainee,
                "mastery": judged,
                "ready": ready,
                "lessons_done": lessons_done,
                "lessons_total": len(core_ids),
                "last_activity": last,
                "inactive": last is None or now - last > datetime.timedelta(days=INACTIVE_DAYS),
                "not_started": last is None,
                "record": record,
                "request": open_request,
            }
        )
    requests = [r for r in rows if r["request"]]
    if show == "ready":
        rows = [r for r in rows if r["ready"]]
    elif show == "requested":
        rows = requests[:]
    elif show == "not_started":
        rows = [r for r in rows if r["not_started"]]
    elif show == "inactive":
        rows = [r for r in rows if r["inactive"]]
    if sort == "ready":
        rows.sort(key=lambda r: (not r["ready"], r["trainee"].name.lower()))
    elif sort == "activity":
        oldest = datetime.datetime.min.replace(tzinfo=datetime.UTC)
        rows.sort(key=lambda r: r["last_activity"] or oldest, reverse=True)
    return {"rows": rows, "elements": elements, "requests": requests, "policy": policy}


def trainee_evidence(*, trainee) -> dict:
    """Everything a supervisor reviews for one trainee."""
    from assessments.selectors import trainee_progress

    evidence = list(
        Evidence.objects.filter(trainee=trainee)
        .select_related("element", "setting", "quiz_attempt__quiz", "vignette_attempt__vignette")
        .order_by("element__order", "-created_at")
    )
    by_element: dict[int, list[Evidence]] = {}
    for row in evidence:
        by_element.setdefault(row.element_id, []).append(row)
    progress = trainee_progress(user=trainee)
    history = _mastery_over_time(evidence, progress["elements"])
    chart = _history_chart(history, progress["policy"].threshold)
    return {
        "progress": progress,
        "evidence_by_element": [
            {
                "element": row["element"],
                "mastery": row["mastery"],
                "rows": by_element.get(row["element"].id, []),
            }
            for row in progress["elements"]
        ],
        "cases": list(
            VignetteAttempt.objects.filter(trainee=trainee)
            .select_related("vignette")
            .order_by("-started_at")
        ),
        "reflections": list(
            ReflectionAnswer.objects.filter(user=trainee)
            .select_related("lesson")
            .order_by("-updated_at")
        ),
        "history": history,
        "chart": chart,
        "records": list(
            SignOffRecord.objects.filter(trainee=trainee)
            .select_related("supervisor")
            .order_by("-id")
        ),
    }


def _mastery_over_time(evidence: list[Evidence], elements: list[dict]) -> list[dict]:
    """Per element, the running average of the latest score per item, after each month with
    evidence: the same rule as the dashboard, replayed over time."""
    months = sorted({e.created_at.strftime("%Y-%m") for e in evidence})
    out = []
    for row in elements:
        element = row["element"]
        mine = sorted(
            (e for e in evidence if e.element_id == element.id), key=lambda e: e.created_at
        )
        points = []
        for month in months:
            latest: dict[str, Evidence] = {}
            for e in mine:
                if e.created_at.strftime("%Y-%m") <= month:
                    latest[e.item_key] = e
            scored = [e for e in latest.values() if e.max_score > 0]
            mean = sum(e.score / e.max_score for e in scored) / len(scored) if scored else None
            points.append(
                {"month": month, "percent": round(100 * mean) if mean is not None else None}
            )
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

"""The supervisor's page about one trainee: the summary at the top (readiness by
``progress.selectors.trainee_progress``, the sign-off records) and, below it, the evidence per
element, mastery over time (the mastery rule replayed month by month), cases and reflections."""

import datetime
from dataclasses import dataclass

from assessments import selectors as assessment_selectors
from assessments.engine import mastery
from assessments.models import Evidence
from cases.models import VignetteAttempt
from curriculum.models import ReflectionAnswer
from progress.selectors import evidence_levels, trainee_progress
from supervision.models import SignOffRecord, SignOffRequest

from .assignments import sign_off_panel


def trainee_summary(*, trainee, kinds: dict | None = None) -> dict:
    """The top of the supervisor's page about one trainee: readiness, their open request for
    sign-off (with its message) and the sign-off records. ``kinds``: ``record_kinds`` for the
    trainee, when the caller has read it (the kinds they have none of are not read)."""
    kinds = kinds or dict.fromkeys(("asked", "decided"), True)
    asked = (
        SignOffRequest.objects.filter(trainee=trainee, status=SignOffRequest.Status.OPEN).first()
        if kinds["asked"]
        else None
    )
    progress = trainee_progress(user=trainee)
    return {
        "progress": progress,
        "levels": evidence_levels(
            user=trainee,
            elements=[r["element"] for r in progress["elements"]],
            policy=progress["policy"],
        ),
        "asked": asked,
        "two": sign_off_panel(trainee=trainee, request=asked) if asked else None,
        "records": list(
            SignOffRecord.objects.filter(trainee=trainee)
            .select_related("supervisor")
            .order_by("-id")
        )
        if kinds["decided"]
        else [],
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
    mastery over time, cases played, the lesson reflections they share and their answers to
    reflective quiz questions. Seven queries, read as plain values."""
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
        # Only the lesson reflections the trainee chose to share with their supervisors.
        "reflections": [
            {"text": text, "lesson_title": title, "updated_at": updated_at}
            for text, title, updated_at in ReflectionAnswer.objects.filter(
                user=trainee, shared=True
            )
            .order_by("-updated_at")
            .values_list("text", "lesson__title", "updated_at")
        ],
        "quiz_reflections": assessment_selectors.reflective_answers(trainee=trainee),
        "history": history,
        "chart": chart,
    }


def _mastery_over_time(
    evidence: list[EvidenceRow], elements: list[dict], policy: mastery.Policy
) -> list[dict]:
    """Per element, its average after each month with evidence: the mastery rule
    (``assessments.engine.mastery``: the first score per item, averaged) replayed over the
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
            judged = mastery.judge(mastery.first_per_item(given), policy)
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

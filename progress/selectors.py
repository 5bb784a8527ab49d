"""Reads about one trainee across activities: mastery and readiness, the next step, and their
quiz and case attempts. The dashboard and the record call these, and so does supervision (the
supervisor's page about a trainee, the sign-off form and the evidence snapshot a sign-off
freezes). Mastery is read from the stored summaries (``ElementMastery``), never all evidence."""

from django.db.models import Avg, Case, Count, Exists, F, FloatField, OuterRef, Q, Value, When
from django.db.models.functions import Cast

from assessments.engine import mastery
from assessments.models import (
    AttemptStatus,
    ElementMastery,
    ItemScore,
    Observation,
    ObservationRating,
    QuizAttempt,
    QuizPage,
    score_percent,
)
from assessments.selectors import mastery_policy
from cases import selectors as case_selectors
from cases.models import CaseVignettePage, VignetteAttempt
from competencies import selectors as competency_selectors
from competencies.models import CompetencyElement
from curriculum import selectors as curriculum_selectors
from curriculum.models import LessonCompletion, LessonPage

from . import readiness


def trainee_progress(*, user, completed=None) -> dict:
    """Mastery per element, readiness by the rule in ``progress.readiness``, and exactly what is
    still missing. Three queries at most (policy, elements and core lessons are cached), four
    when the policy asks for observed practice. ``completed``: the ids of the lessons the
    person has completed, when the caller has already read them (the dashboard shares them
    with the course overview); otherwise they are counted."""
    policy = mastery_policy()
    elements = competency_selectors.elements_in_order()
    observed = observed_counts(user=user, policy=policy)
    stored = {
        m.element_id: (m.items, m.settings_count, m.mean)
        for m in ElementMastery.objects.filter(trainee=user)
    }
    summaries = {
        element_id: readiness.Summary(
            *stored.get(element_id, (0, 0, None)), observed=observed.get(element_id, 0)
        )
        for element_id in stored.keys() | observed.keys()
    }
    if completed is None:
        completed = LessonCompletion.objects.filter(
            user=user, lesson_id__in=curriculum_selectors.core_lesson_ids()
        ).values_list("lesson_id", flat=True)
    # The same count as the course overview and the supervisor's table (one selector).
    counts = curriculum_selectors.lesson_counts(set(completed))
    core_done, core_total = counts["core_done"], counts["core_total"]
    verdict = readiness.judge(
        elements=[(element.name, summaries.get(element.id)) for element in elements],
        core_done=core_done,
        core_total=core_total,
        policy=policy,
    )
    rows = [
        {"element": element, "mastery": judged, "observations_needed": needed}
        for element, judged, needed in zip(
            elements, verdict.elements, verdict.observations_needed, strict=True
        )
    ]
    return {
        "policy": policy,
        "elements": rows,
        "core_total": core_total,
        "core_done": core_done,
        "missing": list(verdict.missing),
        "ready": verdict.ready,
        "weakest": _weakest(rows),
        # The rule in words, from the same policy (``assessments.engine.mastery.explanation``).
        "explanation": mastery.explanation(policy),
    }


def evidence_levels(*, user, elements, policy) -> list[dict]:
    """Per element, the evidence at each level of Miller's pyramid: *knows* (quiz questions) and
    *shows how* (case steps), each as the number of items and the mean of the first answers that
    count (``ItemScore``, the rows the mastery rule reads), and *does*: the supervisors' ratings of
    observed practice, and how many reach the policy's entrustment level. One query (a union)."""
    level_of = Case(
        *[
            When(item_key__startswith=f"{kind}:", then=Value(level))
            for kind, level in mastery.LEVELS.items()
        ],
        default=Value(""),
    )
    items = (
        ItemScore.objects.filter(trainee=user, max_points__gt=0)
        .annotate(level=level_of)
        .values("element_id", "level")
        .annotate(n=Count("pk"), value=Avg(F("points") / F("max_points")))
        .order_by()
    )
    # For observations ``value`` is how many ratings reach the level (as a float, as the union
    # needs one type per column).
    observed = (
        ObservationRating.objects.filter(trainee=user)
        .annotate(level=Value(mastery.DOES))
        .values("element_id", "level")
        .annotate(
            n=Count("pk"),
            value=Cast(Count("pk", filter=Q(rating__gte=policy.observation_level)), FloatField()),
        )
        .order_by()
    )
    found = {(row["element_id"], row["level"]): row for row in items.union(observed, all=True)}

    def level(element_id: int, name: str) -> dict | None:
        row = found.get((element_id, name))
        if row is None:
            return None
        if name == mastery.DOES:
            return {"ratings": row["n"], "reached": round(row["value"])}
        return {"items": row["n"], "percent": round(100 * row["value"])}

    return [
        {
            "element": element,
            "knows": level(element.id, mastery.KNOWS),
            "shows_how": level(element.id, mastery.SHOWS_HOW),
            "does": level(element.id, mastery.DOES),
        }
        for element in elements
    ]


def observed_counts(*, user, policy) -> dict[int, int]:
    """Per element, how many of the person's observation ratings reach the policy's entrustment
    level: only when the policy asks for observations (no query otherwise)."""
    if not policy.observations_needed:
        return {}
    return dict(
        ObservationRating.objects.filter(trainee=user, rating__gte=policy.observation_level)
        .values("element_id")
        .annotate(n=Count("pk"))
        .values_list("element_id", "n")
    )


def observations(*, user) -> list[dict]:
    """The person's observations of practice, newest first, each with its ratings (element
    name and level) and the trainee's reflection if they wrote one. Three queries."""
    found = list(
        Observation.objects.filter(trainee=user)
        .select_related("setting", "supervisor", "reflection")
        .order_by("-observed_on", "-id")
    )
    ratings: dict[int, list] = {}
    for row in (
        ObservationRating.objects.filter(trainee=user)
        .order_by("element__order")
        .values("observation_id", "element__name", "rating")
    ):
        ratings.setdefault(row["observation_id"], []).append(row)
    return [
        {
            "observation": o,
            "ratings": ratings.get(o.pk, []),
            "reflection": getattr(o, "reflection", None),
        }
        for o in found
    ]


def _weakest(rows) -> CompetencyElement | None:
    """The element furthest from being met: no evidence first, then the lowest average."""
    pending = [r for r in rows if not r["mastery"].met]
    if not pending:
        return None

    def distance(row):
        m = row["mastery"]
        return (m.mean is not None, m.mean or 0, -m.items_needed)

    return min(pending, key=distance)["element"]


_LINK_FIELDS = ("id", "path", "depth", "url_path", "title")


def next_step(*, user, element) -> dict | None:
    """The case, quiz or lesson that best serves ``element``, in this order: an unplayed case in
    a clinical setting the person has no evidence from yet for it (mastery needs several
    settings); a quiz with questions on it not yet passed; any unplayed case on it; an
    unfinished lesson tagged with it."""
    if element is None:
        return None
    evidenced = ItemScore.objects.filter(
        trainee=user, element=element, setting_id__isnull=False
    ).values("setting_id")
    finished = VignetteAttempt.objects.filter(
        trainee=user, status=VignetteAttempt.Status.FINISHED
    ).values("vignette_id")
    # The pages as the dashboard links to them (title, address, the case's setting): not their
    # bodies (a case's story, a quiz's questions).
    # One read serves both kinds of case below: each marked with whether its setting is new.
    cases = list(
        CaseVignettePage.objects.live()
        .filter(elements=element)
        .exclude(id__in=finished)
        .select_related("setting")
        .only(*_LINK_FIELDS, "setting__name")
        .annotate(setting_evidenced=Exists(evidenced.filter(setting_id=OuterRef("setting_id"))))
        .order_by("path")
    )
    case = next((c for c in cases if not c.setting_evidenced), None)
    if case is not None:
        return {"page": case, "kind": "case", "element": element, "new_setting": True}
    passed = QuizAttempt.objects.filter(trainee=user, passed=True).values("quiz_id")
    quiz = (
        QuizPage.objects.live()
        .filter(questions__elements=element)
        .exclude(id__in=passed)
        .only(*_LINK_FIELDS)
        .order_by("path")
        .first()
    )
    if quiz is not None:
        return {"page": quiz, "kind": "quiz", "element": element}
    if cases:
        return {"page": cases[0], "kind": "case", "element": element}
    done = LessonCompletion.objects.filter(user=user).values("lesson_id")
    lesson = (
        LessonPage.objects.live()
        .filter(elements=element)
        .exclude(id__in=done)
        .only(*_LINK_FIELDS)
        .order_by("path")
        .first()
    )
    if lesson is not None:
        return {"page": lesson, "kind": "lesson", "element": element}
    return None


def case_attempts(*, user, limit: int | None = 5) -> list[dict]:
    """The person's vignette plays, newest first, with their score over all elements."""
    # The case's title and address only: not its whole story (nodes) for every row.
    attempts = (
        VignetteAttempt.objects.filter(trainee=user)
        .select_related("vignette")
        .defer("vignette__nodes", "vignette__patient_summary", "vignette__learning_points")
    )
    attempts = list(attempts.order_by("-started_at")[:limit] if limit else attempts)
    totals = case_selectors.attempt_totals([a.pk for a in attempts])
    return [{"attempt": a, **totals.get(a.pk, {"percent": None})} for a in attempts]


def recent_attempts(*, user, limit: int | None = 5) -> list[QuizAttempt]:
    """The person's quiz attempts, newest first (``limit`` None: all of them)."""
    attempts = QuizAttempt.objects.filter(trainee=user).select_related("quiz")
    attempts = attempts.order_by("-started_at")
    return list(attempts[:limit] if limit else attempts)


def recent_activity(*, user, limit: int = 5) -> dict:
    """The person's latest quiz attempts and case plays, newest first, as plain values: the
    title, state and score of each, for the dashboard (no page objects: a line of text each).
    Three queries: quiz attempts, case plays and the plays' scores."""
    quizzes = [
        {
            "title": row["quiz__title"],
            "is_open": row["status"] == AttemptStatus.IN_PROGRESS,
            "percent": score_percent(row["score"], row["max_score"]),
            "passed": row["passed"],
            "started_at": row["started_at"],
        }
        for row in QuizAttempt.objects.filter(trainee=user)
        .order_by("-started_at")
        .values("quiz__title", "status", "score", "max_score", "passed", "started_at")[:limit]
    ]
    plays = list(
        VignetteAttempt.objects.filter(trainee=user)
        .order_by("-started_at")
        .values("id", "vignette__title", "status", "started_at")[:limit]
    )
    totals = case_selectors.attempt_totals([play["id"] for play in plays])
    cases = [
        {
            "title": play["vignette__title"],
            "is_open": play["status"] == VignetteAttempt.Status.IN_PROGRESS,
            "percent": totals.get(play["id"], {}).get("percent"),
            "started_at": play["started_at"],
        }
        for play in plays
    ]
    return {"quizzes": quizzes, "cases": cases}

"""Reads about one trainee across activities: mastery and readiness, the next step, and their
quiz and case attempts. The dashboard and the record call these, and so does supervision (the
supervisor's page about a trainee, the sign-off form and the evidence snapshot a sign-off
freezes). Mastery is read from the stored summaries (``ElementMastery``), never all evidence."""

from dataclasses import dataclass

from django.db.models import Avg, Case, Count, F, FloatField, Q, Value, When
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
from curriculum.models import LessonPage
from home import prepared
from home.caching import for_content

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
        element_id: (items, settings, mean)
        for element_id, items, settings, mean in prepared.rows(
            "element-mastery", _mastery_query, user.pk
        )
    }
    summaries = {
        element_id: readiness.Summary(
            *stored.get(element_id, (0, 0, None)), observed=observed.get(element_id, 0)
        )
        for element_id in stored.keys() | observed.keys()
    }
    if completed is None:
        completed = curriculum_selectors.lesson_completions(user).keys()
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


def _mastery_query(person_id: int):
    """A person's stored mastery summaries, as ``trainee_progress`` reads them."""
    return ElementMastery.objects.filter(trainee_id=person_id).values_list(
        "element_id", "items", "settings_count", "mean"
    )


def evidence_levels(*, user, elements, policy) -> list[dict]:
    """Per element, the evidence at each level of Miller's pyramid: *knows* (quiz questions) and
    *shows how* (case steps), each as the number of items and the mean of the first answers that
    count (``ItemScore``, the rows the mastery rule reads), and *does*: the supervisors' ratings of
    observed practice, and how many reach the policy's entrustment level. One query (a union),
    compiled once per process (``home.prepared``)."""
    level_at = policy.observation_level
    found = {
        (element_id, name): {"n": n, "value": value}
        for element_id, name, n, value in prepared.rows(
            f"evidence-levels:{level_at}", lambda person: _levels_query(person, level_at), user.pk
        )
    }

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


def _levels_query(person_id: int, observation_level: int):
    """``evidence_levels``' query: (element, level, how many, mean or ratings reaching the
    entrustment level) for one person."""
    level_of = Case(
        *[
            When(item_key__startswith=f"{kind}:", then=Value(level))
            for kind, level in mastery.LEVELS.items()
        ],
        default=Value(""),
    )
    items = (
        ItemScore.objects.filter(trainee_id=person_id, max_points__gt=0)
        .annotate(level=level_of)
        .values("element_id", "level")
        .annotate(n=Count("pk"), value=Avg(F("points") / F("max_points")))
        .order_by()
    )
    # For observations ``value`` is how many ratings reach the level (as a float, as the union
    # needs one type per column).
    observed = (
        ObservationRating.objects.filter(trainee_id=person_id)
        .annotate(level=Value(mastery.DOES))
        .values("element_id", "level")
        .annotate(
            n=Count("pk"),
            value=Cast(Count("pk", filter=Q(rating__gte=observation_level)), FloatField()),
        )
        .order_by()
    )
    return items.union(observed, all=True)


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


@dataclass(frozen=True)
class _Link:
    """A page as the dashboard links to it: its title and address (and a case's setting)."""

    id: int
    title: str
    url: str
    setting_id: int | None = None
    setting_name: str = ""


def _candidates(element_id: int) -> dict[str, list[_Link]]:
    """The published cases, quizzes and lessons that work on an element, each kind in tree
    order, as links: the same for everyone, so kept with the content (``for_content``)."""

    def build() -> dict[str, list[_Link]]:
        cases = (
            CaseVignettePage.objects.live()
            .filter(elements=element_id)
            .select_related("setting")
            .only(*_LINK_FIELDS, "setting__name")
            .order_by("path")
        )
        quizzes = (
            QuizPage.objects.live()
            .filter(questions__elements=element_id)
            .only(*_LINK_FIELDS)
            .order_by("path")
            .distinct()
        )
        lessons = (
            LessonPage.objects.live().filter(elements=element_id).only(*_LINK_FIELDS)
        ).order_by("path")
        return {
            "case": [
                _Link(c.pk, c.title, c.url, c.setting_id, c.setting.name if c.setting_id else "")
                for c in cases
            ],
            "quiz": [_Link(q.pk, q.title, q.url) for q in quizzes],
            "lesson": [_Link(lesson.pk, lesson.title, lesson.url) for lesson in lessons],
        }

    return for_content(f"next-step:{element_id}", build)


def next_step(*, user, element, completed=None) -> dict | None:
    """The case, quiz or lesson that best serves ``element``, in this order: an unplayed case in
    a clinical setting the person has no evidence from yet for it (mastery needs several
    settings); a quiz with questions on it not yet passed; any unplayed case on it; an
    unfinished lesson tagged with it. The pages are kept with the content; what the person has
    done is one query (``completed``: the ids of their completed lessons, when the caller has
    read them already; otherwise a second)."""
    if element is None:
        return None
    candidates = _candidates(element.pk)
    done: dict[str, set[int]] = {"setting": set(), "case": set(), "quiz": set()}
    for pk, what in prepared.rows(
        f"next-step-done:{element.pk}", lambda person: _done_query(person, element.pk), user.pk
    ):
        done[what].add(pk)
    cases = [c for c in candidates["case"] if c.id not in done["case"]]
    case = next((c for c in cases if c.setting_id not in done["setting"]), None)
    if case is not None:
        return {"page": case, "kind": "case", "element": element, "new_setting": True}
    quiz = next((q for q in candidates["quiz"] if q.id not in done["quiz"]), None)
    if quiz is not None:
        return {"page": quiz, "kind": "quiz", "element": element}
    if cases:
        return {"page": cases[0], "kind": "case", "element": element}
    if completed is None:
        completed = curriculum_selectors.lesson_completions(user).keys()
    completed = set(completed)
    lesson = next((page for page in candidates["lesson"] if page.id not in completed), None)
    if lesson is not None:
        return {"page": lesson, "kind": "lesson", "element": element}
    return None


def _done_query(person_id: int, element_id: int):
    """What a person has done that matters to ``next_step``, in one read: the settings they have
    evidence from for the element, the cases they finished and the quizzes they passed, as
    (id, kind) rows."""
    evidenced = (
        ItemScore.objects.filter(
            trainee_id=person_id, element_id=element_id, setting_id__isnull=False
        )
        .annotate(kind=Value("setting"))
        .values_list("setting_id", "kind")
        .order_by()
    )
    finished = (
        VignetteAttempt.objects.filter(trainee_id=person_id, status=VignetteAttempt.Status.FINISHED)
        .annotate(kind=Value("case"))
        .values_list("vignette_id", "kind")
        .order_by()
    )
    passed = (
        QuizAttempt.objects.filter(trainee_id=person_id, passed=True)
        .annotate(kind=Value("quiz"))
        .values_list("quiz_id", "kind")
        .order_by()
    )
    return evidenced.union(finished, passed).order_by()


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
    Two queries (quiz attempts; case plays with their steps), each compiled once per process
    (``home.prepared``)."""
    titles = _titles()
    quizzes = [
        {
            "title": titles.get(quiz_id, ""),
            "is_open": status == AttemptStatus.IN_PROGRESS,
            "percent": score_percent(score, max_score),
            "passed": passed,
            "started_at": started_at,
        }
        for quiz_id, status, score, max_score, passed, started_at in prepared.rows(
            f"recent-quizzes:{limit}", lambda person: _recent_quizzes(person, limit), user.pk
        )
    ]
    # The latest plays with their steps, one row per step (a play without steps yet: one row
    # without scores), newest first.
    rows = prepared.rows(
        f"recent-plays:{limit}", lambda person: _recent_plays(person, limit), user.pk
    )
    totals = case_selectors.step_totals(
        (play_id, scores, maxima) for play_id, *_, scores, maxima in rows if scores is not None
    )
    cases = [
        {
            "title": titles.get(vignette_id, ""),
            "is_open": status == VignetteAttempt.Status.IN_PROGRESS,
            "percent": totals.get(play_id, {}).get("percent"),
            "started_at": started_at,
        }
        for play_id, vignette_id, status, started_at in dict.fromkeys(row[:4] for row in rows)
    ]
    return {"quizzes": quizzes, "cases": cases}


def _titles() -> dict[int, str]:
    """Quiz and case titles by page id, published or not (an attempt outlives publication),
    kept with the content: the reads of attempts join no page."""

    def build() -> dict[int, str]:
        pages = (QuizPage.objects, CaseVignettePage.objects)
        return dict(row for kind in pages for row in kind.values_list("id", "title"))

    return for_content("attempt-titles", build)


def _recent_quizzes(person_id: int, limit: int):
    return (
        QuizAttempt.objects.filter(trainee_id=person_id)
        .order_by("-started_at")
        .values_list("quiz_id", "status", "score", "max_score", "passed", "started_at")[:limit]
    )


def _recent_plays(person_id: int, limit: int):
    latest = VignetteAttempt.objects.filter(trainee_id=person_id).order_by("-started_at")
    return (
        VignetteAttempt.objects.filter(id__in=latest.values("id")[:limit])
        .order_by("-started_at", "id")
        .values_list("id", "vignette_id", "status", "started_at", "steps__scores", "steps__maxima")
    )

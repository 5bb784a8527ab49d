"""Reads for supervision, quizzes and dashboards. Views call these; they never build
querysets themselves. Dashboards read the summaries (``ElementMastery``), never all evidence."""

from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.http import Http404

from competencies import selectors as competency_selectors
from competencies.models import CompetencyElement
from curriculum import selectors as curriculum_selectors
from curriculum.models import LessonCompletion, LessonPage
from supervision.models import SignOffRequest, SupervisorAssignment

from . import services
from .engine import instruments, mastery, quiz_logic
from .models import (
    AttemptStatus,
    ElementMastery,
    ItemScore,
    MasteryPolicy,
    QuizAnswer,
    QuizAttempt,
    QuizPage,
    StepOfCareMapping,
)

User = get_user_model()


def trainees_for_supervisor(*, supervisor) -> QuerySet:
    """The trainees a supervisor is assigned to today, and no one else."""
    trainee_ids = SupervisorAssignment.objects.current().filter(supervisor=supervisor)
    return User.objects.filter(id__in=trainee_ids.values("trainee_id")).order_by(
        "display_name", "email"
    )


def supervisors_for_trainee(*, trainee) -> QuerySet:
    """The supervisors currently responsible for a trainee."""
    supervisor_ids = SupervisorAssignment.objects.current().filter(trainee=trainee)
    return User.objects.filter(id__in=supervisor_ids.values("supervisor_id")).order_by(
        "display_name", "email"
    )


# --- Quizzes --------------------------------------------------------------------------------


def quiz_overview(*, quiz: QuizPage, user) -> dict:
    """What the quiz's own page shows: its size, and the person's open and past attempts."""
    context = {
        "question_count": quiz.questions.count(),
        "open_attempt": None,
        "past_attempts": [],
        "attempts_left": None,
    }
    if not user.is_authenticated:
        return context
    attempts = list(QuizAttempt.objects.filter(trainee=user, quiz=quiz).order_by("-started_at"))
    context["open_attempt"] = next((a for a in attempts if a.is_open), None)
    context["past_attempts"] = [a for a in attempts if not a.is_open]
    if quiz.attempts_allowed:
        context["attempts_left"] = max(0, quiz.attempts_allowed - len(attempts))
    return context


def attempt_for(*, user, quiz: QuizPage, attempt_id: int) -> QuizAttempt:
    """The person's own attempt at this quiz, or 404 (another trainee's attempt included)."""
    attempt = (
        QuizAttempt.objects.select_related("revision")
        .filter(pk=attempt_id, quiz=quiz, trainee_id=getattr(user, "pk", None))
        .first()
    )
    if attempt is None:
        raise Http404("No such attempt.")
    return attempt


def attempt_question(*, attempt: QuizAttempt, index: int) -> dict:
    """One question of an attempt to show: its spec (without keys or feedback unless it is
    answered and locked), the saved answer, and where it sits in the quiz."""
    specs = services.attempt_questions(attempt)
    if not specs:
        raise Http404("This quiz has no questions.")
    index = max(0, min(index, len(specs) - 1))
    spec = specs[index]
    answers = {a.question_key: a for a in QuizAnswer.objects.filter(attempt=attempt)}
    answer = answers.get(spec.key)
    reveal = bool(answer and answer.locked)
    return {
        "spec": spec,
        "index": index,
        "number": index + 1,
        "total": len(specs),
        "answer": answer,
        "answered_keys": set(answers),
        "answered_count": sum(1 for s in specs if s.key in answers),
        "reveal": reveal,
        "rows": _rows(spec, spec.display_order(), answer),
        "selected": _selected(spec, answer),
        "correct_text": quiz_logic.correct_answer_text(spec) if reveal else [],
        "specs": specs,
    }


def _selected(spec, answer) -> dict:
    response = answer.response if answer else {}
    if spec.kind == "ordering":
        order = response.get("order", [])
        return {key: position for position, key in enumerate(order, start=1)}
    if spec.kind == "intervention_matching":
        return response.get("matches", {})
    if spec.kind == "single":
        return {response.get("choice"): True} if response.get("choice") else {}
    if spec.kind == "reflection":
        return {"text": response.get("text", "")}
    return dict.fromkeys(response.get("choices", []), True)


def _rows(spec, options, answer) -> list[dict]:
    """Each option with what the person gave for it: ticked, the position, or the match."""
    selected = _selected(spec, answer)
    return [
        {
            "option": option,
            "checked": bool(selected.get(option.key)) if spec.kind != "ordering" else False,
            "value": selected.get(option.key),
        }
        for option in options
    ]


def attempt_review(*, attempt: QuizAttempt) -> dict:
    """After submission only: every answer, the key, the feedback and the score per element."""
    if attempt.is_open:
        raise Http404("Submit the attempt to see the review.")
    answers = {a.question_key: a for a in QuizAnswer.objects.filter(attempt=attempt)}
    items, per_element = [], {}
    for spec in services.attempt_questions(attempt):
        answer = answers.get(spec.key)
        items.append(
            {
                "spec": spec,
                "answer": answer,
                "selected": _selected(spec, answer),
                "correct_text": quiz_logic.correct_answer_text(spec),
                # In the review, ordering items are listed in the correct order.
                "rows": _rows(
                    spec,
                    list(spec.options) if spec.kind == "ordering" else spec.display_order(),
                    answer,
                ),
            }
        )
        if spec.auto_scored and answer is not None:
            for code in spec.elements:
                got, out_of = per_element.get(code, (0.0, 0.0))
                per_element[code] = (got + (answer.score or 0), out_of + (answer.max_score or 0))
    names = dict(CompetencyElement.objects.values_list("code", "name"))
    return {
        "items": items,
        "element_scores": [
            {"name": names.get(code, code), "score": got, "max": out_of}
            for code, (got, out_of) in sorted(per_element.items())
        ],
    }


# --- Progress, mastery and readiness -------------------------------------------------------


def mastery_policy() -> mastery.Policy:
    """The policy administrators set (cached until they change it)."""
    from home.caching import for_content

    return for_content("mastery-policy", lambda: MasteryPolicy.load().as_policy())


def trainee_progress(*, user) -> dict:
    """Mastery per element, readiness, and exactly what is still missing. Reads summaries only."""
    policy = mastery_policy()
    elements = competency_selectors.elements_in_order()
    summaries = {m.element_id: m for m in ElementMastery.objects.filter(trainee=user)}
    rows = []
    for element in elements:
        summary = summaries.get(element.id)
        judged = mastery.from_summary(
            summary.items if summary else 0,
            summary.settings_count if summary else 0,
            summary.mean if summary else None,
            policy,
        )
        rows.append({"element": element, "mastery": judged})
    core_ids = curriculum_selectors.core_lesson_ids()
    done = set(
        LessonCompletion.objects.filter(user=user, lesson_id__in=core_ids).values_list(
            "lesson_id", flat=True
        )
    )
    missing = []
    if len(done) < len(core_ids):
        left = len(core_ids) - len(done)
        missing.append(f"Complete {left} more core lesson{'s' if left != 1 else ''}.")
    for row in rows:
        m, name = row["mastery"], row["element"].name
        if m.items_needed:
            missing.append(
                f"{m.items_needed} more question{'s' if m.items_needed != 1 else ''} or case "
                f"step{'s' if m.items_needed != 1 else ''} for “{name}”."
            )
        if m.settings_needed:
            missing.append(
                f"Evidence from {m.settings_needed} more clinical "
                f"setting{'s' if m.settings_needed != 1 else ''} for “{name}”."
            )
        if m.evidenced and not m.met:
            missing.append(
                f"Raise your average for “{name}” from {m.percent}% to {round(100 * m.threshold)}%."
            )
    return {
        "policy": policy,
        "elements": rows,
        "core_total": len(core_ids),
        "core_done": len(done),
        "missing": missing,
        "ready": not missing and bool(core_ids),
        "weakest": _weakest(rows),
    }


def _weakest(rows) -> CompetencyElement | None:
    """The element furthest from being met: no evidence first, then the lowest average."""
    pending = [r for r in rows if not r["mastery"].met]
    if not pending:
        return None

    def distance(row):
        m = row["mastery"]
        return (m.mean is not None, m.mean or 0, -m.items_needed)

    return min(pending, key=distance)["element"]


def next_step(*, user, element) -> dict | None:
    """The case, quiz or lesson that best serves ``element``, in this order: an unplayed case in
    a clinical setting the person has no evidence from yet for it (mastery needs several
    settings); a quiz with questions on it not yet passed; any unplayed case on it; an
    unfinished lesson tagged with it."""
    from cases.models import CaseVignettePage, VignetteAttempt

    if element is None:
        return None
    evidenced = ItemScore.objects.filter(
        trainee=user, element=element, setting_id__isnull=False
    ).values("setting_id")
    finished = VignetteAttempt.objects.filter(
        trainee=user, status=VignetteAttempt.Status.FINISHED
    ).values("vignette_id")
    cases = (
        CaseVignettePage.objects.live()
        .filter(elements=element)
        .exclude(id__in=finished)
        .order_by("path")
    )
    case = cases.exclude(setting_id__in=evidenced).first()
    if case is not None:
        return {"page": case, "kind": "case", "element": element, "new_setting": True}
    passed = QuizAttempt.objects.filter(trainee=user, passed=True).values("quiz_id")
    quiz = (
        QuizPage.objects.live()
        .filter(questions__elements=element)
        .exclude(id__in=passed)
        .order_by("path")
        .first()
    )
    if quiz is not None:
        return {"page": quiz, "kind": "quiz", "element": element}
    case = cases.first()
    if case is not None:
        return {"page": case, "kind": "case", "element": element}
    done = LessonCompletion.objects.filter(user=user).values("lesson_id")
    lesson = (
        LessonPage.objects.live()
        .filter(elements=element)
        .exclude(id__in=done)
        .order_by("path")
        .first()
    )
    if lesson is not None:
        return {"page": lesson, "kind": "lesson", "element": element}
    return None


def case_attempts(*, user, limit: int | None = 5) -> list[dict]:
    """The person's vignette plays, newest first, with their score over all elements."""
    from cases.models import VignetteAttempt
    from cases.selectors import attempt_totals

    # The case's title and address only: not its whole story (nodes) for every row.
    attempts = (
        VignetteAttempt.objects.filter(trainee=user)
        .select_related("vignette")
        .defer("vignette__nodes", "vignette__patient_summary", "vignette__learning_points")
    )
    attempts = list(attempts.order_by("-started_at")[:limit] if limit else attempts)
    totals = attempt_totals([a.pk for a in attempts])
    return [{"attempt": a, **totals.get(a.pk, {"percent": None})} for a in attempts]


def recent_attempts(*, user, limit: int | None = 5) -> list[QuizAttempt]:
    attempts = QuizAttempt.objects.filter(trainee=user).select_related("quiz")
    attempts = attempts.order_by("-started_at")
    return list(attempts[:limit] if limit else attempts)


def latest_sign_off_request(*, user) -> SignOffRequest | None:
    return SignOffRequest.objects.filter(trainee=user).first()


def submitted_count(*, user) -> int:
    return QuizAttempt.objects.filter(trainee=user, status=AttemptStatus.SUBMITTED).count()


def instrument_practice(*, instrument: str, data) -> dict:
    """Score a practice instrument from a form (``item-0`` … ``item-n``). Returns the items with
    the answers kept, and either ``result`` (total, band, risk flag and the step-of-care default
    with its source) or ``error``. Nothing is stored."""
    spec = instruments.SPECS[instrument]
    raw = [data.get(f"item-{i}") for i in range(len(spec.items))]
    values: list[int | None] = []
    for value in raw:
        try:
            values.append(int(value))
        except (TypeError, ValueError):
            values.append(None)
    items = [
        {"index": i, "text": text, "scale": scale, "value": values[i]}
        for i, (text, scale) in enumerate(zip(spec.items, spec.scales, strict=True))
    ]
    base = {"spec": spec, "items": items}
    missing = [i + 1 for i, v in enumerate(values) if v is None]
    if missing:
        numbers = ", ".join(str(n) for n in missing)
        return {**base, "error": f"Answer every item to score the {spec.name}: item {numbers}."}
    try:
        result = spec.score(values)
    except instruments.InstrumentError as exc:
        return {**base, "error": str(exc)}
    step = StepOfCareMapping.objects.filter(instrument=instrument, band=result.band).first()
    return {
        **base,
        "result": result,
        "step": step,
        "risk_message": instruments.RISK_MESSAGE if result.risk_flag else "",
    }

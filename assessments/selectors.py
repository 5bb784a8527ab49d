"""Reads for quizzes, the mastery policy and the practice instruments. Views and page routes
call these; they never build querysets themselves. The trainee across activities (mastery per
element, readiness, the dashboard) is read in ``progress.selectors``."""

from django.http import Http404

from competencies.models import CompetencyElement
from home.caching import for_content
from home.numbers import bounded_int

from . import services
from .engine import delivery, instruments, mastery, quiz_logic, review
from .models import (
    AttemptStatus,
    MasteryPolicy,
    QuestionKind,
    QuizAnswer,
    QuizAttempt,
    QuizPage,
    StepOfCareMapping,
)

# A practice answer beyond this counts as unanswered; each instrument checks its own scale.
MAX_ITEM = 1_000

# --- Quizzes --------------------------------------------------------------------------------


def quiz_overview(*, quiz: QuizPage, user) -> dict:
    """What the quiz's own page shows: its size, and the person's open and past attempts."""
    context = {
        # An attempt shows one question per slot (its variants are alternatives).
        "question_count": len(
            {slot or key for slot, key in quiz.questions.values_list("slot", "key")}
        ),
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
        "rows": _form_rows(spec, attempt, answer),
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


def _form_rows(spec, attempt: QuizAttempt, answer) -> list[dict]:
    """The question's options in the order drawn for this attempt, each with the opaque value
    the form carries for it (``delivery.question_form``) and what the person gave for it."""
    form = delivery.question_form(spec, attempt.secret)
    rows = _rows(spec, [r.option for r in form], answer)
    for row, shown in zip(rows, form, strict=True):
        row["token"] = shown.token
        row["choices"] = shown.choices
        if spec.kind == "intervention_matching" and row["value"]:
            row["value"] = delivery.intervention_token(spec, attempt.secret, row["value"])
    return rows


def attempt_review(*, attempt: QuizAttempt) -> dict:
    """After submission only: every answer, the key, the feedback and the score per element."""
    if attempt.is_open:
        raise Http404("Submit the attempt to see the review.")
    answers = {a.question_key: a for a in QuizAnswer.objects.filter(attempt=attempt)}
    items, per_element = [], {}
    for spec in services.attempt_questions(attempt):
        answer = answers.get(spec.key)
        response = answer.response if answer else None
        items.append(
            {
                "spec": spec,
                "answer": answer,
                "selected": _selected(spec, answer),
                "correct_text": quiz_logic.correct_answer_text(spec),
                # Each option in words: what the trainee did with it and whether that was right.
                "rows": review.review_rows(spec, response),
                "given_order": review.given_order(spec, response),
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


# --- The mastery policy and the practice instruments -------------------------------------


def mastery_policy() -> mastery.Policy:
    """The policy administrators set (cached until they change it): progress and supervision
    judge mastery and readiness by it."""
    return for_content("mastery-policy", lambda: MasteryPolicy.load().as_policy())


def instrument_practice(*, instrument: str, data) -> dict:
    """Score a practice instrument from a form (``item-0`` … ``item-n``). Returns the items with
    the answers kept, and either ``result`` (total, band, risk flag and the step-of-care default
    with its source) or ``error``. Nothing is stored."""
    spec = instruments.SPECS[instrument]
    raw = [data.get(f"item-{i}") for i in range(len(spec.items))]
    values: list[int | None] = []
    for value in raw:
        values.append(bounded_int(value, low=-MAX_ITEM, high=MAX_ITEM))
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


# --- Reflective answers, for the trainee's supervisors ----------------------------------------


def reflective_answers(*, trainee) -> list[dict]:
    """The trainee's written answers to reflective quiz questions in their submitted attempts,
    newest first, each with its question and the guidance for the supervisor (what a good
    answer covers), as they were in the revision the attempt was pinned to. For the
    supervisor's page about the trainee: the question tells the trainee their supervisor
    reads it. Two queries."""
    attempts = {
        attempt.pk: attempt
        for attempt in QuizAttempt.objects.filter(
            trainee=trainee, status=AttemptStatus.SUBMITTED
        ).select_related("revision", "quiz")
    }
    questions = {
        pk: {
            q["key"]: q
            for q in attempt.revision.content.get("questions", [])
            if q.get("kind") == QuestionKind.REFLECTION
        }
        for pk, attempt in attempts.items()
    }
    found = []
    for answer in QuizAnswer.objects.filter(attempt_id__in=attempts).order_by("-saved_at", "-id"):
        question = questions[answer.attempt_id].get(answer.question_key)
        text = (answer.response or {}).get("text", "")
        if question is None or not text:
            continue
        attempt = attempts[answer.attempt_id]
        found.append(
            {
                "quiz_title": attempt.quiz.title,
                "submitted_at": attempt.submitted_at,
                "stem": question.get("stem", ""),
                "guidance": question.get("guidance", ""),
                "text": text,
            }
        )
    return found

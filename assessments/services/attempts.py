"""Quiz attempts: questions as data (read from the revision an attempt started on), starting,
saving an answer, and the one submission that scores it on the server and writes its evidence."""

import datetime
from collections import Counter

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import CharField, F
from django.db.models import Value as V
from django.utils import timezone

from competencies.models import ClinicalSetting, CompetencyElement, Intervention, PsychosocialFactor
from home.roles import Role, has_role

from ..engine import delivery, pools, quiz_logic
from ..models import (
    AttemptStatus,
    Evidence,
    QuizAnswer,
    QuizAttempt,
    QuizPage,
    new_delivery_secret,
)
from .evidence import Scored, evidence_record_many

User = get_user_model()


class QuizError(Exception):
    """A quiz action that cannot happen now, with a message for the trainee."""


class AlreadySubmitted(QuizError):
    def __init__(self, attempt):
        super().__init__("This attempt has already been submitted.")
        self.attempt = attempt


class TimeUp(QuizError):
    def __init__(self, attempt):
        super().__init__("Time is up for this attempt: it has been submitted as it stood.")
        self.attempt = attempt


# --- Questions as data ---------------------------------------------------------------------


# Per catalogue a question names: the fields read, (code or slug or name, name or "").
CATALOGUE_FIELDS = {
    "element": ("code", None),
    "setting": ("slug", None),
    "factor": ("name", None),
    "intervention": ("slug", "name"),
}


def _catalogues(**wanted) -> dict[str, dict]:
    """One query (a union) for the rows of every catalogue the questions name: per catalogue,
    pk -> (first field, second field or "")."""
    parts = []
    for kind, (model, ids) in wanted.items():
        ids = ids - {None}
        if not ids:
            continue
        first, second = CATALOGUE_FIELDS[kind]
        parts.append(
            model.objects.filter(pk__in=ids)
            .annotate(
                catalogue=V(kind, output_field=CharField()),
                a=F(first),
                b=F(second) if second else V("", output_field=CharField()),
            )
            .values_list("catalogue", "pk", "a", "b")
            .order_by()
        )
    found: dict[str, dict] = {kind: {} for kind in wanted}
    if parts:
        rows = parts[0].union(*parts[1:], all=True).order_by() if len(parts) > 1 else parts[0]
        for kind, pk, a, b in rows:
            found[kind][pk] = (a, b)
    return found


def specs_from_revision(content: dict) -> list[quiz_logic.QuestionSpec]:
    """The questions of a quiz revision as plain data, read from the revision's stored content
    with one query for the catalogues it names (not one per question), so a page of the quiz
    costs the same whatever its size."""
    questions = sorted(content.get("questions", []), key=lambda q: q.get("sort_order") or 0)
    choices = [c for q in questions for c in q.get("choices", [])]
    catalogues = _catalogues(
        element=(CompetencyElement, {pk for q in questions for pk in q.get("elements", [])}),
        setting=(ClinicalSetting, {q.get("setting") for q in questions} | {content.get("setting")}),
        factor=(PsychosocialFactor, {c.get("factor") for c in choices}),
        intervention=(Intervention, {c.get("intervention") for c in choices}),
    )
    elements = {pk: code for pk, (code, _) in catalogues["element"].items()}
    settings = {pk: slug for pk, (slug, _) in catalogues["setting"].items()}
    factors = {pk: name for pk, (name, _) in catalogues["factor"].items()}
    interventions = catalogues["intervention"]
    default_setting = settings.get(content.get("setting"))
    specs = []
    for q in questions:
        options = []
        for c in sorted(q.get("choices", []), key=lambda c: c.get("sort_order") or 0):
            intervention = interventions.get(c.get("intervention"))
            factor = factors.get(c.get("factor"))
            fallback = intervention[1] if intervention else c["key"]
            options.append(
                quiz_logic.Option(
                    key=c["key"],
                    label=c.get("text") or factor or fallback,
                    correct=bool(c.get("correct")),
                    feedback=c.get("feedback", ""),
                    factor=factor,
                    intervention=intervention[0] if intervention else None,
                    intervention_name=intervention[1] if intervention else None,
                )
            )
        specs.append(
            quiz_logic.QuestionSpec(
                key=q["key"],
                kind=q["kind"],
                stem=q.get("stem", ""),
                points=float(q.get("points") or 1),
                feedback=q.get("feedback", ""),
                guidance=q.get("guidance", ""),
                elements=tuple(elements[pk] for pk in q.get("elements", []) if pk in elements),
                setting=settings.get(q.get("setting")) or default_setting,
                options=tuple(options),
                slot=q.get("slot") or "",
            )
        )
    return specs


def quiz_settings(content: dict) -> dict:
    """A quiz revision's settings (feedback timing, pass mark), with the defaults filled in."""
    return {
        "feedback_timing": content.get("feedback_timing", "at_end"),
        "pass_mark": content.get("pass_mark", quiz_logic.DEFAULT_PASS_MARK),
    }


def attempt_settings(attempt: QuizAttempt) -> dict:
    """Quiz settings as they were in the pinned revision."""
    return quiz_settings(attempt.revision.content)


def attempt_questions(attempt: QuizAttempt) -> list[quiz_logic.QuestionSpec]:
    """The questions the attempt drew (one variant per slot, ``pools.drawn``) as they were when
    it started (cached on the attempt object)."""
    if not hasattr(attempt, "_pinned_specs"):
        specs = specs_from_revision(attempt.revision.content)
        attempt._pinned_specs = pools.drawn(specs, attempt.question_keys or ())
    return attempt._pinned_specs


def _times_shown(trainee, quiz: QuizPage) -> Counter:
    """How often each question of the quiz has been shown to the trainee in earlier attempts:
    the keys each attempt drew, or, for attempts from before item pools, those it answered."""
    shown: Counter = Counter()
    legacy = []
    for pk, keys in QuizAttempt.objects.filter(trainee=trainee, quiz=quiz).values_list(
        "pk", "question_keys"
    ):
        if keys:
            shown.update(keys)
        else:
            legacy.append(pk)
    if legacy:
        shown.update(
            QuizAnswer.objects.filter(attempt_id__in=legacy).values_list("question_key", flat=True)
        )
    return shown


# --- Attempts ------------------------------------------------------------------------------


def question_scored(*, spec: quiz_logic.QuestionSpec, score, settings: dict[str, int]) -> Scored:
    """A scored quiz question as evidence needs it, on the item ``quiz:<question key>``
    (``settings``: clinical setting ids by slug). Called by ``attempt_submit`` and by the
    benchmark's data builder, so both name items alike."""
    return Scored(
        spec.elements,
        score.points,
        score.max_points,
        f"quiz:{spec.key}",
        settings.get(spec.setting),
    )


def attempt_start(*, trainee, quiz: QuizPage) -> QuizAttempt:
    """Start an attempt pinned to the live revision, or return the one already open."""
    if not has_role(trainee, Role.TRAINEE):
        raise PermissionDenied("Quizzes record evidence for trainees only.")
    open_attempt = QuizAttempt.objects.filter(
        trainee=trainee, quiz=quiz, status=AttemptStatus.IN_PROGRESS
    ).first()
    if open_attempt:
        return open_attempt
    if quiz.attempts_allowed:
        used = QuizAttempt.objects.filter(trainee=trainee, quiz=quiz).count()
        if used >= quiz.attempts_allowed:
            raise QuizError(f"You have used all {quiz.attempts_allowed} attempts at this quiz.")
    revision = quiz.live_revision or quiz.latest_revision
    if revision is None:
        raise QuizError("This quiz is not published yet.")
    deadline = None
    if quiz.time_limit_minutes:
        deadline = timezone.now() + datetime.timedelta(minutes=quiz.time_limit_minutes)
    secret = new_delivery_secret()
    question_keys = pools.draw(
        specs_from_revision(revision.content), shown=_times_shown(trainee, quiz), secret=secret
    )
    try:
        with transaction.atomic():
            return QuizAttempt.objects.create(
                trainee=trainee,
                quiz=quiz,
                revision=revision,
                deadline=deadline,
                delivery_secret=secret,
                question_keys=question_keys,
            )
    except IntegrityError:
        # Two tabs pressed "Start" together: the other one opened it.
        return QuizAttempt.objects.get(trainee=trainee, quiz=quiz, status=AttemptStatus.IN_PROGRESS)


def _locked_attempt(attempt_id: int, trainee) -> QuizAttempt:
    attempt = (
        QuizAttempt.objects.select_for_update()
        .select_related("quiz", "revision")
        .filter(pk=attempt_id, trainee=trainee)
        .first()
    )
    if attempt is None:
        raise PermissionDenied("That attempt is not yours.")
    return attempt


def answer_save(
    *, attempt_id: int, trainee, question_key: str, data, from_form: bool = False
) -> QuizAnswer:
    """Save one answer as soon as it is given. In after-each mode it is scored and locked at
    once, because its feedback is about to be shown.

    ``data`` names options by their authored keys, or, with ``from_form``, by the opaque values
    the question page carried for this attempt (``delivery.decode_form``): a value the page did
    not carry is refused with ``delivery.UnknownValue`` and nothing is saved."""
    with transaction.atomic():
        attempt = _locked_attempt(attempt_id, trainee)
        if not attempt.is_open:
            raise AlreadySubmitted(attempt)
        time_up = attempt.deadline is not None and timezone.now() > attempt.deadline
    if time_up:
        _submit(attempt_id, trainee)
        raise TimeUp(attempt)
    with transaction.atomic():
        attempt = _locked_attempt(attempt_id, trainee)
        if not attempt.is_open:
            raise AlreadySubmitted(attempt)
        spec = next((s for s in attempt_questions(attempt) if s.key == question_key), None)
        if spec is None:
            raise quiz_logic.ResponseError("That question is not part of this quiz.")
        existing = QuizAnswer.objects.filter(attempt=attempt, question_key=question_key).first()
        if existing and existing.locked:
            raise quiz_logic.ResponseError(
                "You have already answered this question and seen its feedback."
            )
        if from_form:
            data = delivery.decode_form(spec, attempt.secret, data)
        response = quiz_logic.parse_response(spec, data)
        answer = existing or QuizAnswer(attempt=attempt, question_key=question_key)
        answer.response = response
        if attempt_settings(attempt)["feedback_timing"] == "after_each":
            answer.locked = True
            score = quiz_logic.score_response(spec, response)
            if score is not None:
                answer.score, answer.max_score = score.points, score.max_points
        answer.save()
        return answer


def attempt_submit(*, attempt_id: int, trainee) -> QuizAttempt:
    """Finalise an attempt exactly once: score every question, write evidence and summaries, all
    in one transaction. A second submit (double click, other tab, replay) gets AlreadySubmitted."""
    return _submit(attempt_id, trainee)


def _submit(attempt_id: int, trainee) -> QuizAttempt:
    with transaction.atomic():
        attempt = _locked_attempt(attempt_id, trainee)
        if not attempt.is_open:
            raise AlreadySubmitted(attempt)
        pass_mark = attempt_settings(attempt)["pass_mark"]
        answers = {a.question_key: a for a in attempt.answers.all()}
        settings = dict(ClinicalSetting.objects.values_list("slug", "pk"))
        total = available = 0.0
        scored: list[Scored] = []
        for spec in attempt_questions(attempt):
            answer = answers.get(spec.key) or QuizAnswer(
                attempt=attempt, question_key=spec.key, response={}
            )
            score = quiz_logic.score_response(spec, answer.response)
            if score is None:
                answer.locked = True
                if answer.pk:
                    answer.save()
                continue
            answer.score, answer.max_score, answer.locked = score.points, score.max_points, True
            answer.save()
            total += score.points
            available += score.max_points
            scored.append(question_scored(spec=spec, score=score, settings=settings))
        evidence_record_many(
            trainee=trainee, responses=scored, source=Evidence.Source.QUIZ, quiz_attempt=attempt
        )
        attempt.status = AttemptStatus.SUBMITTED
        attempt.submitted_at = timezone.now()
        attempt.score, attempt.max_score = round(total, 4), available
        attempt.passed = quiz_logic.passed(total, available, pass_mark)
        attempt.save()
        return attempt

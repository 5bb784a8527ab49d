"""Writes for assessments: supervision, quiz attempts, evidence and mastery summaries.

Views, page routes, seed_demo, management commands and (later) vignettes call these. Scoring
happens here, on the server, against the revision an attempt started on.
"""

import datetime
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from competencies.models import ClinicalSetting, CompetencyElement
from home.caching import content_changed, records_changed
from home.roles import Role, has_role

from .engine import mastery, quiz_logic
from .models import (
    AttemptStatus,
    ElementMastery,
    Evidence,
    ItemScore,
    QuizAnswer,
    QuizAttempt,
    QuizPage,
)

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


def specs_from_revision(content: dict) -> list[quiz_logic.QuestionSpec]:
    """The questions of a quiz revision as plain data, read from the revision's stored content
    with one query per catalogue (not per question), so a page of the quiz costs the same
    whatever its size."""
    from competencies.models import Intervention, PsychosocialFactor

    questions = sorted(content.get("questions", []), key=lambda q: q.get("sort_order") or 0)
    choices = [c for q in questions for c in q.get("choices", [])]
    elements = dict(
        CompetencyElement.objects.filter(
            pk__in={pk for q in questions for pk in q.get("elements", [])}
        ).values_list("pk", "code")
    )
    setting_ids = {q.get("setting") for q in questions} | {content.get("setting")}
    settings = dict(
        ClinicalSetting.objects.filter(pk__in=setting_ids - {None}).values_list("pk", "slug")
    )
    factors = dict(
        PsychosocialFactor.objects.filter(
            pk__in={c.get("factor") for c in choices} - {None}
        ).values_list("pk", "name")
    )
    interventions = {
        pk: (slug, name)
        for pk, slug, name in Intervention.objects.filter(
            pk__in={c.get("intervention") for c in choices} - {None}
        ).values_list("pk", "slug", "name")
    }
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
    """The questions as they were when the attempt started (cached on the attempt object)."""
    if not hasattr(attempt, "_pinned_specs"):
        attempt._pinned_specs = specs_from_revision(attempt.revision.content)
    return attempt._pinned_specs


# --- Attempts ------------------------------------------------------------------------------


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
    try:
        with transaction.atomic():
            return QuizAttempt.objects.create(
                trainee=trainee, quiz=quiz, revision=revision, deadline=deadline
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


def answer_save(*, attempt_id: int, trainee, question_key: str, data) -> QuizAnswer:
    """Save one answer as soon as it is given. In after-each mode it is scored and locked at
    once, because its feedback is about to be shown."""
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


# --- Evidence and mastery ------------------------------------------------------------------


@dataclass(frozen=True)
class Scored:
    """One scored response, as evidence needs it: for these elements, this many points out of
    so many, on this item (``quiz:<question key>`` or ``case:<vignette>:<node>``)."""

    element_codes: tuple[str, ...]
    points: float
    max_points: float
    item_key: str
    setting_id: int | None = None


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


def evidence_record(
    *,
    trainee,
    element_codes,
    points: float,
    max_points: float,
    source: str,
    item_key: str,
    setting=None,
    quiz_attempt=None,
    vignette_attempt=None,
) -> list[Evidence]:
    """Append evidence rows for one scored response (one per element) and bring the trainee's
    summaries up to date in the same transaction (see ``evidence_record_many``)."""
    return evidence_record_many(
        trainee=trainee,
        responses=[
            Scored(
                tuple(element_codes), points, max_points, item_key, setting.pk if setting else None
            )
        ],
        source=source,
        quiz_attempt=quiz_attempt,
        vignette_attempt=vignette_attempt,
    )


def evidence_record_many(
    *, trainee, responses: list[Scored], source: str, quiz_attempt=None, vignette_attempt=None
) -> list[Evidence]:
    """Append evidence rows for scored responses (one row per response and element) and bring
    the trainee's summaries up to date, in one transaction and a fixed number of queries
    however many responses and elements: insert the rows, upsert the latest score per item,
    lock the trainee's affected element summaries, recompute them from the item scores, upsert
    them. A quiz submission and a vignette step each call this once. When two responses share
    an item, the later one is the latest, as if recorded one after the other."""
    rows = evidence_rows(
        trainee=trainee,
        responses=responses,
        source=source,
        quiz_attempt=quiz_attempt,
        vignette_attempt=vignette_attempt,
    )
    if not rows:
        return rows
    # All or nothing, in the caller's transaction when there is one (no savepoint needed).
    with transaction.atomic(savepoint=False):
        Evidence.objects.bulk_create(rows)
        latest = {(row.element_id, row.item_key): row for row in rows}
        ItemScore.objects.bulk_create(
            [
                ItemScore(
                    trainee=trainee,
                    element_id=row.element_id,
                    item_key=row.item_key,
                    setting_id=row.setting_id,
                    points=row.score,
                    max_points=row.max_score,
                    evidence=row,
                )
                for row in latest.values()
            ],
            update_conflicts=True,
            unique_fields=["trainee", "element", "item_key"],
            update_fields=["setting", "points", "max_points", "evidence"],
        )
        _refresh_masteries(trainee.pk, {element_id for element_id, _ in latest})
        records_changed(trainee.pk)  # bulk writes send no model signals
    return rows


def evidence_rows(
    *, trainee, responses: list[Scored], source: str, quiz_attempt=None, vignette_attempt=None
) -> list[Evidence]:
    """The evidence rows of scored responses, unsaved: one per response and element of the
    framework it evidences. ``evidence_record_many`` saves them; the benchmark's data builder
    inserts them in bulk."""
    from competencies.selectors import elements_in_order

    elements = {e.code: e for e in elements_in_order()}
    return [
        Evidence(
            trainee=trainee,
            element=elements[code],
            score=r.points,
            max_score=r.max_points,
            source=source,
            item_key=r.item_key,
            setting_id=r.setting_id,
            quiz_attempt=quiz_attempt,
            vignette_attempt=vignette_attempt,
        )
        for r in responses
        for code in r.element_codes
        if code in elements
    ]


def _refresh_masteries(trainee_id: int, element_ids: set[int]) -> None:
    """Recompute one trainee's summaries for these elements from their item scores. The
    summary rows are locked first, so two writers for one trainee take turns."""
    if connection.features.has_select_for_update:  # SQLite locks the whole database instead
        list(
            ElementMastery.objects.select_for_update()
            .filter(trainee_id=trainee_id, element_id__in=element_ids)
            .values_list("pk", flat=True)
        )
    items: dict[int, list[mastery.ItemScore]] = {pk: [] for pk in element_ids}
    for element_id, key, setting_id, points, max_points in ItemScore.objects.filter(
        trainee_id=trainee_id, element_id__in=element_ids
    ).values_list("element_id", "item_key", "setting_id", "points", "max_points"):
        items[element_id].append(mastery.ItemScore(key, str(setting_id or ""), points, max_points))
    ElementMastery.objects.bulk_create(
        [_mastery_row(trainee_id, element_id, scores) for element_id, scores in items.items()],
        update_conflicts=True,
        unique_fields=["trainee", "element"],
        update_fields=["items", "settings_count", "mean", "updated_at"],
    )


def _mastery_row(trainee_id: int, element_id: int, items) -> ElementMastery:
    """The summary row for one trainee and element, by the mastery rule (counts and mean do not
    depend on the policy, which dashboards apply when they read)."""
    judged = mastery.judge(items, mastery.Policy())
    return ElementMastery(
        trainee_id=trainee_id,
        element_id=element_id,
        items=judged.items,
        settings_count=judged.settings,
        mean=judged.mean,
    )


@transaction.atomic
def mastery_rebuild(*, trainee=None) -> int:
    """Recompute the summaries from the evidence alone (latest row per item wins), with the
    same rule as ``_refresh_masteries``. Reads the evidence as plain tuples, in chunks, and
    writes the summaries in bulk, so a million rows rebuild in seconds."""
    evidence = Evidence.objects.all()
    summaries = ItemScore.objects.all()
    masteries = ElementMastery.objects.all()
    if trainee is not None:
        evidence = evidence.filter(trainee=trainee)
        summaries = summaries.filter(trainee=trainee)
        masteries = masteries.filter(trainee=trainee)
    summaries.delete()
    masteries.delete()
    latest = {}
    rows = evidence.order_by("created_at", "id").values_list(
        "id", "trainee_id", "element_id", "item_key", "setting_id", "score", "max_score"
    )
    for row in rows.iterator(chunk_size=20_000):
        latest[(row[1], row[2], row[3])] = row
    from home.bulk import insert_rows

    insert_rows(
        ItemScore,
        ["trainee", "element", "item_key", "setting", "points", "max_points", "evidence"],
        (
            (trainee_id, element_id, item_key, setting_id, points, max_points, pk)
            for pk, trainee_id, element_id, item_key, setting_id, points, max_points in (
                latest.values()
            )
        ),
    )
    per_pair: dict[tuple[int, int], list[mastery.ItemScore]] = {}
    for _pk, trainee_id, element_id, item_key, setting_id, points, max_points in latest.values():
        per_pair.setdefault((trainee_id, element_id), []).append(
            mastery.ItemScore(item_key, str(setting_id or ""), points, max_points)
        )
    ElementMastery.objects.bulk_create(
        (
            _mastery_row(trainee_id, element_id, items)
            for (trainee_id, element_id), items in per_pair.items()
        ),
        batch_size=5000,
    )
    # Bulk writes send no model signals: the person's cached views start afresh, or, after a
    # rebuild for everyone, every cached view (the content version is part of every key).
    if trainee is not None:
        records_changed(trainee.pk)
    else:
        content_changed()
    return len(per_pair)


# --- Content import (seed_demo) ------------------------------------------------------------


def _choices_from_spec(spec: dict) -> list:
    from competencies.models import Intervention, PsychosocialFactor

    from .models import Choice

    kind = spec["kind"]
    factors = {f.slug: f for f in PsychosocialFactor.objects.all()}
    interventions = {i.slug: i for i in Intervention.objects.all()}
    choices = []
    if kind in ("single", "multiple"):
        for option in spec["options"]:
            choices.append(
                Choice(
                    key=option["key"],
                    text=option["text"].strip(),
                    correct=bool(option.get("correct")),
                    feedback=option.get("feedback", "").strip(),
                )
            )
    elif kind == "factor_recognition":
        for n, item in enumerate(spec["factors"]):
            choices.append(
                Choice(
                    key=f"f{n}-{item['factor']}"[:60],
                    factor=factors[item["factor"]],
                    correct=bool(item.get("present")),
                    feedback=item.get("feedback", "").strip(),
                )
            )
    elif kind == "intervention_matching":
        for n, pair in enumerate(spec["pairs"]):
            choices.append(
                Choice(
                    key=f"p{n}-{pair['factor']}"[:60],
                    factor=factors[pair["factor"]],
                    intervention=interventions[pair["intervention"]],
                    correct=True,
                    feedback=pair.get("feedback", "").strip(),
                )
            )
        for n, slug in enumerate(spec.get("distractors", [])):
            choices.append(Choice(key=f"d{n}-{slug}"[:60], intervention=interventions[slug]))
    elif kind == "ordering":
        for item in spec["items"]:
            choices.append(Choice(key=item["key"], text=item["text"].strip()))
    for position, choice in enumerate(choices):
        choice.sort_order = position
    return choices


@transaction.atomic
def quiz_import(*, module, spec: dict) -> QuizPage:
    """Create a module's quiz from a question-bank file, unless one with its slug exists there."""
    from .models import Question

    existing = QuizPage.objects.child_of(module).filter(slug=spec["slug"]).first()
    if existing:
        return existing
    settings = {s.slug: s for s in ClinicalSetting.objects.all()}
    elements = {e.code: e for e in CompetencyElement.objects.all()}
    quiz = QuizPage(
        title=spec["title"],
        slug=spec["slug"],
        intro=f"<p>{spec.get('intro', '').strip()}</p>",
        pass_mark=spec.get("pass_mark", quiz_logic.DEFAULT_PASS_MARK),
        feedback_timing=spec.get("feedback_timing", "at_end"),
        setting=settings.get(spec.get("setting")),
    )
    for position, item in enumerate(spec["questions"]):
        question = Question(
            key=item["key"],
            kind=item["kind"],
            stem=item["stem"].strip(),
            setting=settings.get(item.get("setting")),
            feedback=item.get("feedback", "").strip(),
            guidance=item.get("guidance", "").strip(),
            sort_order=position,
        )
        question.elements = [elements[code] for code in item["elements"]]
        question.choices = _choices_from_spec(item)
        quiz.questions.add(question)
    module.add_child(instance=quiz)
    quiz.save_revision().publish()
    return quiz

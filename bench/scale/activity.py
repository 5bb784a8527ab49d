"""The trainees' history: who did how much and when, their lesson completions, and their
finalised quiz and case attempts. Every score comes from the product's own scoring
(``assessments.engine.quiz_logic.score_response``) and case engine (``cases.engine.advance``,
through ``bench.scale.content.case_routes``). Called by ``bench.scale.build`` and, for more
history on the same people, by the benchmark's tests.
"""

import datetime
import random
from collections import Counter, defaultdict
from dataclasses import dataclass

from django.utils import timezone

from assessments.engine import pools, quiz_logic
from assessments.models import AttemptStatus, QuizAttempt
from cases.models import VignetteAttempt
from curriculum.models import LessonCompletion, LessonPage
from home.bulk import db_value, insert_rows
from home.models import User

from .content import Quiz, case_routes, quiz_bank, response
from .evidence import STEP_MINUTES, Rows
from .people import Scale, explicit_timestamps

CHUNK = 50  # trainees whose attempts are written together


@dataclass
class Profile:
    trainee: User
    attempts: int
    start: datetime.datetime
    end: datetime.datetime
    lessons: int
    strong: bool = False  # one trainee in six: skilled from the start, done every lesson


def profiles(scale: Scale, rng: random.Random, trainees, lesson_total: int) -> list[Profile]:
    """Who did how much, when: a few never started, some stopped over a month ago."""
    now = timezone.now()
    weights = []
    for _ in trainees:
        roll = rng.random()
        weights.append(0.0 if roll < 0.05 else rng.uniform(0.3, 1.7))
    total = sum(weights) or 1.0
    out = []
    for n, (trainee, weight) in enumerate(zip(trainees, weights, strict=True)):
        # Every sixth trainee is strong, so that any cohort has some who reach "ready" whatever
        # the variants drawn for them (the readiness tests need both answers to occur).
        strong = n % 6 == 0
        if strong:
            weight = max(weight, 1.2)
        if not weight:
            out.append(Profile(trainee, 0, now, now, 0))
            continue
        start = now - datetime.timedelta(days=rng.uniform(scale.days * 0.5, scale.days))
        inactive = rng.random() < 0.15 and not strong
        end = now - datetime.timedelta(days=rng.uniform(35, 60) if inactive else rng.uniform(0, 3))
        lessons = lesson_total if rng.random() < 0.5 or strong else rng.randint(1, lesson_total)
        attempts = round(weight / total * scale.attempts)
        out.append(Profile(trainee, attempts, start, end, lessons, strong))
    return out


def _moment(profile: Profile, share: float) -> datetime.datetime:
    span = (profile.end - profile.start).total_seconds()
    return profile.start + datetime.timedelta(seconds=span * min(1.0, max(0.0, share)))


def history(scale: Scale, rng: random.Random, trainees, vignettes, *, lessons: bool = True):
    """Lesson completions (unless ``lessons`` is false) and ``scale.attempts`` finalised
    attempts spread over ``trainees``. Returns counts."""
    lesson_ids = list(LessonPage.objects.live().order_by("path").values_list("id", flat=True))
    who = profiles(scale, rng, trainees, len(lesson_ids))
    quizzes = quiz_bank()
    cases = case_routes(rng, vignettes)
    counts = {"quiz_attempts": 0, "case_attempts": 0, "evidence": 0, "lesson_completions": 0}
    if lessons:
        insert_rows(
            LessonCompletion,
            ["user", "lesson", "completed_at"],
            (
                (p.trainee.pk, lesson_id, db_value(_moment(p, n / max(1, p.lessons))))
                for p in who
                for n, lesson_id in enumerate(lesson_ids[: p.lessons])
            ),
        )
    counts["lesson_completions"] = sum(p.lessons for p in who) if lessons else 0
    for first in range(0, len(who), CHUNK):
        done = _history_chunk(rng, who[first : first + CHUNK], quizzes, cases)
        for key, value in done.items():
            counts[key] += value
    return counts


def _plans(rng, chunk: list[Profile], quizzes, cases) -> list[tuple]:
    """(profile, when, skill, quiz or (page, route)) for every attempt of these trainees."""
    plans = []
    for p in chunk:
        for n in range(p.attempts):
            share = (n + rng.random()) / p.attempts
            skill = (0.85 + 0.1 * share) if p.strong else (0.5 + 0.45 * share)
            if rng.random() < 0.5:
                # Quizzes roughly in course order, as a trainee goes through the modules.
                position = min(len(quizzes) - 1, int(share * len(quizzes) + rng.uniform(-1, 1)))
                plans.append((p, _moment(p, share), skill, quizzes[max(0, position)]))
            else:
                page, routes = rng.choice(cases)
                route = routes[0] if rng.random() < skill - 0.3 else rng.choice(routes[1:])
                plans.append((p, _moment(p, share), skill, (page, route)))
    return plans


def _history_chunk(rng, chunk: list[Profile], quizzes, cases) -> dict:
    plans = _plans(rng, chunk, quizzes, cases)
    quiz_plans = [plan for plan in plans if isinstance(plan[3], Quiz)]
    case_plans = [plan for plan in plans if not isinstance(plan[3], Quiz)]
    rows = Rows()
    with explicit_timestamps(QuizAttempt, VignetteAttempt):
        attempts = _quiz_attempts(rng, quiz_plans, rows)
        plays = _case_attempts(case_plans, rows)
    rows.insert()
    return {
        "quiz_attempts": len(attempts),
        "case_attempts": len(plays),
        "evidence": len(rows.evidence),
    }


def _quiz_attempts(rng, quiz_plans, rows: Rows) -> list[QuizAttempt]:
    attempts, scored = [], []
    shown: dict[tuple, Counter] = defaultdict(Counter)
    for p, when, skill, quiz in quiz_plans:
        answered, total, available = [], 0.0, 0.0
        # One variant per slot, as the product draws it (retakes: the least shown first).
        seen = shown[p.trainee.pk, quiz.page_id]
        # The secret comes from who and which try, not from ``rng``: drawing from it would shift
        # every later random choice, and with them the data set.
        secret = f"{p.trainee.pk}:{quiz.page_id}:{seen.total()}"
        keys = pools.draw(quiz.specs, shown=seen, secret=secret)
        seen.update(keys)
        for spec in pools.drawn(quiz.specs, keys):
            answer = response(rng, spec, skill)
            score = quiz_logic.score_response(spec, answer)
            answered.append((spec, answer, score))
            if score is not None:
                total += score.points
                available += score.max_points
        attempts.append(
            QuizAttempt(
                trainee=p.trainee,
                quiz_id=quiz.page_id,
                revision_id=quiz.revision_id,
                status=AttemptStatus.SUBMITTED,
                started_at=when - datetime.timedelta(minutes=12),
                submitted_at=when,
                score=round(total, 4),
                max_score=available,
                passed=quiz_logic.passed(total, available, quiz.pass_mark),
                question_keys=keys,
            )
        )
        scored.append(answered)
    attempts = QuizAttempt.objects.bulk_create(attempts, batch_size=2000)
    for attempt, answered in zip(attempts, scored, strict=True):
        rows.quiz_answers(attempt, answered)
    return attempts


def _case_attempts(case_plans, rows: Rows) -> list[VignetteAttempt]:
    plays = []
    for p, when, _skill, (page, route) in case_plans:
        length = len(route.steps)
        finished = when + datetime.timedelta(minutes=STEP_MINUTES * length)
        plays.append(
            VignetteAttempt(
                trainee=p.trainee,
                vignette_id=page.pk,
                revision_id=page.live_revision_id,
                node=route.steps[-1][7],
                seq=length,
                status=VignetteAttempt.Status.FINISHED,
                started_at=when,
                updated_at=finished,
                finished_at=finished,
            )
        )
    plays = VignetteAttempt.objects.bulk_create(plays, batch_size=2000)
    for attempt, (_p, when, _skill, (page, route)) in zip(plays, case_plans, strict=True):
        rows.case_play(attempt, page, route.steps, when)
    return plays

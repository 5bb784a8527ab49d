"""Seeding and checking the database a served site (gunicorn) uses, from a process of its own.

The served database is not the pytest test database (gunicorn is another process and cannot see
the test's transaction), so this runs as ``python -m tests.reliability.served_data seed|check``
with DATABASE_URL pointing at it; ``served.ServedDatabase.run`` does that and reads the JSON it
prints.

``seed`` builds the small course with a quiz and a vignette (the tests' own builders, which go
through the product's services) and trainees with logged-in sessions.

``check`` recomputes everything from what is stored, with the application's own code, and lists
every inconsistency: each quiz attempt is either open and untouched (no score, nothing locked, no
evidence) or submitted exactly once (each answer locked with the score that ``quiz_logic``
gives it, one evidence row per question and element with that score, the total right); each
vignette attempt's steps replay through ``cases.engine`` from the start to the same scores,
positions and evidence, and it is finished exactly when it reached an ending; no two steps share
a number; and the summaries equal what ``mastery_rebuild`` makes from the evidence.
"""

import argparse
import json
import math
import os
from collections import Counter, defaultdict


def seed(trainees: int) -> dict:
    from django.conf import settings
    from django.test import Client

    from curriculum.models import LessonPage
    from home.roles import Role
    from tests.assessments.conftest import build_quiz
    from tests.cases.conftest import build_case
    from tests.factories import make_user

    quiz = build_quiz()
    case = build_case()
    lesson = LessonPage.objects.live().order_by("path").first()
    people = []
    for number in range(trainees):
        user = make_user(Role.TRAINEE, email=f"served{number}@test.example")
        sessions = []
        for _ in range(2):  # one per client thread, as two browser tabs would have
            client = Client()
            client.force_login(user)
            sessions.append(client.cookies[settings.SESSION_COOKIE_NAME].value)
        people.append({"id": user.pk, "sessions": sessions})
    return {
        "quiz_url": quiz.url,
        "case_url": case.url,
        "lesson_url": lesson.url,
        "session_cookie": settings.SESSION_COOKIE_NAME,
        "trainees": people,
    }


def _close(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is b
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)


def _same_scores(stored: dict, computed: dict) -> bool:
    return set(stored) == set(computed) and all(_close(stored[k], computed[k]) for k in stored)


def check_quiz_attempts(problems: list[str], counts: Counter) -> None:
    from assessments.engine import quiz_logic
    from assessments.models import AttemptStatus, Evidence, QuizAttempt
    from assessments.services import attempt_questions, attempt_settings

    for attempt in QuizAttempt.objects.select_related("revision").order_by("pk"):
        label = f"quiz attempt {attempt.pk}"
        answers = {a.question_key: a for a in attempt.answers.all()}
        evidence = defaultdict(list)
        for row in Evidence.objects.filter(quiz_attempt=attempt).select_related("element"):
            evidence[(row.item_key, row.element.code)].append(row)
        if attempt.status == AttemptStatus.IN_PROGRESS:
            counts["quiz attempts open, untouched"] += 1
            if evidence or attempt.submitted_at or attempt.score is not None:
                problems.append(f"{label}: open, yet scored or with evidence")
            if any(a.locked or a.score is not None for a in answers.values()):
                problems.append(f"{label}: open, yet an answer is locked or scored")
            continue
        counts["quiz attempts submitted"] += 1
        total = available = 0.0
        for spec in attempt_questions(attempt):
            answer = answers.get(spec.key)
            score = quiz_logic.score_response(spec, answer.response if answer else {})
            if score is None:
                continue
            total += score.points
            available += score.max_points
            if answer is None or not answer.locked:
                problems.append(f"{label}: {spec.key} was not stored and locked")
            elif not (
                _close(answer.score, score.points) and _close(answer.max_score, score.max_points)
            ):
                problems.append(f"{label}: {spec.key} stored {answer.score}, scores {score}")
            for code in spec.elements:
                rows = evidence.pop((f"quiz:{spec.key}", code), [])
                counts["evidence rows checked"] += len(rows)
                if len(rows) != 1:
                    problems.append(f"{label}: {len(rows)} evidence rows for {spec.key}/{code}")
                elif not (
                    _close(rows[0].score, score.points)
                    and _close(rows[0].max_score, score.max_points)
                ):
                    problems.append(f"{label}: evidence for {spec.key}/{code} is not its score")
        if evidence:
            problems.append(f"{label}: evidence for no question: {sorted(evidence)}")
        pass_mark = attempt_settings(attempt)["pass_mark"]
        passed = available > 0 and 100 * total / available >= pass_mark - 1e-9
        if not (
            _close(attempt.score, round(total, 4))
            and _close(attempt.max_score, available)
            and attempt.passed == passed
            and attempt.submitted_at is not None
        ):
            problems.append(f"{label}: total {attempt.score}/{attempt.max_score}, not {total}")


def check_vignette_attempts(problems: list[str], counts: Counter) -> None:
    from django.db.models import Count

    from assessments.models import Evidence
    from cases import engine
    from cases.models import VignetteAttempt, VignetteStep
    from cases.services import graph_of_revision

    duplicates = (
        VignetteStep.objects.values("attempt_id", "seq")
        .order_by()
        .annotate(n=Count("id"))
        .filter(n__gt=1)
    )
    for row in duplicates:
        problems.append(f"vignette attempt {row['attempt_id']}: step {row['seq']} twice")
    for attempt in VignetteAttempt.objects.select_related("revision").order_by("pk"):
        label = f"vignette attempt {attempt.pk}"
        graph = graph_of_revision(attempt.revision)
        evidence = defaultdict(list)
        for row in Evidence.objects.filter(vignette_attempt=attempt).select_related("element"):
            evidence[(row.item_key, row.element.code)].append(row)
        state = engine.State.initial(graph)
        for number, step in enumerate(attempt.steps.order_by("seq")):
            counts["vignette steps checked"] += 1
            if step.seq != number or step.node != state.node:
                problems.append(f"{label}: step {step.seq} at {step.node}, expected {state}")
                break
            try:
                replay = engine.advance(
                    graph,
                    state,
                    engine.Response(state.node, tuple(step.choices), tuple(step.values)),
                )
            except engine.IllegalMove as exc:
                problems.append(f"{label}: step {step.seq} was not a legal move: {exc}")
                break
            if not (
                _same_scores(step.scores, replay.scores)
                and _same_scores(step.maxima, replay.maxima)
                and step.next_node == replay.state.node
            ):
                problems.append(f"{label}: step {step.seq} does not replay to what was stored")
            item = f"case:{attempt.vignette_id}:{step.node}"
            for element, maximum in replay.maxima.items():
                rows = evidence.pop((item, element), [])
                counts["evidence rows checked"] += len(rows)
                if len(rows) != 1:
                    problems.append(f"{label}: {len(rows)} evidence rows for {step.node}/{element}")
                elif not (
                    _close(rows[0].score, replay.scores.get(element, 0.0))
                    and _close(rows[0].max_score, maximum)
                ):
                    problems.append(f"{label}: evidence for {step.node}/{element} is not its score")
            state = replay.state
        if evidence:
            problems.append(f"{label}: evidence for no step: {sorted(evidence)}")
        if (attempt.node, attempt.seq) != (state.node, state.step):
            problems.append(f"{label}: at {attempt.node}/{attempt.seq}, its steps say {state}")
        ended = graph[state.node].kind == "ending"
        finished = attempt.status == VignetteAttempt.Status.FINISHED
        if finished != ended or finished != (attempt.finished_at is not None):
            problems.append(f"{label}: status {attempt.status} at {state.node}")
        counts["vignette attempts finished" if finished else "vignette attempts open"] += 1


def check_summaries(problems: list[str], counts: Counter) -> None:
    from django.db import transaction

    from assessments.models import ElementMastery, ItemScore
    from assessments.services import mastery_rebuild

    def summaries():
        items = {
            (r.trainee_id, r.element_id, r.item_key): (r.setting_id, r.points, r.max_points)
            for r in ItemScore.objects.all()
        }
        masteries = {
            (r.trainee_id, r.element_id): (r.items, r.settings_count, r.mean)
            for r in ElementMastery.objects.all()
        }
        return items, masteries

    stored = summaries()
    with transaction.atomic():
        mastery_rebuild()
        rebuilt = summaries()
        transaction.set_rollback(True)
    counts["summaries checked"] = len(stored[0]) + len(stored[1])
    for name, mine, theirs in zip(("item score", "mastery"), stored, rebuilt, strict=True):
        for key in sorted(set(mine) | set(theirs), key=str):
            a, b = mine.get(key), theirs.get(key)
            if a is None or b is None or not all(_close(x, y) for x, y in zip(a, b, strict=True)):
                problems.append(f"{name} {key}: stored {a}, rebuilt from the evidence {b}")


def check() -> dict:
    problems: list[str] = []
    counts: Counter = Counter()
    check_quiz_attempts(problems, counts)
    check_vignette_attempts(problems, counts)
    check_summaries(problems, counts)
    from assessments.models import Evidence

    counts["evidence rows"] = Evidence.objects.count()
    return {"counts": dict(counts), "problems": problems}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("command", choices=["seed", "check"])
    parser.add_argument("--trainees", type=int, default=5)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "psycomp.settings.test")
    import django

    django.setup()
    result = seed(args.trainees) if args.command == "seed" else check()
    print(json.dumps(result))


if __name__ == "__main__":
    main()

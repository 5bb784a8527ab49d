"""Synthetic data at realistic scale, for the benchmark (``manage.py seed_scale``).

Builds on the demo course (``seed_demo``): three more case vignettes (variants of seeded ones),
then trainees in cohorts with their supervisors, lesson completions and a history of finalised
quiz and case attempts with the answers, steps and evidence each one produces. Rows are written
with ``bulk_create`` in chunks of trainees; every score comes from the product's own scoring
(``quiz_logic.score_response`` and ``cases.engine.advance``), and the summaries are then rebuilt
once from the evidence with ``assessments.services.mastery_rebuild``, the function behind
``manage.py rebuild_mastery``. ``replay_check`` proves that route gives the same summaries as
writing the same evidence one response at a time through ``evidence_record``.

Local and benchmark use only: the command refuses to run unless the settings allow demo data.
"""

import contextlib
import datetime
import json
import random
import time
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import connection, transaction
from django.utils import timezone

from supervision import services as supervision_services

from .bulk import db_value, insert_rows
from .models import User
from .roles import Role

EMAIL_DOMAIN = "bench.example"
# Every synthetic account shares this password (local benchmark databases only).
BENCH_PASSWORD = "bench-password-2026"  # noqa: S105
FIRST = [
    "Aisha",
    "Ben",
    "Chloe",
    "Dev",
    "Elena",
    "Femi",
    "Grace",
    "Hamid",
    "Ines",
    "Jonah",
    "Kiri",
    "Leila",
    "Malik",
    "Nora",
    "Owen",
    "Priya",
    "Quinn",
    "Rosa",
    "Sami",
    "Tom",
    "Uma",
    "Victor",
    "Wen",
    "Yusuf",
    "Zara",
]
LAST = [
    "Adeyemi",
    "Brown",
    "Chen",
    "Davies",
    "Evans",
    "Fischer",
    "Garcia",
    "Hughes",
    "Iqbal",
    "Jones",
    "Khan",
    "Lewis",
    "Murphy",
    "Nowak",
    "Okafor",
    "Patel",
    "Roberts",
    "Singh",
    "Taylor",
    "Walker",
    "Young",
]
EXTRA_VIGNETTES = 3  # variants of seeded cases, so the course has 15


@dataclass(frozen=True)
class Scale:
    trainees: int = 2000
    cohorts: int = 20
    supervisors: int = 50
    attempts: int = 100_000
    days: int = 180
    seed: int = 7

    @property
    def small_supervisor_trainees(self) -> int:
        """How many trainees the second supervisor has (a tenth of all: 200 of 2,000)."""
        return max(1, self.trainees // 10)


def trainee_email(n: int) -> str:
    return f"scale-t{n:05d}@{EMAIL_DOMAIN}"


def supervisor_email(n: int) -> str:
    return f"scale-s{n:03d}@{EMAIL_DOMAIN}"


def existing_trainees() -> int:
    return User.objects.filter(email__startswith="scale-t", email__endswith=EMAIL_DOMAIN).count()


@contextlib.contextmanager
def explicit_timestamps(*models):
    """Let bulk inserts carry their own (historic) times instead of ``auto_now(_add)``."""
    saved = []
    for model in models:
        for field in model._meta.concrete_fields:
            if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                saved.append((field, field.auto_now, field.auto_now_add))
                field.auto_now = field.auto_now_add = False
    try:
        yield
    finally:
        for field, auto_now, auto_now_add in saved:
            field.auto_now, field.auto_now_add = auto_now, auto_now_add


def build(scale: Scale, log) -> dict:
    """Build everything and return counts and seconds per phase."""
    from django.core.management import call_command

    timings: dict[str, float] = {}

    def phase(name, started):
        timings[name] = round(time.perf_counter() - started, 1)
        log(f"  {name}: {timings[name]} s")

    started = time.perf_counter()
    call_command("seed_demo", stdout=_Quiet())
    vignettes = _extra_vignettes()
    phase("course and vignettes", started)
    rng = random.Random(scale.seed)
    with transaction.atomic():
        started = time.perf_counter()
        trainees, supervisors = _people(scale, rng)
        phase("people, cohorts and assignments", started)
        started = time.perf_counter()
        counts = _history(scale, rng, trainees, vignettes)
        phase("lessons, attempts and evidence", started)
        started = time.perf_counter()
        from assessments.services import mastery_rebuild

        counts["summaries"] = mastery_rebuild()
        phase("summaries rebuilt", started)
        started = time.perf_counter()
        counts.update(_sign_offs(scale, rng, trainees, supervisors))
        phase("sign-off requests and records", started)
    # A million rows arrived in bulk: give the query planner their statistics now, not whenever
    # autovacuum (PostgreSQL) or nobody (SQLite) gets round to it.
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    phase("planner statistics", started)
    counts["timings"] = timings
    return counts


class _Quiet:
    def write(self, *args, **kwargs):
        pass

    def flush(self):
        pass


def _extra_vignettes() -> list:
    """The seeded vignettes plus three variants (same story under another title and slug)."""
    from cases import content, services
    from cases.models import CaseIndexPage, CaseVignettePage

    index = CaseIndexPage.objects.first()
    for path in content.vignette_files()[:EXTRA_VIGNETTES]:
        spec = content.load(path)
        spec["slug"] = f"{spec['slug']}-retold"
        spec["title"] = f"{spec['title']} (retold)"
        services.vignette_import(index=index, spec=spec)
    return list(CaseVignettePage.objects.live().order_by("path").select_related("live_revision"))


def _people(scale: Scale, rng: random.Random):
    from allauth.account.models import EmailAddress

    from supervision.models import Cohort, CohortMembership, SupervisorAssignment

    password = make_password(BENCH_PASSWORD)
    now = timezone.now()
    joined = now - datetime.timedelta(days=scale.days)

    def person(email, name, profession):
        return User(
            email=email,
            username=email.split("@")[0],
            display_name=name,
            profession=profession,
            password=password,
            date_joined=joined,
        )

    trainees = User.objects.bulk_create(
        person(trainee_email(n), f"{rng.choice(FIRST)} {rng.choice(LAST)} {n}", "nurse")
        for n in range(scale.trainees)
    )
    supervisors = User.objects.bulk_create(
        person(supervisor_email(n), f"Supervisor {rng.choice(LAST)} {n}", "psychologist")
        for n in range(scale.supervisors)
    )
    EmailAddress.objects.bulk_create(
        EmailAddress(user=u, email=u.email, verified=True, primary=True)
        for u in (*trainees, *supervisors)
    )
    memberships = User.groups.through
    for role, people in ((Role.TRAINEE, trainees), (Role.SUPERVISOR, supervisors)):
        group = Group.objects.get(name=role.value)
        memberships.objects.bulk_create(memberships(user=u, group=group) for u in people)
    # Supervisors must use two-factor login (home.middleware.StaffMFAMiddleware): enrol each with
    # an authenticator of its own, as the set-up page would.
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import generate_totp_secret
    from allauth.mfa.utils import encrypt

    Authenticator.objects.bulk_create(
        Authenticator(
            user=u, type=Authenticator.Type.TOTP, data={"secret": encrypt(generate_totp_secret())}
        )
        for u in supervisors
    )

    cohorts = [
        Cohort(name=f"Scale cohort {c + 1:02d}", starts_on=joined.date())
        for c in range(scale.cohorts)
    ]
    cohorts = Cohort.objects.bulk_create(cohorts)
    size = -(-len(trainees) // len(cohorts))
    members = {c.pk: trainees[i * size : (i + 1) * size] for i, c in enumerate(cohorts)}
    with explicit_timestamps(CohortMembership, SupervisorAssignment):
        CohortMembership.objects.bulk_create(
            CohortMembership(cohort_id=cid, trainee=t, joined_at=joined)
            for cid, people in members.items()
            for t in people
        )
        # The first supervisor leads the programme (every trainee), the second has a tenth of
        # them; the rest share the cohorts.
        pairs = [(supervisors[0], t) for t in trainees]
        if len(supervisors) > 1:
            pairs += [(supervisors[1], t) for t in trainees[: scale.small_supervisor_trainees]]
        for j, supervisor in enumerate(supervisors[2:]):
            cohort = cohorts[j % len(cohorts)]
            pairs += [(supervisor, t) for t in members[cohort.pk]]
        SupervisorAssignment.objects.bulk_create(
            SupervisorAssignment(
                supervisor=s, trainee=t, starts_on=joined.date(), created_at=joined
            )
            for s, t in pairs
        )
    return trainees, supervisors


# --- History --------------------------------------------------------------------------------


@dataclass
class _Profile:
    trainee: User
    attempts: int
    start: datetime.datetime
    end: datetime.datetime
    lessons: int


def _profiles(scale: Scale, rng: random.Random, trainees, lesson_total: int) -> list[_Profile]:
    """Who did how much, when: a few never started, some stopped over a month ago."""
    now = timezone.now()
    weights = []
    for _ in trainees:
        roll = rng.random()
        weights.append(0.0 if roll < 0.05 else rng.uniform(0.3, 1.7))
    total = sum(weights) or 1.0
    profiles = []
    for trainee, weight in zip(trainees, weights, strict=True):
        if not weight:
            profiles.append(_Profile(trainee, 0, now, now, 0))
            continue
        start = now - datetime.timedelta(days=rng.uniform(scale.days * 0.5, scale.days))
        inactive = rng.random() < 0.15
        end = now - datetime.timedelta(days=rng.uniform(35, 60) if inactive else rng.uniform(0, 3))
        lessons = lesson_total if rng.random() < 0.5 else rng.randint(1, lesson_total)
        profiles.append(
            _Profile(trainee, round(weight / total * scale.attempts), start, end, lessons)
        )
    return profiles


def _moment(rng, profile: _Profile, share: float) -> datetime.datetime:
    span = (profile.end - profile.start).total_seconds()
    return profile.start + datetime.timedelta(seconds=span * min(1.0, max(0.0, share)))


def _history(scale: Scale, rng: random.Random, trainees, vignettes, *, lessons: bool = True):
    from curriculum.models import LessonCompletion, LessonPage

    lesson_ids = list(LessonPage.objects.live().order_by("path").values_list("id", flat=True))
    profiles = _profiles(scale, rng, trainees, len(lesson_ids))
    quizzes = _quiz_bank()
    cases = _case_routes(rng, vignettes)
    counts = {"quiz_attempts": 0, "case_attempts": 0, "evidence": 0, "lesson_completions": 0}
    if lessons:
        insert_rows(
            LessonCompletion,
            ["user", "lesson", "completed_at"],
            (
                (p.trainee.pk, lesson_id, db_value(_moment(rng, p, n / max(1, p.lessons))))
                for p in profiles
                for n, lesson_id in enumerate(lesson_ids[: p.lessons])
            ),
        )
    counts["lesson_completions"] = sum(p.lessons for p in profiles) if lessons else 0
    chunk = 50
    for first in range(0, len(profiles), chunk):
        done = _history_chunk(rng, profiles[first : first + chunk], quizzes, cases)
        for key, value in done.items():
            counts[key] += value
    return counts


@dataclass
class _Quiz:
    page_id: int
    revision_id: int
    pass_mark: int
    specs: list


def _quiz_bank() -> list[_Quiz]:
    from assessments import services
    from assessments.models import QuizPage

    bank = []
    for quiz in QuizPage.objects.live().order_by("path").select_related("live_revision"):
        content = quiz.live_revision.content
        bank.append(
            _Quiz(
                quiz.pk,
                quiz.live_revision_id,
                content.get("pass_mark", 70),
                services.specs_from_revision(content),
            )
        )
    return bank


def _response(rng: random.Random, spec, skill: float) -> dict:
    """A plausible answer to one question: right with probability ``skill`` per part."""
    options = list(spec.options)
    if spec.kind == "single":
        right = next(o.key for o in options if o.correct)
        wrong = [o.key for o in options if not o.correct]
        return {"choice": right if rng.random() < skill or not wrong else rng.choice(wrong)}
    if spec.kind in ("multiple", "factor_recognition"):
        return {"choices": [o.key for o in options if (rng.random() < skill) == bool(o.correct)]}
    if spec.kind == "intervention_matching":
        offered = [slug for slug, _ in spec.intervention_choices]
        return {
            "matches": {
                p.key: p.intervention if rng.random() < skill else rng.choice(offered)
                for p in spec.pairs
            }
        }
    if spec.kind == "ordering":
        order = [o.key for o in options]
        if rng.random() > skill:
            rng.shuffle(order)
        return {"order": order}
    return {"text": "I would ask how things are at home and what worries them most."}


@dataclass
class _Route:
    steps: list  # (node, kind, choices, values, scores, maxima, band, next node)


def _case_routes(rng: random.Random, vignettes) -> list[tuple]:
    """For each vignette, a handful of complete plays (the best route and random ones), worked
    out once with the engine; attempts reuse them."""
    from cases import engine, services

    out = []
    for page in vignettes:
        graph = services.graph_of_revision(page.live_revision)
        best = dict(engine.best_path(graph))
        routes = []
        for variant in range(6):
            state, steps = engine.State.initial(graph), []
            while graph[state.node].kind != "ending":
                node = graph[state.node]
                choices, values = (), ()
                if node.kind == "decide":
                    ids = [o.id for o in node.options]
                    choices = (best[node.id] if variant == 0 else rng.choice(ids),)
                elif node.kind in engine.SELECT_KINDS:
                    choices = tuple(
                        o.id
                        for o in node.options
                        if (variant == 0 or rng.random() < 0.8) == bool(o.correct)
                    )
                elif node.kind == "screen":
                    values = tuple(node.key)
                step = engine.advance(graph, state, engine.Response(node.id, choices, values))
                steps.append(
                    (
                        node.id,
                        node.kind,
                        list(choices),
                        list(values),
                        step.scores,
                        step.maxima,
                        step.band or "",
                        step.state.node,
                    )
                )
                state = step.state
            routes.append(_Route(steps))
        out.append((page, routes))
    return out


def _history_chunk(rng, profiles, quizzes, cases) -> dict:
    from assessments.models import AttemptStatus, Evidence, QuizAnswer, QuizAttempt
    from cases.models import VignetteAttempt, VignetteStep
    from competencies.models import ClinicalSetting, CompetencyElement

    elements = dict(CompetencyElement.objects.values_list("code", "id"))
    settings = dict(ClinicalSetting.objects.values_list("slug", "id"))
    plans = []  # (profile, when, skill, quiz or (page, route))
    for p in profiles:
        for n in range(p.attempts):
            share = (n + rng.random()) / p.attempts
            skill = 0.45 + 0.5 * share
            if rng.random() < 0.5:
                # Quizzes roughly in course order, as a trainee goes through the modules.
                position = min(len(quizzes) - 1, int(share * len(quizzes) + rng.uniform(-1, 1)))
                plans.append((p, _moment(rng, p, share), skill, quizzes[max(0, position)]))
            else:
                page, routes = rng.choice(cases)
                route = routes[0] if rng.random() < skill - 0.3 else rng.choice(routes[1:])
                plans.append((p, _moment(rng, p, share), skill, (page, route)))
    quiz_plans = [plan for plan in plans if isinstance(plan[3], _Quiz)]
    case_plans = [plan for plan in plans if not isinstance(plan[3], _Quiz)]
    evidence: list[tuple] = []
    answers: list[tuple] = []
    steps: list[tuple] = []
    with explicit_timestamps(QuizAttempt, VignetteAttempt):
        attempts, scored = [], []
        for p, when, skill, quiz in quiz_plans:
            rows, total, available = [], 0.0, 0.0
            for spec in quiz.specs:
                response = _response(rng, spec, skill)
                score = _score(spec, response)
                rows.append((spec, response, score))
                if score is not None:
                    total += score.points
                    available += score.max_points
            passed = available > 0 and 100 * total / available >= quiz.pass_mark - 1e-9
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
                    passed=passed,
                )
            )
            scored.append(rows)
        attempts = QuizAttempt.objects.bulk_create(attempts, batch_size=2000)
        for attempt, rows in zip(attempts, scored, strict=True):
            when = db_value(attempt.submitted_at)
            for spec, response, score in rows:
                answers.append(
                    (
                        attempt.pk,
                        spec.key,
                        json.dumps(response),
                        True,
                        score.points if score else None,
                        score.max_points if score else None,
                        when,
                    )
                )
                if score is None:
                    continue
                for code in spec.elements:
                    evidence.append(
                        (
                            attempt.trainee_id,
                            elements[code],
                            score.points,
                            score.max_points,
                            Evidence.Source.QUIZ.value,
                            f"quiz:{spec.key}",
                            settings.get(spec.setting),
                            attempt.pk,
                            None,
                            when,
                        )
                    )
        plays = []
        for p, when, _skill, (page, route) in case_plans:
            length = len(route.steps)
            finished = when + datetime.timedelta(minutes=2 * length)
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
            for seq, (node, kind, choices, values, scores, maxima, band, nxt) in enumerate(
                route.steps
            ):
                moment = db_value(when + datetime.timedelta(minutes=2 * seq + 1))
                steps.append(
                    (
                        attempt.pk,
                        seq,
                        node,
                        kind,
                        choices,
                        values,
                        scores,
                        maxima,
                        band,
                        nxt,
                        moment,
                    )
                )
                for code, maximum in maxima.items():
                    evidence.append(
                        (
                            attempt.trainee_id,
                            elements[code],
                            scores.get(code, 0.0),
                            maximum,
                            Evidence.Source.VIGNETTE.value,
                            f"case:{page.pk}:{node}",
                            page.setting_id,
                            None,
                            attempt.pk,
                            moment,
                        )
                    )
    insert_rows(
        QuizAnswer,
        ["attempt", "question_key", "response", "locked", "score", "max_score", "saved_at"],
        answers,
    )
    insert_rows(
        VignetteStep,
        [
            "attempt",
            "seq",
            "node",
            "kind",
            "choices",
            "values",
            "scores",
            "maxima",
            "band",
            "next_node",
            "created_at",
        ],
        (
            (
                a,
                seq,
                node,
                kind,
                json.dumps(c),
                json.dumps(v),
                json.dumps(sc),
                json.dumps(mx),
                *rest,
            )
            for a, seq, node, kind, c, v, sc, mx, *rest in steps
        ),
    )
    insert_rows(
        Evidence,
        [
            "trainee",
            "element",
            "score",
            "max_score",
            "source",
            "item_key",
            "setting",
            "quiz_attempt",
            "vignette_attempt",
            "created_at",
        ],
        evidence,
    )
    return {
        "quiz_attempts": len(attempts),
        "case_attempts": len(plays),
        "evidence": len(evidence),
    }


def _score(spec, response):
    from assessments.engine import quiz_logic

    return quiz_logic.score_response(spec, response)


# --- Sign-off --------------------------------------------------------------------------------


def _sign_offs(scale: Scale, rng: random.Random, trainees, supervisors) -> dict:
    """Some ready trainees ask for sign-off; the lead supervisor signs a few of them off."""
    from progress.readiness_sql import ready_trainee_ids
    from supervision.models import SignOffRequest

    ready = sorted(ready_trainee_ids([t.pk for t in trainees]))
    asked = rng.sample(ready, k=min(len(ready), max(1, scale.trainees // 40))) if ready else []
    with explicit_timestamps(SignOffRequest):
        SignOffRequest.objects.bulk_create(
            SignOffRequest(
                trainee_id=pk,
                message="I think I am ready: please review my evidence.",
                created_at=timezone.now() - datetime.timedelta(days=rng.uniform(1, 20)),
            )
            for pk in asked
        )
    people = User.objects.in_bulk(asked[:10])
    signed = 0
    for pk in asked[:10]:
        supervision_services.sign_off_record(
            supervisor=supervisors[0],
            trainee=people[pk],
            decision="competent",
            level=3,
            feedback="Clear, kind questions and well-matched plans across settings.",
            reauthenticated_at=time.time(),
        )
        signed += 1
    return {"ready": len(ready), "sign_off_requests": len(asked), "sign_offs": signed}


# --- Proof -----------------------------------------------------------------------------------


def replay_check(*, sample: int = 20, seed: int = 11) -> list[str]:
    """Replay the evidence of ``sample`` scale trainees, row by row in time order, through
    ``evidence_record`` (the route every quiz and case step takes) for a stand-in trainee, and
    compare the summaries it keeps with those the bulk build stored. Nothing is kept: the
    replay runs in a transaction that is rolled back. Returns the differences (none is good)."""
    from assessments.models import ElementMastery, Evidence, ItemScore
    from assessments.services import evidence_record
    from competencies.models import ClinicalSetting

    ids = list(
        User.objects.filter(email__startswith="scale-t", email__endswith=EMAIL_DOMAIN)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    chosen = random.Random(seed).sample(ids, k=min(sample, len(ids)))
    settings = ClinicalSetting.objects.in_bulk()
    problems: list[str] = []

    def summaries(trainee_id):
        masteries = {
            m.element_id: (m.items, m.settings_count, None if m.mean is None else round(m.mean, 9))
            for m in ElementMastery.objects.filter(trainee_id=trainee_id)
        }
        items = {
            (s.element_id, s.item_key): (s.setting_id, s.points, s.max_points)
            for s in ItemScore.objects.filter(trainee_id=trainee_id)
        }
        return masteries, items

    class _Rollback(Exception):
        pass

    with contextlib.suppress(_Rollback), transaction.atomic():
        for trainee_id in chosen:
            stand_in = User.objects.create(
                username=f"replay-{trainee_id}", email=f"replay-{trainee_id}@{EMAIL_DOMAIN}"
            )
            rows = Evidence.objects.filter(trainee_id=trainee_id).select_related("element")
            for row in rows.order_by("created_at", "id"):
                evidence_record(
                    trainee=stand_in,
                    element_codes=[row.element.code],
                    points=row.score,
                    max_points=row.max_score,
                    source=row.source,
                    item_key=row.item_key,
                    setting=settings.get(row.setting_id),
                )
            if summaries(trainee_id) != summaries(stand_in.pk):
                problems.append(f"trainee {trainee_id}: summaries differ from the replay")
        raise _Rollback
    return problems

"""The readiness rule, written once (``progress.readiness``) with its SQL twin beside it
(``progress.readiness_sql``): the pure rule against its statement, then the two held equal on
many generated trainees (random summaries, lessons and policies), on whichever database the
suite runs on."""

import datetime
import random

import pytest
from django.contrib.auth import get_user_model
from hypothesis import given
from hypothesis import strategies as st

from assessments.engine import mastery
from assessments.models import (
    ElementMastery,
    MasteryPolicy,
    Observation,
    ObservationRating,
)
from competencies.models import ClinicalSetting, CompetencyElement
from curriculum.models import LessonCompletion, LessonPage
from home import caching
from home.roles import Role
from progress import readiness, readiness_sql
from progress.selectors import trainee_progress
from supervision import selectors as supervision_selectors
from supervision import services as supervision_services
from tests.curriculum.conftest import build_course
from tests.factories import make_user

policies = st.builds(
    mastery.Policy,
    min_items=st.integers(1, 6),
    min_settings=st.integers(1, 3),
    threshold=st.integers(1, 100).map(lambda p: p / 100),
    observations_needed=st.integers(0, 3),
    observation_level=st.integers(1, 5),
)
summaries = st.none() | st.builds(
    readiness.Summary,
    items=st.integers(0, 8),
    settings=st.integers(0, 4),
    mean=st.none() | st.floats(0, 1) | st.sampled_from([0.0, 0.5, 0.69, 0.7, 0.71, 1.0]),
    observed=st.integers(0, 4),
)


@st.composite
def rule_inputs(draw):
    elements = draw(st.lists(summaries, max_size=6))
    core_total = draw(st.integers(0, 5))
    return {
        "elements": [(f"Element {i}", s) for i, s in enumerate(elements)],
        "core_done": draw(st.integers(0, core_total)),
        "core_total": core_total,
        "policy": draw(policies),
    }


def _met_as_stated(summary: readiness.Summary | None, policy: mastery.Policy) -> bool:
    """The rule in the words the dashboard gives trainees."""
    s = summary or readiness.Summary()
    return (
        s.items >= policy.min_items
        and s.settings >= policy.min_settings
        and s.mean is not None
        and s.mean >= policy.threshold - 1e-9
    )


@given(rule_inputs())
def test_ready_means_every_core_lesson_and_every_element_met(case):
    verdict = readiness.judge(**case)
    stated = (
        case["core_total"] > 0
        and case["core_done"] == case["core_total"]
        and all(_met_as_stated(s, case["policy"]) for _, s in case["elements"])
        and all(
            (s or readiness.Summary()).observed >= case["policy"].observations_needed
            for _, s in case["elements"]
        )
    )
    assert verdict.ready == stated
    assert [m.met for m in verdict.elements] == [
        _met_as_stated(s, case["policy"]) for _, s in case["elements"]
    ]


@given(rule_inputs())
def test_not_ready_always_says_what_is_missing_and_ready_says_nothing(case):
    verdict = readiness.judge(**case)
    assert verdict.ready == (not verdict.missing)
    for (name, summary), judged, needed in zip(
        case["elements"], verdict.elements, verdict.observations_needed, strict=True
    ):
        named = [line for line in verdict.missing if f"“{name}”" in line]
        assert bool(named) == (not judged.met or needed > 0), (summary, named)
        observed = [line for line in named if "observation" in line]
        assert bool(observed) == (needed > 0)


def test_the_words_of_what_is_missing():
    policy = mastery.Policy(min_items=4, min_settings=2, threshold=0.7)
    verdict = readiness.judge(
        elements=[
            ("Elicit", None),
            ("Identify", readiness.Summary(items=5, settings=2, mean=0.5)),
            ("Match", readiness.Summary(items=3, settings=1, mean=0.9)),
        ],
        core_done=1,
        core_total=3,
        policy=policy,
    )
    assert verdict.missing == (
        "Complete 2 more core lessons.",
        "4 more questions or case steps for “Elicit”.",
        "Case evidence from 2 more clinical settings for “Elicit”.",
        "Raise your average for “Identify” from 50% to 70%, with "
        "questions or cases you have not answered before.",
        "1 more question or case step for “Match”.",
        "Case evidence from 1 more clinical setting for “Match”.",
    )
    observing = mastery.Policy(
        min_items=1, min_settings=1, threshold=0.5, observations_needed=2, observation_level=4
    )
    strong = readiness.Summary(items=1, settings=1, mean=1.0, observed=1)
    verdict = readiness.judge(
        elements=[("Elicit", strong), ("Match", None)], core_done=1, core_total=1, policy=observing
    )
    assert not verdict.ready
    assert verdict.missing == (
        "1 more observation of your practice rated level 4 or above for “Elicit”.",
        "1 more question or case step for “Match”.",
        "Case evidence from 1 more clinical setting for “Match”.",
        "2 more observations of your practice rated level 4 or above for “Match”.",
    )
    done = readiness.Summary(items=1, settings=1, mean=1.0, observed=2)
    assert readiness.judge(
        elements=[("Elicit", done)], core_done=1, core_total=1, policy=observing
    ).ready
    empty = readiness.judge(elements=[], core_done=0, core_total=0, policy=policy)
    assert not empty.ready and empty.missing == ("The course has no core lessons published yet.",)


# --- The pure rule and its SQL twin, on generated trainees ---------------------------------

TRAINEES = 24
ROUNDS = 8


def _summary(rng: random.Random, policy: mastery.Policy, profile: str) -> dict | None:
    """A stored summary for one element: strong, at the very edge of the policy (or one short
    of it), or anything at all (no row, a NULL mean)."""
    n, k, t = policy.min_items, policy.min_settings, policy.threshold
    if profile == "strong":
        return {"items": n + rng.randint(0, 3), "settings_count": k + 1, "mean": 1.0}
    if profile == "edge":
        short = rng.random() < 0.15
        which = rng.choice(["items", "settings", "mean"]) if short else None
        return {
            "items": n - (which == "items"),
            "settings_count": k - (which == "settings"),
            "mean": round(t - 0.01, 2) if which == "mean" else t,
        }
    if rng.random() < 0.25:
        return None
    mean = rng.choice([None, rng.random(), t, 1.0])
    return {"items": rng.randint(0, 8), "settings_count": rng.randint(0, 4), "mean": mean}


def _generate(rng: random.Random, trainees, elements, lessons) -> mastery.Policy:
    """A random policy, random core lessons, and random summaries and completions for each
    trainee, stored; the caches of what changed behind the models' backs are dropped."""
    stored = MasteryPolicy.load()
    stored.min_items, stored.min_settings = rng.randint(1, 5), rng.randint(1, 3)
    stored.threshold_percent = rng.choice([1, 50, 69, 70, 71, 100, rng.randint(1, 100)])
    stored.observations_needed = rng.choice([0, 0, 1, 2])
    stored.observation_level = rng.randint(1, 5)
    stored.save()
    policy = stored.as_policy()
    core = {lesson.pk for lesson in lessons if rng.random() < 0.7}
    if rng.random() < 0.15:
        core = set()  # nothing published is core: nobody can be ready
    LessonPage.objects.filter(pk__in=core).update(is_core=True)
    LessonPage.objects.exclude(pk__in=core).update(is_core=False)
    ElementMastery.objects.filter(trainee__in=trainees).delete()
    LessonCompletion.objects.filter(user__in=trainees).delete()
    rows, done = [], []
    for trainee in trainees:
        profile = rng.choice(["strong", "edge", "any"])
        for element in elements:
            summary = _summary(rng, policy, profile)
            if summary is not None:
                rows.append(ElementMastery(trainee=trainee, element=element, **summary))
        finished = lessons if profile != "any" else rng.sample(lessons, rng.randint(0, 4))
        if rng.random() < 0.2:
            finished = finished[1:]
        done.extend(LessonCompletion(user=trainee, lesson=lesson) for lesson in finished)
    ElementMastery.objects.bulk_create(rows)
    LessonCompletion.objects.bulk_create(done)
    _observe(rng, policy, trainees, elements)
    caching.content_changed()  # is_core was updated without signals
    caching.records_changed(*(t.pk for t in trainees))  # so were the records
    return policy


def _observe(rng: random.Random, policy: mastery.Policy, trainees, elements) -> None:
    """New observations for some trainees: per element, ratings just at the policy's level,
    one below it, or none (observations are append-only, so each round adds to the last)."""
    supervisor, setting = _observer(), ClinicalSetting.objects.order_by("pk").first()
    for trainee in trainees:
        if rng.random() < 0.3:
            continue
        observation = Observation.objects.create(
            trainee=trainee,
            supervisor=supervisor,
            observed_on=datetime.date(2026, 1, 1),
            setting=setting,
            activity="A first assessment.",
            went_well="Listening.",
            next_steps="Ask about mood.",
        )
        ratings = []
        for element in elements:
            level = policy.observation_level + rng.choice([0, 0, 1, -1])
            if rng.random() < 0.8 and 1 <= level <= 5:
                ratings.append(
                    ObservationRating(
                        observation=observation, trainee=trainee, element=element, rating=level
                    )
                )
        ObservationRating.objects.bulk_create(ratings)


def _observer():
    email = "observer@test.example"
    found = get_user_model().objects.filter(email=email).first()
    return found or make_user(Role.SUPERVISOR, email=email, enrol_mfa=False)


@pytest.mark.django_db
def test_the_rule_and_its_sql_twin_agree_on_generated_trainees():
    _, _, lessons = build_course(modules=2, lessons_per_module=2)
    elements = list(CompetencyElement.objects.order_by("order"))
    supervisor = make_user(Role.SUPERVISOR, email="lead@test.example")
    trainees = [
        make_user(Role.TRAINEE, email=f"t{i}@test.example", enrol_mfa=False)
        for i in range(TRAINEES)
    ]
    for trainee in trainees:
        supervision_services.supervisor_assign(supervisor=supervisor, trainee=trainee)
    rng = random.Random(20261204)
    outcomes = {True: 0, False: 0}
    short_of_observations = 0
    for _ in range(ROUNDS):
        _generate(rng, trainees, elements, lessons)
        by_rule = {t.pk: trainee_progress(user=t) for t in trainees}
        in_sql = readiness_sql.ready_trainee_ids([t.pk for t in trainees])
        assert {pk for pk, p in by_rule.items() if p["ready"]} == in_sql
        # The supervisor's table filters on the twin and shows the rule's elements.
        table = supervision_selectors.trainee_table(supervisor=supervisor, show="ready")
        assert set(table["trainees"]) == in_sql
        for row in supervision_selectors.rows_for([t.pk for t in trainees], table):
            progress = by_rule[row["trainee"].pk]
            assert row["ready"] == progress["ready"]
            assert row["lessons_done"] == progress["core_done"]
            assert row["mastery"] == [r["mastery"] for r in progress["elements"]]
        for progress in by_rule.values():
            outcomes[progress["ready"]] += 1
            missing = progress["missing"]
            short_of_observations += bool(missing) and all("observation" in m for m in missing)
    # The generator is worth something only if it makes both verdicts, and often; and if
    # observed practice alone holds some trainees back.
    assert min(outcomes.values()) >= ROUNDS * TRAINEES // 10, outcomes
    assert short_of_observations >= 3, short_of_observations

"""The readiness rule (``progress.readiness``) as SQL: the same verdict for many trainees at once,
worked out by the database, for pages that filter, sort or count trainees by readiness (the
supervisor's table) where judging each trainee in Python would cost a query or more apiece.

Keep it in step with ``progress.readiness``: tests/progress/test_readiness.py generates many
trainees with random summaries, lessons and policies and holds the two equal, on SQLite and
PostgreSQL.
"""

from collections.abc import Sequence

from django.contrib.auth import get_user_model
from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from assessments.engine import mastery
from assessments.models import ElementMastery, ObservationRating
from assessments.selectors import mastery_policy
from competencies import selectors as competency_selectors
from competencies.models import CompetencyElement
from curriculum import selectors as curriculum_selectors
from curriculum.models import LessonCompletion

User = get_user_model()


def met_filter(policy: mastery.Policy) -> Q:
    """``mastery.Mastery.met`` as a filter on ``ElementMastery`` rows (a NULL mean is never
    met, as ``None`` is not in Python)."""
    return Q(
        items__gte=policy.min_items,
        settings_count__gte=policy.min_settings,
        mean__gte=policy.threshold - 1e-9,
    )


def count_of(queryset: QuerySet, field: str) -> Coalesce:
    """The number of rows of ``queryset`` (correlated on ``field``) as a subquery, 0 for none."""
    return Coalesce(
        Subquery(queryset.values(field).annotate(n=Count("pk")).values("n")[:1]),
        0,
        output_field=IntegerField(),
    )


def observations_short(policy: mastery.Policy, element_ids: Sequence[int]) -> Exists:
    """For a trainee (the outer query), is any element short of the observations the policy
    asks for (``observations_needed`` ratings at ``observation_level`` or above)?"""
    rated = ObservationRating.objects.filter(
        trainee=OuterRef(OuterRef("pk")),
        element=OuterRef("pk"),
        rating__gte=policy.observation_level,
    )
    short = (
        CompetencyElement.objects.filter(pk__in=element_ids)
        .annotate(observed=count_of(rated, "element"))
        .filter(observed__lt=policy.observations_needed)
    )
    return Exists(short)


def with_readiness(
    trainees: QuerySet,
    *,
    policy: mastery.Policy,
    element_ids: Sequence[int],
    core_ids: Sequence[int],
) -> QuerySet:
    """``trainees`` (users) annotated with ``met_count`` (elements met), ``core_done`` (core
    lessons done) and ``ready``, the rule's verdict (observed practice counted only when the
    policy asks for it)."""
    mine = OuterRef("pk")
    met = ElementMastery.objects.filter(
        met_filter(policy), trainee=mine, element_id__in=element_ids
    )
    done = LessonCompletion.objects.filter(user=mine, lesson_id__in=core_ids)
    observed = Q()
    if policy.observations_needed:
        observed = ~Q(observations_short(policy, element_ids))
    return trainees.annotate(
        met_count=count_of(met, "trainee"),
        core_done=count_of(done, "user"),
        # Nobody is ready before any core lesson is published.
        ready=Case(
            When(
                Q(met_count__gte=len(element_ids), core_done__gte=len(core_ids)) & observed,
                then=Value(True),
            ),
            default=Value(False),
            output_field=BooleanField(),
        )
        if core_ids
        else Value(False, output_field=BooleanField()),
    )


def readiness_inputs() -> dict:
    """What the rule reads besides a trainee's records, all cached with the content: the
    policy, the elements and the live core lessons."""
    return {
        "policy": mastery_policy(),
        "element_ids": [e.pk for e in competency_selectors.elements_in_order()],
        "core_ids": sorted(curriculum_selectors.core_lesson_ids()),
    }


def ready_trainee_ids(trainee_ids) -> set[int]:
    """Which of these trainees are ready for sign-off, by the current policy."""
    trainees = with_readiness(User.objects.filter(pk__in=trainee_ids), **readiness_inputs())
    return set(trainees.filter(ready=True).values_list("pk", flat=True))

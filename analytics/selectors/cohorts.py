"""The cohort report: per cohort, how far its trainees have gone (the funnel from joining to a
competent sign-off), the share at mastery of each element at each month end, who has been
inactive for four weeks, and the observations recorded per element.

Every figure comes from a grouped query over the cohort's trainees; the report costs the same
number of queries whatever the cohort's size. Readiness is ``progress.readiness_sql`` (the SQL
twin of the readiness rule) and mastery at a month end applies the mastery rule
(``assessments.engine.mastery``: the first score per item counts, distinct items, settings from
case items only, mean against the policy's threshold) to the evidence recorded before that month
end.
"""

import datetime
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.utils import timezone

from assessments.engine import mastery
from assessments.models import AttemptStatus, Evidence, ObservationRating, QuizAttempt
from cases.models import VignetteAttempt
from competencies.selectors import elements_in_order
from curriculum.models import LessonCompletion
from progress.readiness_sql import readiness_inputs, with_readiness
from supervision.models import (
    Cohort,
    CohortMembership,
    SignOffRecord,
    SignOffRequest,
    SupervisorAssignment,
)

User = get_user_model()

INACTIVE_DAYS = 30
MONTHS = 12  # month ends shown, the latest last
SETTINGS = mastery.SETTINGS_LEVEL  # the level of evidence whose clinical settings count

FUNNEL_STEPS = (
    ("joined", "Joined the cohort"),
    ("started", "Completed at least one lesson"),
    ("core_finished", "Completed every core lesson"),
    ("quizzed", "Submitted a quiz"),
    ("played", "Played a case"),
    ("ready", "Ready for sign-off"),
    ("asked", "Asked for sign-off"),
    ("signed_off", "Signed off competent"),
)


@dataclass(frozen=True)
class FunnelStep:
    key: str
    label: str
    count: int
    percent: int | None  # of those who joined


@dataclass(frozen=True)
class MonthEnd:
    label: str  # "March 2026", or "December 2026 (so far)"
    at: datetime.datetime  # evidence recorded before this instant counts


@dataclass(frozen=True)
class ElementMonths:
    code: str
    name: str
    met: tuple[int, ...]  # trainees at mastery at each month end, in ``CohortReport.months``
    percent: tuple[int | None, ...]

    @property
    def cells(self) -> tuple[tuple[int, int | None], ...]:
        return tuple(zip(self.met, self.percent, strict=True))


@dataclass(frozen=True)
class InactiveTrainee:
    name: str
    last_active: datetime.datetime | None  # None: nothing recorded yet


@dataclass(frozen=True)
class ElementObservations:
    code: str
    name: str
    ratings: int  # observations that rated this element
    trainees: int  # distinct trainees observed on it


@dataclass(frozen=True)
class CohortReport:
    cohort: Cohort
    members: int
    funnel: tuple[FunnelStep, ...]
    months: tuple[MonthEnd, ...]
    mastery: tuple[ElementMonths, ...]
    inactive: tuple[InactiveTrainee, ...]
    inactive_since: datetime.datetime
    observations: tuple[ElementObservations, ...]


def cohorts_with_members(*, supervisor=None):
    """Every cohort with its number of trainees (one query). For a supervisor: only the
    cohorts with at least one of their current trainees, counting those trainees only."""
    if supervisor is None:
        return Cohort.objects.annotate(members_n=Count("memberships"))
    theirs = Q(memberships__trainee__in=_supervised_by(supervisor))
    return (
        Cohort.objects.annotate(members_n=Count("memberships", filter=theirs))
        .filter(members_n__gt=0)
        .order_by("-starts_on", "name")
    )


def _percent(part: int, whole: int) -> int | None:
    return round(100 * part / whole) if whole else None


def _supervised_by(supervisor):
    """The ids of the trainees a supervisor is assigned to today."""
    return SupervisorAssignment.objects.current().filter(supervisor=supervisor).values("trainee_id")


def _members(cohort: Cohort, supervisor=None):
    """The cohort's trainees; for a supervisor, only those they supervise today (a supervisor
    sees figures about their own trainees and no one else's)."""
    people = User.objects.filter(
        pk__in=CohortMembership.objects.filter(cohort=cohort).values("trainee_id")
    )
    if supervisor is not None:
        people = people.filter(pk__in=_supervised_by(supervisor))
    return people


def _funnel(cohort: Cohort, inputs: dict, supervisor=None) -> dict[str, int]:
    """One query: each step's count among the cohort's trainees. Each step is a condition
    written out inside its count (a filter on an annotation would be dropped from the inner
    query Django builds for an aggregate over annotations)."""
    core_ids = inputs["core_ids"]
    mine = OuterRef("pk")
    judged = with_readiness(_members(cohort, supervisor), **inputs)
    finished = Q(pk__in=judged.filter(core_done__gte=len(core_ids)).values("pk"))
    revoked = SignOffRecord.objects.filter(revokes=OuterRef("pk"))
    steps = {
        "started": Q(Exists(LessonCompletion.objects.filter(user=mine))),
        "core_finished": finished,
        "quizzed": Q(
            Exists(QuizAttempt.objects.filter(trainee=mine, status=AttemptStatus.SUBMITTED))
        ),
        "played": Q(Exists(VignetteAttempt.objects.filter(trainee=mine))),
        "ready": Q(pk__in=judged.filter(ready=True).values("pk")),
        "asked": Q(Exists(SignOffRequest.objects.filter(trainee=mine))),
        "signed_off": Q(
            Exists(
                SignOffRecord.objects.filter(
                    trainee=mine, decision=SignOffRecord.Decision.COMPETENT
                ).exclude(Exists(revoked))
            )
        ),
    }
    if not core_ids:  # nobody has finished the core lessons (or is ready) before one is live
        steps["core_finished"] = steps["ready"] = Q(pk=None)
    return _members(cohort, supervisor).aggregate(
        joined=Count("pk"), **{key: Count("pk", filter=q) for key, q in steps.items()}
    )


def month_ends(cohort: Cohort, now: datetime.datetime) -> tuple[MonthEnd, ...]:
    """The ends of the months from the cohort's start (at most the last ``MONTHS``) up to now:
    the first instant of the next month in the site's time zone; the current month ends now."""
    zone = timezone.get_current_timezone()
    today = timezone.localtime(now, zone).date()
    first = cohort.starts_on.replace(day=1)
    last = today.replace(day=1)
    if cohort.ends_on and cohort.ends_on < today:
        last = cohort.ends_on.replace(day=1)
    months = []
    month = first
    while month <= last:
        months.append(month)
        month = (month + datetime.timedelta(days=32)).replace(day=1)
    ends = []
    for month in months[-MONTHS:]:
        following = (month + datetime.timedelta(days=32)).replace(day=1)
        at = datetime.datetime.combine(following, datetime.time.min, tzinfo=zone)
        label = month.strftime("%B %Y")
        if at > now:
            at, label = now, f"{label} (so far)"
        ends.append(MonthEnd(label=label, at=at))
    return tuple(ends)


def _mastery_by_month(
    cohort: Cohort, months: tuple[MonthEnd, ...], policy: mastery.Policy, supervisor=None
) -> dict[int, list[int]]:
    """One query: per element, how many of the cohort's trainees met the mastery rule on the
    evidence recorded before each month end. The rule (``assessments.engine.mastery``): per
    trainee, element and item only the first answer counts (by time, then id: a window
    function numbers the answers), later ones are practice; so at a month end the evidence is
    the first answers recorded before it. Items with credit available (``max_score > 0``) give
    the distinct items and the mean; clinical settings are counted from case items only (keys
    starting ``case:``); the three are compared with the policy as ``mastery.Mastery.met``
    does."""
    if not months:
        return {}
    q = connection.ops.quote_name
    evidence = Evidence._meta
    members_sql, members_params = _members(cohort, supervisor).values("pk").query.sql_with_params()
    per_month, verdicts, month_params, verdict_params = [], [], [], []
    for n, month in enumerate(months):
        at = connection.ops.adapt_datetimefield_value(month.at)
        per_month.append(
            f"COUNT(CASE WHEN created_at < %s THEN 1 END) AS items_{n}, "
            f"COUNT(DISTINCT CASE WHEN created_at < %s THEN case_setting_id END) "
            f"AS settings_{n}, "
            f"AVG(CASE WHEN created_at < %s THEN score / max_score END) AS mean_{n}"
        )
        month_params += [at, at, at]
        verdicts.append(
            f"SUM(CASE WHEN items_{n} >= %s AND settings_{n} >= %s AND mean_{n} >= %s "
            f"THEN 1 ELSE 0 END)"
        )
        verdict_params += [policy.min_items, policy.min_settings, policy.threshold - 1e-9]
    # The item keys whose settings count (``case:…``), from the engine's levels.
    prefixes = [f"{kind}:" for kind, level in mastery.LEVELS.items() if level == SETTINGS]
    settings_items = " OR ".join([f"SUBSTR(e.{q('item_key')}, 1, %s) = %s"] * len(prefixes))
    sql = f"""
        WITH cohort_evidence AS (
            SELECT e.{q("trainee_id")} AS trainee_id, e.{q("element_id")} AS element_id,
                CASE WHEN {settings_items or "1 = 0"}
                    THEN e.{q("setting_id")} END AS case_setting_id,
                e.{q("score")} AS score, e.{q("max_score")} AS max_score,
                e.{q("created_at")} AS created_at,
                ROW_NUMBER() OVER (
                    PARTITION BY e.{q("trainee_id")}, e.{q("element_id")}, e.{q("item_key")}
                    ORDER BY e.{q("created_at")}, e.{q("id")}
                ) AS nth
            FROM {q(evidence.db_table)} e
            WHERE e.{q("trainee_id")} IN ({members_sql})
        ),
        summaries AS (
            SELECT trainee_id, element_id, {", ".join(per_month)}
            FROM cohort_evidence
            WHERE nth = 1 AND max_score > 0
            GROUP BY trainee_id, element_id
        )
        SELECT element_id, {", ".join(verdicts)}
        FROM summaries
        GROUP BY element_id
    """  # noqa: S608 (names from the models' metadata; every value is a parameter)
    params = [*(v for p in prefixes for v in (len(p), p)), *members_params, *month_params]
    params += verdict_params
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {row[0]: [int(v or 0) for v in row[1:]] for row in cursor.fetchall()}


def _inactive(cohort: Cohort, since: datetime.datetime, supervisor=None) -> list[InactiveTrainee]:
    """One query: the cohort's trainees with neither evidence nor a lesson completed since
    ``since``, the longest inactive first, with their latest activity."""
    mine = OuterRef("pk")
    last_evidence = Evidence.objects.filter(trainee=mine).order_by("-created_at")
    last_lesson = LessonCompletion.objects.filter(user=mine).order_by("-completed_at")
    people = (
        _members(cohort, supervisor)
        .annotate(
            last_evidence=Subquery(last_evidence.values("created_at")[:1]),
            last_lesson=Subquery(last_lesson.values("completed_at")[:1]),
        )
        .filter(
            Q(last_evidence__isnull=True) | Q(last_evidence__lt=since),
            Q(last_lesson__isnull=True) | Q(last_lesson__lt=since),
        )
        .order_by("pk")
        .values_list(*User.NAME_FIELDS, "last_evidence", "last_lesson")
    )
    rows = []
    for *names, evidence_at, lesson_at in people:
        dates = [d for d in (evidence_at, lesson_at) if d is not None]
        rows.append(InactiveTrainee(User.name_from(*names), max(dates) if dates else None))
    rows.sort(key=lambda r: (r.last_active is not None, r.last_active or since))
    return rows


def _observations(cohort: Cohort, supervisor=None) -> dict[int, tuple[int, int]]:
    """One query: per element, the ratings recorded for the cohort's trainees and how many
    trainees they cover."""
    rows = (
        ObservationRating.objects.filter(trainee_id__in=_members(cohort, supervisor).values("pk"))
        .values("element_id")
        .annotate(n=Count("pk"), people=Count("trainee_id", distinct=True))
        .order_by()
    )
    return {r["element_id"]: (r["n"], r["people"]) for r in rows}


def cohort_report(
    cohort: Cohort, *, now: datetime.datetime | None = None, supervisor=None
) -> CohortReport:
    """The whole report for one cohort, in a fixed number of queries; with ``supervisor``, about
    the cohort's trainees they supervise today only (and ``members`` counts those)."""
    now = now or timezone.now()
    inputs = readiness_inputs()
    policy = inputs["policy"]
    elements = elements_in_order()
    counts = _funnel(cohort, inputs, supervisor)
    members = counts["joined"]
    funnel = tuple(
        FunnelStep(key, label, counts[key], _percent(counts[key], members))
        for key, label in FUNNEL_STEPS
    )
    months = month_ends(cohort, now)
    met = _mastery_by_month(cohort, months, policy, supervisor)
    zeros = [0] * len(months)
    by_month = tuple(
        ElementMonths(
            code=e.code,
            name=e.name,
            met=tuple(met.get(e.pk, zeros)),
            percent=tuple(_percent(n, members) for n in met.get(e.pk, zeros)),
        )
        for e in elements
    )
    since = now - datetime.timedelta(days=INACTIVE_DAYS)
    observed = _observations(cohort, supervisor)
    return CohortReport(
        cohort=cohort,
        members=members,
        funnel=funnel,
        months=months,
        mastery=by_month,
        inactive=tuple(_inactive(cohort, since, supervisor)),
        inactive_since=since,
        observations=tuple(
            ElementObservations(e.code, e.name, *observed.get(e.pk, (0, 0))) for e in elements
        ),
    )

"""The whole scale dataset in one call (``build``), as ``manage.py seed_scale`` makes it: the
demo course, people, their history, the summaries rebuilt from the evidence, some sign-off
requests and records, and fresh planner statistics.
"""

import datetime
import random
import time

from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone

from assessments.services import mastery_rebuild
from home.models import User
from progress.readiness_sql import ready_trainee_ids
from supervision import services as supervision_services
from supervision.models import SignOffRequest

from .activity import history
from .content import extra_vignettes
from .people import Scale, explicit_timestamps, people


def build(scale: Scale, log) -> dict:
    """Build everything and return counts and seconds per phase."""
    timings: dict[str, float] = {}

    def phase(name, started):
        timings[name] = round(time.perf_counter() - started, 1)
        log(f"  {name}: {timings[name]} s")

    started = time.perf_counter()
    call_command("seed_demo", stdout=_Quiet())
    vignettes = extra_vignettes()
    phase("course and vignettes", started)
    rng = random.Random(scale.seed)
    with transaction.atomic():
        started = time.perf_counter()
        trainees, supervisors = people(scale, rng)
        phase("people, cohorts and assignments", started)
        started = time.perf_counter()
        counts = history(scale, rng, trainees, vignettes)
        phase("lessons, attempts and evidence", started)
        started = time.perf_counter()
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


def _sign_offs(scale: Scale, rng: random.Random, trainees, supervisors) -> dict:
    """Some ready trainees ask for sign-off; the lead supervisor signs a few of them off."""
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
    chosen = User.objects.in_bulk(asked[:10])
    signed = 0
    for pk in asked[:10]:
        supervision_services.sign_off_record(
            supervisor=supervisors[0],
            trainee=chosen[pk],
            decision="competent",
            level=3,
            feedback="Clear, kind questions and well-matched plans across settings.",
            reauthenticated_at=time.time(),
        )
        signed += 1
    return {"ready": len(ready), "sign_off_requests": len(asked), "sign_offs": signed}

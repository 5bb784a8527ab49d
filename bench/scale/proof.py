"""The proof that the bulk build and the product agree (``seed_scale --check N``): evidence
replayed one response at a time through ``assessments.services.evidence_record`` gives the
same summaries that ``mastery_rebuild`` stored."""

import contextlib
import random

from django.db import transaction

from assessments.models import ElementMastery, Evidence, ItemScore
from assessments.services import evidence_record
from competencies.models import ClinicalSetting
from home.models import User

from .people import EMAIL_DOMAIN


def replay_check(*, sample: int = 20, seed: int = 11) -> list[str]:
    """Replay the evidence of ``sample`` scale trainees, row by row in time order, through
    ``evidence_record`` (the route every quiz and case step takes) for a stand-in trainee, and
    compare the summaries it keeps with those the bulk build stored. Nothing is kept: the
    replay runs in a transaction that is rolled back. Returns the differences (none is good)."""
    ids = list(
        User.objects.filter(email__startswith="scale-t", email__endswith=EMAIL_DOMAIN)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    chosen = random.Random(seed).sample(ids, k=min(sample, len(ids)))
    settings = ClinicalSetting.objects.in_bulk()
    problems: list[str] = []

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
            if _summaries(trainee_id) != _summaries(stand_in.pk):
                problems.append(f"trainee {trainee_id}: summaries differ from the replay")
        raise _Rollback
    return problems


def _summaries(trainee_id: int) -> tuple[dict, dict]:
    masteries = {
        m.element_id: (m.items, m.settings_count, None if m.mean is None else round(m.mean, 9))
        for m in ElementMastery.objects.filter(trainee_id=trainee_id)
    }
    items = {
        (s.element_id, s.item_key): (s.setting_id, s.points, s.max_points)
        for s in ItemScore.objects.filter(trainee_id=trainee_id)
    }
    return masteries, items

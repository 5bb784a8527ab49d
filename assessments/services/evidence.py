"""Evidence and mastery summaries: every scored response (quiz answers and case steps) becomes
evidence rows through ``evidence_record``/``evidence_record_many``, and the per-trainee summaries
(``ItemScore``, ``ElementMastery``) follow in the same transaction; ``mastery_rebuild`` recomputes
them from the evidence alone."""

from dataclasses import dataclass

from django.db import connection, transaction

from competencies.selectors import elements_in_order
from home.bulk import insert_rows
from home.caching import content_changed, records_changed

from ..engine import mastery
from ..models import (
    ElementMastery,
    Evidence,
    ItemScore,
)


@dataclass(frozen=True)
class Scored:
    """One scored response, as evidence needs it: for these elements, this many points out of
    so many, on this item (``quiz:<question key>`` or ``case:<vignette>:<node>``)."""

    element_codes: tuple[str, ...]
    points: float
    max_points: float
    item_key: str
    setting_id: int | None = None


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
    however many responses and elements: insert the rows, keep each item's first score (an item
    answered before keeps the score it had: a retake or a replay is practice,
    ``assessments.engine.mastery``), lock the trainee's affected element summaries, recompute
    them from the item scores, upsert them. A quiz submission and a vignette step each call this
    once. When two responses share an item, the earlier one counts, as if recorded one after
    the other."""
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
        first: dict[tuple[int, str], Evidence] = {}
        for row in rows:
            first.setdefault((row.element_id, row.item_key), row)
        # An item scored before keeps its first score: the conflict leaves the row as it is.
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
                for row in first.values()
            ],
            ignore_conflicts=True,
        )
        _refresh_masteries(trainee.pk, {element_id for element_id, _ in first})
        records_changed(trainee.pk)  # bulk writes send no model signals
    return rows


def evidence_rows(
    *, trainee, responses: list[Scored], source: str, quiz_attempt=None, vignette_attempt=None
) -> list[Evidence]:
    """The evidence rows of scored responses, unsaved: one per response and element of the
    framework it evidences. ``evidence_record_many`` saves them; the benchmark's data builder
    inserts them in bulk."""
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
    """Recompute the summaries from the evidence alone (the first row per item counts), with the
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
    first = {}
    rows = evidence.order_by("created_at", "id").values_list(
        "id", "trainee_id", "element_id", "item_key", "setting_id", "score", "max_score"
    )
    for row in rows.iterator(chunk_size=20_000):
        first.setdefault((row[1], row[2], row[3]), row)
    insert_rows(
        ItemScore,
        ["trainee", "element", "item_key", "setting", "points", "max_points", "evidence"],
        (
            (trainee_id, element_id, item_key, setting_id, points, max_points, pk)
            for pk, trainee_id, element_id, item_key, setting_id, points, max_points in (
                first.values()
            )
        ),
    )
    per_pair: dict[tuple[int, int], list[mastery.ItemScore]] = {}
    for _pk, trainee_id, element_id, item_key, setting_id, points, max_points in first.values():
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

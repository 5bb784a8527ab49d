"""The evidence policy that retakes cannot game (issue 15): the score that counts on an item is
the trainee's first answer to it, not their latest, and clinical settings are counted from case
evidence only. The evidence rows stay exactly as they were (append-only); the two summaries
(``ItemScore``, ``ElementMastery``) are recomputed from them under the new rule, as
``manage.py rebuild_mastery`` does with today's code. Reversing restores the latest-score rule's
summaries (settings then counted from every item)."""

from django.db import migrations

CASE_PREFIX = "case:"


def _rebuild(apps, *, first: bool) -> None:
    Evidence = apps.get_model("assessments", "Evidence")
    ItemScore = apps.get_model("assessments", "ItemScore")
    ElementMastery = apps.get_model("assessments", "ElementMastery")
    chosen: dict[tuple, tuple] = {}
    rows = Evidence.objects.order_by("created_at", "id").values_list(
        "id", "trainee_id", "element_id", "item_key", "setting_id", "score", "max_score"
    )
    for row in rows.iterator(chunk_size=20_000):
        key = (row[1], row[2], row[3])
        if first:
            chosen.setdefault(key, row)
        else:
            chosen[key] = row
    # In place (the rows keep their ids): one summary row per trainee, element and item.
    changed = []
    for score in ItemScore.objects.all().iterator(chunk_size=5000):
        row = chosen.get((score.trainee_id, score.element_id, score.item_key))
        if row is not None and row[0] != score.evidence_id:
            score.evidence_id, score.setting_id, score.points, score.max_points = (
                row[0],
                row[4],
                row[5],
                row[6],
            )
            changed.append(score)
    ItemScore.objects.bulk_update(
        changed, ["evidence", "setting", "points", "max_points"], batch_size=5000
    )
    per_pair: dict[tuple[int, int], list[tuple]] = {}
    for _pk, trainee_id, element_id, item_key, setting_id, points, max_points in chosen.values():
        if max_points > 0:
            per_pair.setdefault((trainee_id, element_id), []).append(
                (item_key, setting_id, points / max_points)
            )
    updated = []
    for mastery in ElementMastery.objects.all():
        items = per_pair.get((mastery.trainee_id, mastery.element_id), [])
        settings = {
            setting
            for item_key, setting, _share in items
            if setting and (not first or item_key.startswith(CASE_PREFIX))
        }
        mean = sum(share for *_rest, share in items) / len(items) if items else None
        same_mean = (mean is None) == (mastery.mean is None) and (
            mean is None or abs(mean - mastery.mean) < 1e-9
        )
        if mastery.items == len(items) and mastery.settings_count == len(settings) and same_mean:
            continue  # unchanged by the new rule: left exactly as it was
        mastery.items, mastery.settings_count, mastery.mean = len(items), len(settings), mean
        updated.append(mastery)
    ElementMastery.objects.bulk_update(
        updated, ["items", "settings_count", "mean"], batch_size=5000
    )


def forwards(apps, schema_editor):
    _rebuild(apps, first=True)


def backwards(apps, schema_editor):
    _rebuild(apps, first=False)


class Migration(migrations.Migration):
    dependencies = [("assessments", "0012_delivery_secret")]

    operations = [migrations.RunPython(forwards, backwards)]

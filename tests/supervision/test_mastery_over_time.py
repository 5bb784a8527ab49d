"""The supervisor's chart of mastery over time replays the mastery rule
(``assessments.engine.mastery``) month by month: only the first score per item counts, items
with nothing to score are left out, and a month before any evidence has no point."""

import datetime
from types import SimpleNamespace

from assessments.engine import mastery
from supervision.selectors.trainee import EvidenceRow, _mastery_over_time

POLICY = mastery.Policy(min_items=2, min_settings=1, threshold=0.7)


def _row(element_id, day, item, score, max_score=1.0, setting="Renal"):
    return EvidenceRow(
        element_id=element_id,
        created_at=datetime.datetime(2026, *day, tzinfo=datetime.UTC),
        item_key=item,
        score=score,
        max_score=max_score,
        quiz_attempt_id=None,
        quiz_title=None,
        vignette_attempt_id=None,
        case_title=None,
        setting_name=setting,
    )


def test_each_month_judges_the_first_score_per_item_so_far():
    elicit, identify = SimpleNamespace(id=1), SimpleNamespace(id=2)
    evidence = [
        _row(1, (1, 5), "q1", 0.0),
        _row(1, (1, 9), "q2", 1.0),
        _row(1, (2, 3), "q1", 1.0),  # q1 answered again: practice, the January score counts
        _row(1, (2, 5), "q3", 1.0),  # a new item in February raises the average
        _row(1, (2, 4), "reflection", 0.0, max_score=0.0),  # nothing to score
        _row(2, (3, 1), "c1", 0.5, setting=None),
    ]
    history = _mastery_over_time(evidence, [{"element": elicit}, {"element": identify}], POLICY)
    assert [p["month"] for p in history[0]["points"]] == ["2026-01", "2026-02", "2026-03"]
    assert [p["percent"] for p in history[0]["points"]] == [
        50,
        66,
        66,
    ]  # two of three, rounded down
    assert [p["percent"] for p in history[1]["points"]] == [None, None, 50]

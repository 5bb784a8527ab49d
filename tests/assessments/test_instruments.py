"""Instruments scored exactly as published, checked over every possible answer vector."""

import itertools

import pytest

from assessments.engine.instruments import InstrumentError, gad7, phq9, start_back


def _phq9_band(total):
    return (
        "minimal" if total <= 4 else "mild" if total <= 9 else "moderate" if total <= 14
        else "moderately severe" if total <= 19 else "severe"
    )  # fmt: skip


def test_phq9_every_answer_vector():
    # 4**9 = 262,144 vectors: totals, bands and the item-9 flag for every one.
    seen_bands = set()
    for answers in itertools.product(range(4), repeat=9):
        result = phq9(answers)
        total = sum(answers)
        assert result.total == total
        assert result.band == _phq9_band(total)
        assert result.risk_flag is (answers[8] > 0)
        seen_bands.add(result.band)
    assert len(seen_bands) == 5


def test_gad7_every_answer_vector():
    for answers in itertools.product(range(4), repeat=7):
        total = sum(answers)
        expected = (
            "minimal" if total < 5 else "mild" if total < 10 else "moderate" if total < 15
            else "severe"
        )  # fmt: skip
        assert gad7(answers).band == expected
        assert gad7(answers).total == total


@pytest.mark.parametrize(
    ("answers", "band", "total", "subscore"),
    [
        ([0] * 8 + [0], "low risk", 0, 0),
        ([1, 1, 1, 0, 0, 0, 0, 0, 0], "low risk", 3, 0),
        ([1, 1, 1, 1, 0, 0, 0, 0, 2], "medium risk", 4, 0),  # item 9 "moderately" scores 0
        ([1, 1, 1, 1, 1, 1, 1, 0, 0], "medium risk", 7, 3),
        ([0, 0, 0, 0, 1, 1, 1, 0, 3], "high risk", 4, 4),  # "very much" scores 1
        ([1] * 8 + [4], "high risk", 9, 5),
    ],
)
def test_start_back_worked_examples(answers, band, total, subscore):
    result = start_back(answers)
    assert (result.band, result.total, result.subscore) == (band, total, subscore)


def test_start_back_every_answer_vector_follows_the_rule():
    for items in itertools.product((0, 1), repeat=8):
        for bother in range(5):
            result = start_back([*items, bother])
            scored = [*items, 1 if bother >= 3 else 0]
            total, psycho = sum(scored), sum(scored[4:])
            expected = "low risk" if total <= 3 else "medium risk" if psycho <= 3 else "high risk"
            assert result.band == expected


@pytest.mark.parametrize(
    ("fn", "answers"),
    [
        (phq9, [0] * 8),
        (phq9, [0] * 8 + [4]),
        (phq9, [0] * 8 + [-1]),
        (phq9, [0] * 8 + [True]),
        (gad7, [0] * 8),
        (gad7, [0.5] * 7),
        (start_back, [2] + [0] * 8),
        (start_back, [0] * 8 + [5]),
    ],
)
def test_answers_that_do_not_fit_are_refused(fn, answers):
    with pytest.raises(InstrumentError):
        fn(answers)

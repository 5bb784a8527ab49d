"""Instruments scored exactly as published, checked over every possible answer vector."""

import itertools

import pytest

from assessments.engine.instruments import SPECS, InstrumentError, Result, gad7, phq9, start_back


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
            assert (result.total, result.subscore) == (total, psycho)


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


@pytest.mark.parametrize(
    ("fn", "answers", "message"),
    [
        (phq9, [0] * 8, "PHQ-9 needs 9 answers, not 8."),
        (phq9, [0] * 10, "PHQ-9 needs 9 answers, not 10."),
        (phq9, [1.0] + [0] * 8, "PHQ-9 answers must be whole numbers from 0 to 3."),
        (gad7, [0] * 6 + [4], "GAD-7 answers must be whole numbers from 0 to 3."),
        (gad7, [-1] + [0] * 6, "GAD-7 answers must be whole numbers from 0 to 3."),
        (gad7, [True] + [0] * 6, "GAD-7 answers must be whole numbers from 0 to 3."),
        (gad7, [0] * 6, "GAD-7 needs 7 answers, not 6."),
        (start_back, [0] * 8, "STarT Back needs 9 answers, not 8."),
        (start_back, [0] * 10, "STarT Back needs 9 answers, not 10."),
        (
            start_back,
            [True] + [0] * 8,
            "STarT Back items 1-8 answers must be whole numbers from 0 to 1.",
        ),
        (
            start_back,
            [0] * 8 + [-1],
            "STarT Back item 9 answers must be whole numbers from 0 to 4.",
        ),
    ],
)
def test_refusals_say_what_does_not_fit(fn, answers, message):
    with pytest.raises(InstrumentError) as refused:
        fn(answers)
    assert str(refused.value) == message


def test_results_name_their_instrument_and_carry_only_their_own_fields():
    assert phq9([0] * 8 + [1]) == Result("PHQ-9", 1, "minimal", risk_flag=True, subscore=None)
    assert phq9([3] * 8 + [0]) == Result("PHQ-9", 24, "severe", risk_flag=False)
    assert gad7([3] * 7) == Result("GAD-7", 21, "severe", risk_flag=False, subscore=None)
    assert gad7((0, 0, 0, 0, 0, 0, 0)) == Result("GAD-7", 0, "minimal")
    assert start_back([1] * 8 + [4]) == Result("STarT Back", 9, "high risk", False, 5)
    assert start_back([1] * 8 + [3]).risk_flag is False


def test_each_spec_scores_with_its_own_instrument():
    answers = {"phq9": [2] * 9, "gad7": [2] * 7, "start_back": [1] * 8 + [2]}
    for key, spec in SPECS.items():
        assert spec.key == key
        assert spec.score(answers[key]) == {"phq9": phq9, "gad7": gad7, "start_back": start_back}[
            key
        ](answers[key])
        assert len(spec.items) == len(spec.scales) == len(answers[key])
    assert SPECS["phq9"].bands == ("minimal", "mild", "moderate", "moderately severe", "severe")
    assert SPECS["gad7"].bands == ("minimal", "mild", "moderate", "severe")

"""Item analysis (assessments.engine.statistics) against figures worked out by hand, Moodle's
"no figure" cases, and properties that hold for any data."""

import math
import random
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assessments.engine.statistics import quiz_statistics, quiz_statistics_from_counts

# Four attempts at a quiz of two slots worth 1 and 2 marks. Worked by hand:
# totals 3, 2, 1, 0 (mean 1.5 of 3); deviations 1.5, 0.5, -0.5, -1.5; sum of squares 5, so the
# variance is 5/3 and the SD sqrt(5/3) = 1.2910 (43.03% of 3); the third moment is 0 (symmetric);
# m2 = 5/4, m4 = 10.25/4, k2 = 5/3, k4 = 16 (5 m4 - 9 m2^2) / 6 = -10/3, kurtosis -1.2.
# Slot 1: x = 1, 1, 0, 0 (mean 0.5), rest X = 2, 1, 1, 0; V(x) = 1/3, V(X) = 2/3, C(x, X) = 1/3,
# so the discrimination index is (1/3) / sqrt(2/9) = 70.71%; sorted, C is again 1/3 (100%);
# C(x, T) = 2/3. Slot 2: x = 2, 1, 1, 0 (mean 1 of 2), X = 1, 1, 0, 0; V(x) = 2/3, V(X) = 1/3,
# C(x, X) = 1/3 (70.71%, efficiency 100%), C(x, T) = 1.
# Effective weights sqrt(2/3) : sqrt(1) = 44.95% : 55.05%. CIC = 2 (1 - (1/3 + 2/3) / (5/3)) = 80%,
# error ratio sqrt(0.2) = 44.72%, standard error 0.4472 x 43.03% = 19.25%.
HAND = [[1, 2], [1, 1], [0, 1], [0, 0]]


def test_the_figures_worked_by_hand():
    stats = quiz_statistics(HAND, [1, 2], random_guess_scores=[0.25, None])
    one, two = stats.items
    assert stats.attempts == 4
    assert one.facility == pytest.approx(50) and two.facility == pytest.approx(50)
    assert one.sd == pytest.approx(100 * math.sqrt(1 / 3))
    assert two.sd == pytest.approx(100 * math.sqrt(2 / 3) / 2)
    assert one.random_guess_score == pytest.approx(25) and two.random_guess_score is None
    assert one.intended_weight == pytest.approx(100 / 3)
    assert two.intended_weight == pytest.approx(200 / 3)
    assert one.effective_weight == pytest.approx(44.949, abs=1e-3)
    assert two.effective_weight == pytest.approx(55.051, abs=1e-3)
    for item in (one, two):
        assert item.discrimination_index == pytest.approx(70.711, abs=1e-3)
        assert item.discriminative_efficiency == pytest.approx(100)
    assert stats.mean == pytest.approx(50)
    assert stats.median == pytest.approx(50)
    assert stats.sd == pytest.approx(43.033, abs=1e-3)
    assert stats.skewness == pytest.approx(0)
    assert stats.kurtosis == pytest.approx(-1.2)
    assert stats.cic == pytest.approx(80)
    assert stats.error_ratio == pytest.approx(44.721, abs=1e-3)
    assert stats.standard_error == pytest.approx(19.245, abs=1e-3)


def test_an_odd_number_of_attempts_takes_the_middle_total_as_median():
    stats = quiz_statistics([[1, 0], [1, 1], [0, 0]], [1, 1])
    assert stats.median == pytest.approx(50)  # totals 1, 2, 0: the middle one is 1 of 2
    assert stats.mean == pytest.approx(50)


def test_skewed_totals_have_the_sign_of_their_tail():
    # Most score high, one scores low: a tail to the left.
    stats = quiz_statistics([[1, 1]] * 5 + [[0, 0]], [1, 1])
    assert stats.skewness < 0


def test_no_attempts_no_figures():
    stats = quiz_statistics([], [1, 1])
    assert stats.attempts == 0
    assert stats.mean is stats.median is stats.sd is stats.cic is None
    assert all(item.facility is None and item.discrimination_index is None for item in stats.items)
    assert stats.items[0].intended_weight == pytest.approx(50)


def test_one_attempt_has_a_mean_but_no_spread():
    stats = quiz_statistics([[1, 0]], [1, 1])
    assert stats.mean == pytest.approx(50) and stats.median == pytest.approx(50)
    assert stats.sd is None and stats.skewness is None and stats.cic is None
    assert stats.items[0].facility == pytest.approx(100)
    assert stats.items[0].sd is None and stats.items[0].discrimination_index is None


def test_two_attempts_have_an_sd_but_no_skewness():
    stats = quiz_statistics([[1, 0], [0, 0]], [1, 1])
    assert stats.sd == pytest.approx(100 * math.sqrt(0.5) / 2)
    assert stats.skewness is None and stats.kurtosis is None and stats.cic is None


def test_three_attempts_have_skewness_but_no_kurtosis():
    stats = quiz_statistics([[1, 1], [1, 0], [0, 0]], [1, 1])
    assert stats.skewness == pytest.approx(0)
    assert stats.kurtosis is None
    assert stats.cic is not None


def test_a_slot_everyone_got_right_discriminates_nothing():
    # Moodle shows no discrimination index when a variance is zero, and no efficiency when
    # the largest possible covariance is zero.
    stats = quiz_statistics([[1, 1], [1, 0], [1, 1], [1, 0]], [1, 1])
    constant = stats.items[0]
    assert constant.facility == pytest.approx(100)
    assert constant.sd == pytest.approx(0)
    assert constant.discrimination_index is None
    assert constant.discriminative_efficiency is None


def test_a_slot_worth_nothing_has_no_facility():
    stats = quiz_statistics([[0, 1], [0, 0], [0, 1]], [0, 1])
    assert stats.items[0].facility is None and stats.items[0].sd is None
    assert stats.items[0].intended_weight == pytest.approx(0)


def test_a_slot_against_the_rest_gets_no_effective_weight():
    # Slot 1 is answered right by those who do worst on the rest: its covariance with the
    # total is negative, so Moodle leaves its effective weight out and shares 100% among the rest.
    marks = [[0, 1, 1], [0, 1, 1], [1, 0, 0], [1, 0, 1], [0, 1, 0]]
    stats = quiz_statistics(marks, [1, 1, 1])
    assert stats.items[0].discrimination_index < 0
    assert stats.items[0].effective_weight is None
    shown = [item.effective_weight for item in stats.items if item.effective_weight is not None]
    assert sum(shown) == pytest.approx(100)


def test_one_slot_has_no_internal_consistency():
    stats = quiz_statistics([[1], [0], [1], [1]], [1])
    assert stats.cic is None and stats.error_ratio is None and stats.standard_error is None
    assert stats.kurtosis is not None


def test_rows_of_the_wrong_length_are_refused():
    with pytest.raises(ValueError, match="Attempt 2 has 1 marks"):
        quiz_statistics([[1, 1], [1]], [1, 1])
    with pytest.raises(ValueError, match="One random guess score per slot"):
        quiz_statistics([[1, 1]], [1, 1], random_guess_scores=[0.5])
    with pytest.raises(ValueError, match="cannot be negative"):
        quiz_statistics([[1, 1]], [1, -1])


@st.composite
def datasets(draw):
    slots = draw(st.integers(min_value=1, max_value=5))
    max_marks = draw(st.lists(st.sampled_from([1, 2, 3]), min_size=slots, max_size=slots))
    attempts = draw(st.integers(min_value=0, max_value=12))
    marks = [[draw(st.sampled_from([0, m / 2, m])) for m in max_marks] for _ in range(attempts)]
    return marks, max_marks


@settings(max_examples=200, deadline=None)
@given(datasets())
def test_figures_stay_within_their_bounds(data):
    marks, max_marks = data
    stats = quiz_statistics(marks, max_marks)
    for item in stats.items:
        if item.facility is not None:
            assert -1e-9 <= item.facility <= 100 + 1e-9
        if item.discrimination_index is not None:
            assert -100 - 1e-6 <= item.discrimination_index <= 100 + 1e-6
        if item.discriminative_efficiency is not None:
            assert item.discriminative_efficiency <= 100 + 1e-6
    assert sum(item.intended_weight for item in stats.items) == pytest.approx(100)
    shown = [i.effective_weight for i in stats.items if i.effective_weight is not None]
    if shown:
        assert sum(shown) == pytest.approx(100)
    if stats.mean is not None:
        assert -1e-9 <= stats.mean <= 100 + 1e-9
        assert -1e-9 <= stats.median <= 100 + 1e-9
    if stats.cic is not None:
        assert stats.cic <= 100 + 1e-6
        assert stats.error_ratio >= 0


@settings(max_examples=100, deadline=None)
@given(datasets(), st.randoms(use_true_random=False))
def test_the_order_of_attempts_changes_nothing(data, rnd: random.Random):
    marks, max_marks = data
    shuffled = list(marks)
    rnd.shuffle(shuffled)
    first, second = quiz_statistics(marks, max_marks), quiz_statistics(shuffled, max_marks)
    for a, b in zip(
        (first.mean, first.median, first.sd, first.skewness, first.kurtosis, first.cic),
        (second.mean, second.median, second.sd, second.skewness, second.kurtosis, second.cic),
        strict=True,
    ):
        assert (a is None and b is None) or a == pytest.approx(b, abs=1e-6)
    for x, y in zip(first.items, second.items, strict=True):
        for name in ("facility", "sd", "discrimination_index", "discriminative_efficiency"):
            a, b = getattr(x, name), getattr(y, name)
            assert (a is None) == (b is None)
            if a is not None:
                assert a == pytest.approx(b, abs=1e-6)


def _naive_covariance(a, b):
    ma, mb = sum(a) / len(a), sum(b) / len(b)
    return sum((x - ma) * (y - mb) for x, y in zip(a, b, strict=True)) / (len(a) - 1)


@settings(max_examples=150, deadline=None)
@given(datasets())
def test_counts_give_what_the_rows_give(data):
    """The figures come from counts (what the database aggregates); worked out again here from
    the attempts' rows, the plain way, they are the same."""
    marks, max_marks = data
    if len(marks) < 2:
        return
    stats = quiz_statistics(marks, max_marks)
    totals = [sum(row) for row in marks]
    for i, item in enumerate(stats.items):
        x = [row[i] for row in marks]
        rest = [t - v for t, v in zip(totals, x, strict=True)]
        covariance = _naive_covariance(x, rest)
        product = _naive_covariance(x, x) * _naive_covariance(rest, rest)
        best = _naive_covariance(sorted(x), sorted(rest))
        if product > 1e-12:
            assert item.discrimination_index == pytest.approx(100 * covariance / math.sqrt(product))
        if best > 1e-12:
            assert item.discriminative_efficiency == pytest.approx(100 * covariance / best)
        if max_marks[i]:
            assert item.sd == pytest.approx(100 * math.sqrt(_naive_covariance(x, x)) / max_marks[i])
    ordered = sorted(totals)
    middle = len(ordered) // 2
    median = ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2
    assert stats.median == pytest.approx(100 * median / sum(max_marks))


def test_counts_must_cover_every_attempt():
    with pytest.raises(ValueError, match="every attempt"):
        quiz_statistics_from_counts([Counter({(1, 1): 1})], Counter({1: 1, 0: 1}), [1])
    with pytest.raises(ValueError, match="One table of counts per slot"):
        quiz_statistics_from_counts([], Counter({1: 1}), [1])


def test_skewness_and_kurtosis_of_a_lopsided_quiz():
    """Totals 1, 2, 3 and 10 of 10, against the textbook forms of the same sample statistics
    (a spreadsheet's SKEW and KURT): n/((n-1)(n-2)) sum(z^3) and
    n(n+1)/((n-1)(n-2)(n-3)) sum(z^4) - 3(n-1)^2/((n-2)(n-3)), with z = (x - mean) / s."""
    totals = [1, 2, 3, 10]
    n, mean = 4, 4.0
    s = math.sqrt(sum((t - mean) ** 2 for t in totals) / (n - 1))
    z = [(t - mean) / s for t in totals]
    skew = n / ((n - 1) * (n - 2)) * sum(v**3 for v in z)
    kurt = n * (n + 1) / ((n - 1) * (n - 2) * (n - 3)) * sum(v**4 for v in z) - 3 * (n - 1) ** 2 / (
        (n - 2) * (n - 3)
    )
    stats = quiz_statistics([[t] for t in totals], [10])
    assert stats.skewness == pytest.approx(skew)
    assert stats.kurtosis == pytest.approx(kurt)
    assert stats.median == pytest.approx(25)  # (2 + 3) / 2 of 10
    assert stats.sd == pytest.approx(10 * s)


def test_a_slot_that_tells_nobody_apart_weighs_nothing_but_is_shown():
    # Slot 2 is the same for everyone: no covariance with the total, an effective weight of 0
    # (Moodle shows 0, not a blank, for a covariance of exactly zero).
    stats = quiz_statistics([[1, 1], [0, 1], [1, 1], [0, 1]], [1, 1])
    assert stats.items[1].effective_weight == 0
    assert stats.items[0].effective_weight == pytest.approx(100)


def test_the_refusals_say_what_is_wrong():
    with pytest.raises(ValueError) as negative:
        quiz_statistics([[1, 1]], [1, -1])
    assert str(negative.value) == "A slot's maximum mark cannot be negative."
    with pytest.raises(ValueError) as guesses:
        quiz_statistics([[1, 1]], [1, 1], random_guess_scores=[0.5])
    assert str(guesses.value) == "One random guess score per slot, or none at all."
    with pytest.raises(ValueError) as tables:
        quiz_statistics_from_counts([], Counter({1: 1}), [1])
    assert str(tables.value) == "One table of counts per slot."
    with pytest.raises(ValueError) as missing:
        quiz_statistics_from_counts([Counter({(1, 1): 1})], Counter({1: 1, 0: 1}), [1])
    assert str(missing.value) == "Every slot needs a mark for every attempt."


def test_one_attempt_keeps_its_guess_score_and_no_variance():
    stats = quiz_statistics([[1, 0]], [1, 1], random_guess_scores=[0.25, 0.5])
    assert [item.random_guess_score for item in stats.items] == [25, 50]
    assert stats.cic is None

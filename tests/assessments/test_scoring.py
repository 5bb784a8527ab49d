"""Scoring primitives: worked examples and hypothesis properties."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assessments.engine import quiz_logic, scoring

keys = st.lists(st.sampled_from("abcdefgh"), unique=True, min_size=1, max_size=8)


def test_selection_worked_examples():
    offered = "abcde"
    assert scoring.selection({"a", "b"}, {"a", "b"}, offered) == 1
    assert scoring.selection({"a"}, {"a", "b"}, offered) == 0.5
    assert scoring.selection({"a", "c"}, {"a", "b"}, offered) == 0  # one hit, one false pick
    assert scoring.selection({"c", "d"}, {"a", "b"}, offered) == 0  # floored at zero
    assert scoring.selection({"a", "b", "c"}, {"a", "b", "d", "e"}, offered) == 0.25


def test_ordering_worked_examples():
    assert scoring.ordering(["a", "b", "c"], ["a", "b", "c"]) == 1
    assert scoring.ordering(["c", "b", "a"], ["a", "b", "c"]) == 0
    assert scoring.ordering(["b", "a", "c"], ["a", "b", "c"]) == pytest.approx(2 / 3)


def test_matching_and_single():
    assert scoring.matching({"x": "1", "y": "3"}, {"x": "1", "y": "2"}) == 0.5
    assert scoring.single_choice("b", "b") == 1
    assert scoring.single_choice(None, "b") == 0


@settings(max_examples=500)
@given(offered=keys, data=st.data())
def test_selection_properties(offered, data):
    correct = data.draw(st.sets(st.sampled_from(offered), min_size=1))
    picked = data.draw(st.sets(st.sampled_from(offered)))
    value = scoring.selection(picked, correct, offered)
    assert 0 <= value <= 1
    assert scoring.selection(correct, correct, offered) == 1
    # The order of picks never matters.
    assert scoring.selection(sorted(picked), correct, offered) == value
    assert scoring.selection(sorted(picked, reverse=True), correct, offered) == value


@settings(max_examples=500)
@given(correct=keys, data=st.data())
def test_ordering_properties(correct, data):
    submitted = data.draw(st.permutations(correct))
    value = scoring.ordering(submitted, correct)
    assert 0 <= value <= 1
    assert scoring.ordering(correct, correct) == 1


@settings(max_examples=300)
@given(st.floats(min_value=-5, max_value=5, allow_nan=False), st.floats(0, 10))
def test_scaled_scores_stay_within_bounds(fraction, max_points):
    score = scoring.scaled(fraction, max_points)
    assert 0 <= score.points <= max_points


def test_pass_mark_is_reached_at_the_mark_and_never_with_nothing_scored():
    assert quiz_logic.DEFAULT_PASS_MARK == 70
    assert quiz_logic.passed(7, 10, 70)  # exactly the mark passes
    assert quiz_logic.passed(2.1, 3, 70)  # 70% again, through floating point
    assert not quiz_logic.passed(6.9, 10, 70)
    assert not quiz_logic.passed(0, 0, 0)  # nothing scored never passes

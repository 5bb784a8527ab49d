"""Scoring primitives at their edges, where a test-wise answer would earn credit it should not:
worked examples with exact values, found by mutation testing (README, "Mutation testing")."""

import pytest

from assessments.engine import scoring


@pytest.mark.parametrize(
    ("points", "max_points"),
    [(-0.5, 5), (5.001, 5), (1, -1), (0, -0.5), (0.001, 0)],
)
def test_a_score_outside_its_range_is_refused(points, max_points):
    with pytest.raises(ValueError, match=f"score {points} outside 0..{max_points}"):
        scoring.Score(points, max_points)


def test_a_score_at_its_bounds_is_kept_and_its_fraction_is_exact():
    assert scoring.Score(0, 5).fraction == 0
    assert scoring.Score(5, 5).fraction == 1
    assert scoring.Score(1.5, 6).fraction == 0.25
    assert scoring.Score(0, 0).fraction == 0  # nothing available: no credit, no division
    # Float dust above the maximum is tolerated, a real excess is not (above).
    assert scoring.Score(5 + 1e-10, 5).points == 5 + 1e-10
    assert scoring.Score(5 + 1e-9, 5).points == 5 + 1e-9  # the tolerance itself


def test_scaled_clamps_rounds_and_never_exceeds_the_maximum():
    assert scoring.scaled(0.5, 3) == scoring.Score(1.5, 3)
    assert scoring.scaled(1.7, 3) == scoring.Score(3, 3)
    assert scoring.scaled(-0.2, 3) == scoring.Score(0, 3)
    assert scoring.scaled(1 / 3, 1) == scoring.Score(0.3333, 1)
    assert scoring.scaled(2 / 3, 2).points == 1.3333
    # Rounding to four places would go above a tiny maximum: the maximum is the cap.
    assert scoring.scaled(1, 0.00005) == scoring.Score(0.00005, 0.00005)
    # More than full credit earns what full credit earns, however the maximum rounds.
    assert (
        scoring.scaled(1.5, 0.33333) == scoring.scaled(1, 0.33333) == scoring.Score(0.3333, 0.33333)
    )


def test_single_choice_gives_full_credit_only_for_the_key():
    assert scoring.single_choice("b", "b") == 1.0
    assert scoring.single_choice("a", "b") == 0.0
    assert scoring.single_choice(None, "b") == 0.0
    assert scoring.single_choice(None, None) == 0.0  # no answer never earns credit


def test_selection_when_no_correct_option_was_offered():
    """The right answer is to pick nothing: full credit for that, none for any pick."""
    assert scoring.selection(set(), {"z"}, "abc") == 1.0
    assert scoring.selection(set(), set(), "abc") == 1.0
    assert scoring.selection({"a"}, {"z"}, "abc") == 0.0
    assert scoring.selection({"a", "b", "c"}, set(), "abc") == 0.0
    assert scoring.selection({"z"}, {"z"}, "abc") == 1.0  # a pick not offered is ignored


def test_selection_ignores_picks_and_keys_that_were_not_offered():
    assert scoring.selection({"a", "q"}, {"a", "z"}, "ab") == 1.0
    assert scoring.selection({"a", "b"}, {"a", "z"}, "ab") == 0.0
    assert scoring.selection({"a", "b"}, {"a", "b", "c"}, "abcd") == pytest.approx(2 / 3)
    assert scoring.selection(iter(["a"]), iter(["a", "b"]), iter("abc")) == 0.5


def test_rated_selection_worked_examples():
    helpful, harmful, offered = {"a", "b"}, {"c"}, "abcd"
    assert scoring.rated_selection({"a", "b"}, helpful, harmful, offered) == 1.0
    assert scoring.rated_selection({"a"}, helpful, harmful, offered) == 0.5
    # A neutral pick (more than the person needs) costs half a share (scoring.NEUTRAL_COST).
    assert scoring.rated_selection({"a", "b", "d"}, helpful, harmful, offered) == 0.75
    assert scoring.rated_selection({"a", "c"}, helpful, harmful, offered) == 0.0
    assert scoring.rated_selection({"a", "b", "c"}, helpful, harmful, offered) == 0.5
    assert scoring.rated_selection({"c", "d"}, helpful, harmful, offered) == 0.0  # floored
    assert scoring.rated_selection(set(), helpful, harmful, offered) == 0.0


def test_rated_selection_counts_only_what_was_offered():
    # A helpful option not offered is not owed; a harmful one not offered costs nothing.
    assert scoring.rated_selection({"a"}, {"a", "z"}, {"y"}, "abc") == 1.0
    assert scoring.rated_selection({"a", "y"}, {"a"}, {"y"}, "abc") == 1.0
    # An option listed as both helpful and harmful counts as helpful.
    assert scoring.rated_selection({"a"}, {"a", "b"}, {"a"}, "abc") == 0.5


def test_rated_selection_when_nothing_helpful_was_offered():
    """Full credit for avoiding harm, none for a harmful pick; each neutral pick still costs
    half the (whole) share."""
    assert scoring.rated_selection(set(), set(), {"c"}, "abc") == 1.0
    assert scoring.rated_selection({"a"}, {"z"}, {"c"}, "abc") == 0.5
    assert scoring.rated_selection({"a", "b"}, {"z"}, {"c"}, "abc") == 0.0
    assert scoring.rated_selection({"a", "c"}, set(), {"c"}, "abc") == 0.0
    assert scoring.rated_selection({"c"}, {"c"}, {"c"}, "ab") == 1.0  # "c" not offered


def test_matching_shares_credit_per_keyed_item():
    key = {"x": "1", "y": "2", "z": "3", "w": "4"}
    assert scoring.matching({}, {}) == 0.0
    assert scoring.matching({"x": "1"}, {}) == 0.0
    assert scoring.matching({}, key) == 0.0
    assert scoring.matching({"x": None, "y": "2"}, key) == 0.25
    assert scoring.matching({"x": "1", "y": "2", "z": "3", "q": "4"}, key) == 0.75
    assert scoring.matching(dict(key), key) == 1.0


def test_ordering_places_missing_items_last():
    correct = ["a", "b", "c"]
    assert scoring.ordering(["a"], correct) == pytest.approx(2 / 3)  # a before b and c
    assert scoring.ordering(["c"], correct) == 0.0
    assert scoring.ordering([], correct) == 0.0
    assert scoring.ordering(["a", "b"], correct) == 1.0
    assert scoring.ordering(["b", "a"], correct) == pytest.approx(2 / 3)
    # Items that are not in the key keep their place in the count but earn nothing.
    assert scoring.ordering(["b", "x", "a"], correct) == pytest.approx(2 / 3)
    assert scoring.ordering(["x", "a", "b", "c"], correct) == 1.0
    # d is missing, so last: after a and b, and after c.
    assert scoring.ordering(["c", "x", "a", "b"], ["a", "b", "c", "d"]) == pytest.approx(4 / 6)


def test_ordering_of_two_items_counts_their_one_pair():
    assert scoring.ordering(["a", "b"], ["a", "b"]) == 1.0
    assert scoring.ordering(["b", "a"], ["a", "b"]) == 0.0
    assert scoring.ordering(["a"], ["a", "b"]) == 1.0  # b missing, so last: the pair is right
    assert scoring.ordering(["b"], ["a", "b"]) == 0.0
    assert scoring.ordering(["x", "a", "b"], ["a", "b"]) == 1.0


def test_ordering_of_fewer_than_two_items_is_all_or_nothing():
    assert scoring.ordering(["a"], ["a"]) == 1.0
    assert scoring.ordering(("a",), ["a"]) == 1.0
    assert scoring.ordering([], ["a"]) == 0.0
    assert scoring.ordering(["b"], ["a"]) == 0.0
    assert scoring.ordering([], []) == 1.0

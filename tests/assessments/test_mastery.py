"""The mastery rule, with worked examples a reader can check by hand."""

from assessments.engine.mastery import ItemScore, Policy, from_summary, judge, latest_per_item

POLICY = Policy(min_items=3, min_settings=2, threshold=0.7)


def test_no_evidence_is_not_started():
    m = judge([], POLICY)
    assert (m.status, m.items_needed, m.settings_needed, m.percent) == ("not started", 3, 2, None)


def test_worked_example_met():
    # Scores 1/1, 0.5/1, 2/2 -> mean of 1.0, 0.5, 1.0 = 0.833 from 3 items in 2 settings.
    items = [
        ItemScore("q1", "renal", 1, 1),
        ItemScore("q2", "renal", 0.5, 1),
        ItemScore("q3", "stroke-rehab", 2, 2),
    ]
    m = judge(items, POLICY)
    assert m.percent == 83
    assert m.evidenced and m.met and m.status == "met"


def test_worked_example_high_scores_but_one_setting_needs_more_evidence():
    items = [ItemScore(f"q{i}", "renal", 1, 1) for i in range(5)]
    m = judge(items, POLICY)
    assert m.percent == 100
    assert m.settings_needed == 1
    assert m.status == "needs more evidence" and not m.met


def test_worked_example_below_threshold():
    items = [ItemScore("q1", "a", 1, 1), ItemScore("q2", "b", 0, 1), ItemScore("q3", "a", 1, 1)]
    m = judge(items, POLICY)
    assert m.percent == 67
    assert m.status == "below threshold"


def test_thresholds_change_the_outcome_as_documented():
    items = [ItemScore("q1", "a", 1, 1), ItemScore("q2", "b", 0, 1), ItemScore("q3", "a", 1, 1)]
    assert not judge(items, Policy(3, 2, 0.7)).met
    assert judge(items, Policy(3, 2, 0.6)).met
    assert not judge(items, Policy(4, 2, 0.6)).met  # one item short
    assert not judge(items, Policy(3, 3, 0.6)).met  # one setting short


def test_only_the_latest_score_per_item_counts():
    rows = [
        ("q1", "a", 0, 1, 1),
        ("q1", "a", 1, 1, 3),  # retried later, full marks
        ("q2", "b", 1, 1, 2),
        ("q2", "b", 0, 1, 1),
    ]
    latest = {i.item: i.points for i in latest_per_item(rows)}
    assert latest == {"q1": 1, "q2": 1}


def test_the_latest_row_keeps_its_own_setting_and_points():
    rows = [
        ("q1", "renal", 1, 1, 1),
        ("q1", "stroke-rehab", 1, 2, 5),  # the same item, done later in another setting
    ]
    assert latest_per_item(rows) == [ItemScore("q1", "stroke-rehab", 1, 2)]


def test_rows_at_the_same_moment_keep_the_later_row():
    # Two scores stamped with the same time (a resubmission within the clock's resolution): the
    # row that comes later in the input is the later record and counts.
    rows = [("q1", "a", 0, 1, 7), ("q1", "b", 1, 1, 7)]
    assert latest_per_item(rows) == [ItemScore("q1", "b", 1, 1)]


def test_an_item_worth_no_points_is_not_evidence():
    # A question worth zero points says nothing about the trainee: it neither counts as an item
    # (nor its setting) nor moves the mean, and it never divides by zero.
    items = [
        ItemScore("q1", "a", 1, 1),
        ItemScore("q2", "b", 0, 0),
        ItemScore("q3", "a", 0, 1),
    ]
    m = judge(items, POLICY)
    assert (m.items, m.settings, m.mean) == (2, 1, 0.5)
    assert judge([ItemScore("q1", "a", 0, 0)], POLICY).status == "not started"


def test_settings_left_blank_are_not_counted():
    items = [ItemScore("q1", "", 1, 1), ItemScore("q2", "a", 1, 1), ItemScore("q3", "a", 1, 1)]
    m = judge(items, POLICY)
    assert (m.items, m.settings, m.settings_needed) == (3, 1, 1)


def test_from_summary_keeps_the_counts_and_what_is_still_needed():
    m = from_summary(2, 1, 0.75, POLICY)
    assert (m.items, m.settings, m.mean, m.threshold) == (2, 1, 0.75, 0.7)
    assert (m.items_needed, m.settings_needed) == (1, 1)
    more = from_summary(9, 4, 0.75, POLICY)
    assert (more.items, more.settings, more.items_needed, more.settings_needed) == (9, 4, 0, 0)
    assert more.status == "met" and more.percent == 75


def test_the_mean_exactly_at_the_threshold_is_met():
    assert from_summary(3, 2, 0.7, POLICY).met
    assert not from_summary(3, 2, 0.7 - 1e-6, POLICY).met


def test_the_default_policy_is_four_items_in_two_settings_at_seventy_percent():
    assert Policy() == Policy(min_items=4, min_settings=2, threshold=0.7)

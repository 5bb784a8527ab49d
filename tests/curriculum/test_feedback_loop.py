"""The feedback-loop model is a small pure function: checked by hand and by hypothesis."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from curriculum.feedback_loop import SCALE_MAX, LoopParameters, describe, polyline, simulate

levels = st.floats(min_value=0, max_value=10, allow_nan=False)
params = st.builds(
    LoopParameters,
    days=st.integers(min_value=2, max_value=60),
    initial_agitation=levels,
    initial_stress=levels,
    gain=st.floats(min_value=0, max_value=2, allow_nan=False),
    decay=st.floats(min_value=0.01, max_value=1, allow_nan=False),
    daily_stressors=st.floats(min_value=0, max_value=3, allow_nan=False),
)


def test_first_step_by_hand():
    run = simulate(LoopParameters(days=2, initial_agitation=3, initial_stress=1, gain=0.6))
    # agitation: 0.5*3 + 0.6*1 + 0.5 = 2.6 ; stress: 0.5*1 + 0.6*3 + 0.5 = 2.8
    assert run.agitation[:2] == (3.0, 2.6)
    assert run.stress[:2] == (1.0, 2.8)


def test_gain_above_decay_escalates_to_the_ceiling():
    run = simulate(LoopParameters(days=21, gain=0.6, decay=0.5))
    assert run.escalates
    assert run.agitation[-1] == run.stress[-1] == SCALE_MAX
    assert "escalates" in describe(run)
    assert "by day 8" in describe(run)


def test_lower_gain_settles_at_the_predicted_level():
    run = simulate(LoopParameters(days=60, gain=0.3, decay=0.5, daily_stressors=0.5))
    assert not run.escalates
    assert run.settles_at == pytest.approx(2.5)
    assert run.agitation[-1] == pytest.approx(2.5, abs=0.01)
    assert "settle near 2.5" in describe(run)


@pytest.mark.parametrize(
    "bad",
    [{"days": 1}, {"decay": 0}, {"gain": -0.1}, {"initial_stress": 11}, {"daily_stressors": -1}],
)
def test_parameters_out_of_range_are_refused(bad):
    with pytest.raises(ValueError):
        LoopParameters(**bad)


@settings(max_examples=300, deadline=None)
@given(params)
def test_levels_stay_on_the_scale_and_have_one_value_per_day(p):
    run = simulate(p)
    assert len(run.agitation) == len(run.stress) == p.days + 1
    assert all(0 <= v <= SCALE_MAX for v in run.agitation + run.stress)
    assert describe(run)


@settings(max_examples=200, deadline=None)
@given(params)
def test_lowering_the_gain_never_raises_either_curve(p):
    lower = LoopParameters(**{**p.__dict__, "gain": p.gain / 2})
    high, low = simulate(p), simulate(lower)
    assert all(lo <= hi + 1e-9 for lo, hi in zip(low.agitation, high.agitation, strict=True))
    assert all(lo <= hi + 1e-9 for lo, hi in zip(low.stress, high.stress, strict=True))


def test_polyline_maps_the_scale_into_the_box():
    points = polyline((0.0, 10.0), width=100, height=50, pad=10).split()
    assert points == ["10.0,40.0", "90.0,10.0"]

"""The caregiving feedback loop, as a small pure model (no Django imports).

A person living with dementia and their carer affect each other day by day: agitation raises the
carer's stress, and stress (rushed, tense care) raises agitation. Each day both ease a little on
their own (``decay``), both meet ordinary daily stressors, and each is pushed up by the other in
proportion to the ``gain``. On a 0-10 scale, clipped at both ends:

    agitation[t+1] = (1 - decay) * agitation[t] + gain * stress[t]    + daily_stressors
    stress[t+1]    = (1 - decay) * stress[t]    + gain * agitation[t] + daily_stressors

When ``gain > decay`` the pair escalates until it hits the ceiling; when ``gain < decay`` it settles
at ``daily_stressors / (decay - gain)`` (or the ceiling, if that is lower). Caregiver skills
training is modelled as an intervention that lowers the gain.
"""

from dataclasses import dataclass

SCALE_MAX = 10.0


@dataclass(frozen=True)
class LoopParameters:
    days: int = 21
    initial_agitation: float = 2.0
    initial_stress: float = 2.0
    gain: float = 0.6
    decay: float = 0.5
    daily_stressors: float = 0.5

    def __post_init__(self):
        if not 2 <= self.days <= 120:
            raise ValueError("days must be between 2 and 120")
        if not 0 < self.decay <= 1:
            raise ValueError("decay must be above 0 and at most 1")
        if not 0 <= self.gain <= 2:
            raise ValueError("gain must be between 0 and 2")
        for name in ("initial_agitation", "initial_stress", "daily_stressors"):
            if not 0 <= getattr(self, name) <= SCALE_MAX:
                raise ValueError(f"{name} must be between 0 and {SCALE_MAX:g}")


@dataclass(frozen=True)
class LoopRun:
    parameters: LoopParameters
    agitation: tuple[float, ...]
    stress: tuple[float, ...]

    @property
    def escalates(self) -> bool:
        """True when the loop amplifies (gain above the natural easing)."""
        return self.parameters.gain > self.parameters.decay

    @property
    def settles_at(self) -> float | None:
        """The level both settle at, or None when the loop escalates or balances exactly."""
        p = self.parameters
        if p.gain >= p.decay:
            return None
        return min(SCALE_MAX, p.daily_stressors / (p.decay - p.gain))


def _clip(value: float) -> float:
    return max(0.0, min(SCALE_MAX, value))


def simulate(parameters: LoopParameters) -> LoopRun:
    """Day-by-day levels, day 0 included (``days + 1`` values in each series)."""
    p = parameters
    agitation = [_clip(p.initial_agitation)]
    stress = [_clip(p.initial_stress)]
    for _ in range(p.days):
        a, s = agitation[-1], stress[-1]
        agitation.append(_clip((1 - p.decay) * a + p.gain * s + p.daily_stressors))
        stress.append(_clip((1 - p.decay) * s + p.gain * a + p.daily_stressors))
    return LoopRun(p, tuple(round(v, 2) for v in agitation), tuple(round(v, 2) for v in stress))


def polyline(values: tuple[float, ...], *, width: int, height: int, pad: int) -> str:
    """SVG polyline points for a series on a 0-10 scale inside a ``width`` x ``height`` box."""
    span = max(1, len(values) - 1)
    usable_w, usable_h = width - 2 * pad, height - 2 * pad
    points = (
        f"{pad + usable_w * i / span:.1f},{pad + usable_h * (1 - v / SCALE_MAX):.1f}"
        for i, v in enumerate(values)
    )
    return " ".join(points)


def describe(run: LoopRun) -> str:
    """A plain-language summary of the run, for screen readers and for everyone."""
    p = run.parameters
    start, end = run.agitation[0], run.agitation[-1]
    if run.escalates:
        peak_day = next((i for i, v in enumerate(run.agitation) if v >= SCALE_MAX), None)
        reached = (
            f"both reach the top of the scale by day {peak_day}"
            if peak_day is not None
            else f"agitation climbs from {start:g} to {end:g} by day {p.days}"
        )
        return (
            f"With a gain of {p.gain:g}, each one's distress pushes the other up faster than it "
            f"eases ({p.decay:g} a day): the loop escalates and {reached}."
        )
    settle = run.settles_at
    return (
        f"With a gain of {p.gain:g}, below the daily easing of {p.decay:g}, the loop is damped: "
        f"agitation goes from {start:g} to {end:g} by day {p.days} and both settle near "
        f"{settle:.1f} out of 10."
        if settle is not None
        else f"With a gain of {p.gain:g}, equal to the daily easing, the pair drifts slowly "
        f"upwards with each day's stressors: agitation is {end:g} by day {p.days}."
    )

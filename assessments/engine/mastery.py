"""The mastery rule: from a trainee's evidence for one competency element to a judgement.
Pure Python: no Django imports. The dashboard explains it to trainees in these words:

  For each question or case step you have done, only your most recent score counts. We average
  those scores. An element counts as evidenced once the evidence comes from at least N different
  items in at least K different clinical settings; it is met when the average also reaches the
  threshold.

N (``min_items``), K (``min_settings``) and the threshold are data that administrators change.
"""

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Policy:
    min_items: int = 4
    min_settings: int = 2
    threshold: float = 0.7  # share of the available credit, 0..1
    # Observed practice (readiness, not mastery): how many direct observations per element,
    # each rated at least ``observation_level`` on the 1-5 entrustment scale. 0: none needed.
    observations_needed: int = 0
    observation_level: int = 3
    # Sign-off (not mastery): how many supervisors decide on a request (1 or 2) and, with two,
    # how their decisions combine: ``ALL_AGREE`` or ``LEAD_DECIDES``.
    supervisors_needed: int = 1
    sign_off_rule: str = "all_agree"


ALL_AGREE = "all_agree"
LEAD_DECIDES = "lead_decides"


@dataclass(frozen=True)
class ItemScore:
    """The latest finalised score on one distinct item (quiz question or vignette step)."""

    item: str
    setting: str
    points: float
    max_points: float


@dataclass(frozen=True)
class Mastery:
    items: int
    settings: int
    mean: float | None  # None when there is no evidence at all
    items_needed: int
    settings_needed: int
    threshold: float

    @property
    def evidenced(self) -> bool:
        return self.items_needed == 0 and self.settings_needed == 0

    @property
    def met(self) -> bool:
        return self.evidenced and self.mean is not None and self.mean >= self.threshold - 1e-9

    @property
    def status(self) -> str:
        if self.mean is None:
            return "not started"
        if not self.evidenced:
            return "needs more evidence"
        return "met" if self.met else "below threshold"

    @property
    def percent(self) -> int | None:
        return None if self.mean is None else round(100 * self.mean)


def latest_per_item(scores: Iterable[tuple[str, str, float, float, object]]) -> list[ItemScore]:
    """From (item, setting, points, max, when) rows in any order, the most recent per item."""
    latest: dict[str, tuple[object, ItemScore]] = {}
    for item, setting, points, max_points, when in scores:
        if item not in latest or when >= latest[item][0]:
            latest[item] = (when, ItemScore(item, setting, points, max_points))
    return [score for _, score in latest.values()]


def judge(items: Iterable[ItemScore], policy: Policy) -> Mastery:
    """Apply the rule to the latest score per distinct item."""
    scored = [i for i in items if i.max_points > 0]
    settings = {i.setting for i in scored if i.setting}
    mean = sum(i.points / i.max_points for i in scored) / len(scored) if scored else None
    return from_summary(len(scored), len(settings), mean, policy)


def from_summary(items: int, settings: int, mean: float | None, policy: Policy) -> Mastery:
    """The same judgement from stored counts and mean (what the dashboards read)."""
    return Mastery(
        items=items,
        settings=settings,
        mean=mean,
        items_needed=max(0, policy.min_items - items),
        settings_needed=max(0, policy.min_settings - settings),
        threshold=policy.threshold,
    )

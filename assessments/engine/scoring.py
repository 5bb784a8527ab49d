"""Scoring primitives shared by quizzes and vignettes. Pure Python: no Django imports.

Every function returns a fraction of the available credit in [0, 1]; callers multiply by the
item's points. One implementation per rule, used everywhere a learner's answer is scored.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Score:
    """Points earned out of the points available."""

    points: float
    max_points: float

    def __post_init__(self):
        if self.max_points < 0 or not 0 <= self.points <= self.max_points + 1e-9:
            raise ValueError(f"score {self.points} outside 0..{self.max_points}")

    @property
    def fraction(self) -> float:
        return self.points / self.max_points if self.max_points else 0.0


def scaled(fraction: float, max_points: float) -> Score:
    """A fraction of credit as points, rounded to avoid float dust."""
    points = round(max(0.0, min(1.0, fraction)) * max_points, 4)
    return Score(min(points, max_points), max_points)


def single_choice(selected: str | None, correct: str) -> float:
    """Full credit for the one correct option, none otherwise."""
    return 1.0 if selected is not None and selected == correct else 0.0


def selection(selected: Iterable[str], correct: Iterable[str], offered: Iterable[str]) -> float:
    """Pick-all-that-apply with partial credit: each correct pick earns 1/|correct|, each wrong
    pick costs the same, and the total is floored at zero. Picks that were not offered are
    ignored (the service refuses them before scoring). Order does not matter."""
    offered_set = set(offered)
    picked = set(selected) & offered_set
    key = set(correct) & offered_set
    if not key:
        return 1.0 if not picked else 0.0
    hits = len(picked & key)
    false_picks = len(picked - key)
    return max(0.0, (hits - false_picks) / len(key))


# Over-treating costs something: a neutral pick (offered but neither helpful nor harmful) costs
# half of what a helpful pick earns, so one extra costs a little and ticking everything scores 0.
NEUTRAL_COST = 0.5


def rated_selection(
    selected: Iterable[str],
    helpful: Iterable[str],
    harmful: Iterable[str],
    offered: Iterable[str],
    neutral_cost: float = NEUTRAL_COST,
) -> float:
    """Pick what the person needs: each helpful pick earns one share (1/|helpful|), each harmful
    pick costs a share, and each neutral pick (neither helpful nor harmful: more than the person
    needs) costs ``neutral_cost`` of a share; floored at zero. The best answer is exactly the
    helpful options (1), the worst is 0. With nothing helpful offered, the share is the whole
    credit. Order does not matter; picks that were not offered are ignored."""
    offered_set = set(offered)
    picked = set(selected) & offered_set
    good = set(helpful) & offered_set
    bad = (set(harmful) & offered_set) - good
    neutral = picked - good - bad
    share = 1 / len(good) if good else 1.0
    earned = len(picked & good) * share if good else 1.0
    cost = (len(picked & bad) + neutral_cost * len(neutral)) * share
    return max(0.0, earned - cost)


def matching(chosen: Mapping[str, str | None], key: Mapping[str, str]) -> float:
    """Each item matched to its keyed partner earns an equal share; unanswered items earn none."""
    if not key:
        return 0.0
    right = sum(1 for item, partner in key.items() if chosen.get(item) == partner)
    return right / len(key)


def ordering(submitted: Sequence[str], correct: Sequence[str]) -> float:
    """Share of item pairs placed in the right relative order (1 = exact, 0 = reversed).

    Items missing from ``submitted`` count as placed last, in no particular order.
    """
    n = len(correct)
    if n < 2:
        return 1.0 if list(submitted) == list(correct) else 0.0
    position = {item: i for i, item in enumerate(submitted) if item in set(correct)}
    last = len(correct)
    ranks = [position.get(item, last) for item in correct]
    pairs = n * (n - 1) // 2
    concordant = sum(1 for i in range(n) for j in range(i + 1, n) if ranks[i] < ranks[j])
    return concordant / pairs

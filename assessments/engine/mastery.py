"""The mastery rule: from a trainee's evidence for one competency element to a judgement.
Pure Python: no Django imports. The dashboard explains it in the words ``explanation`` gives,
from the same policy numbers the rule applies (tests/assessments/test_evidence_policy.py checks
each sentence against the rule):

- Evidence for an item (a quiz question or a case step) is the trainee's *first* answer to it.
  Later answers to the same item (a retake, a replay) are practice: feedback as generous as
  ever, but the evidence stays what the trainee knew the first time. So a blank attempt that
  shows the key in its review, followed by a retake, earns nothing.
- Evidence has levels (Miller's pyramid): quizzes show what the trainee *knows*, case vignettes
  what they *show how* to do, and a supervisor's observations what they *do*
  (``progress.readiness``). Clinical settings are counted from case evidence only: quizzes add
  items and knowledge, but never make an element met on their own.
- An element is evidenced once it has at least N items (``min_items``) and case evidence from at
  least K settings (``min_settings``); it is met when the average also reaches the threshold.

N, K and the threshold are data that administrators change (``MasteryPolicy``).
"""

import math
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


# The level of evidence an item gives, by the prefix of its key (``quiz:…``, ``case:…``).
KNOWS, SHOWS_HOW, DOES = "knows", "shows how", "does"
LEVELS = {"quiz": KNOWS, "case": SHOWS_HOW}
# The third level, *does*, is not an item: it is a supervisor's observation of practice.
# The level whose clinical settings count toward ``min_settings``.
SETTINGS_LEVEL = SHOWS_HOW


@dataclass(frozen=True)
class ItemScore:
    """The score that counts on one distinct item (quiz question or case step): the first."""

    item: str
    setting: str
    points: float
    max_points: float

    @property
    def level(self) -> str | None:
        return LEVELS.get(self.item.partition(":")[0])


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
        """The mean as a whole percentage, rounded down: a mean just under the threshold
        (0.699 of 0.70) must not read as reaching it."""
        return None if self.mean is None else math.floor(100 * self.mean + 1e-9)


def first_per_item(scores: Iterable[tuple[str, str, float, float, object]]) -> list[ItemScore]:
    """From (item, setting, points, max, when) rows in any order, the first answer per item
    (of two given at the same moment, the one listed first): later ones are practice."""
    first: dict[str, tuple[object, ItemScore]] = {}
    for item, setting, points, max_points, when in scores:
        if item not in first or when < first[item][0]:
            first[item] = (when, ItemScore(item, setting, points, max_points))
    return [score for _, score in first.values()]


def judge(items: Iterable[ItemScore], policy: Policy) -> Mastery:
    """Apply the rule to the score that counts per distinct item (``first_per_item``):
    settings are counted from case evidence only."""
    scored = [i for i in items if i.max_points > 0]
    settings = {i.setting for i in scored if i.setting and i.level == SETTINGS_LEVEL}
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


def explanation(policy: Policy) -> list[str]:
    """The rule in the words the trainee's dashboard shows, with the policy's numbers: each
    sentence is checked against ``judge`` by the tests."""
    threshold = round(100 * policy.threshold)
    sentences = [
        "For each question or case step, your first answer is your evidence. Retaking a quiz "
        "or replaying a case is practice: you get the feedback again, but the evidence stays "
        "what you answered the first time. Most quiz questions come in equivalent versions, "
        "and a retake shows you the versions you have seen least, new ones first.",
        "We average that evidence for each element.",
        f"An element counts as evidenced once it has at least {policy.min_items} "
        f"item{'s' if policy.min_items != 1 else ''} and case evidence from at least "
        f"{policy.min_settings} clinical setting{'s' if policy.min_settings != 1 else ''}: "
        "quizzes add to what you know, but settings are counted from cases only.",
        f"It is met when the average also reaches {threshold}%.",
    ]
    if policy.observations_needed:
        sentences.append(
            f"For sign-off, each element also needs {policy.observations_needed} "
            f"observation{'s' if policy.observations_needed != 1 else ''} of your practice by a "
            f"supervisor, rated level {policy.observation_level} or above."
        )
    return sentences

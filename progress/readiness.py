"""The readiness rule: is a trainee ready to ask for sign-off, and if not, what is still missing.
Pure Python: no Django imports (import-linter's ``engines`` contract holds it to that).

  A trainee is ready when every core lesson is done (and at least one is published), every
  competency element is met by the mastery rule (``assessments.engine.mastery``) and, in every
  element, their supervisors have observed their practice as often as the policy asks
  (``observations_needed`` ratings at or above ``observation_level``; none by default).

``progress.selectors.trainee_progress`` applies it to one trainee's stored summaries; its SQL
twin, ``progress.readiness_sql``, gives the same verdict for many trainees at once (the
supervisor's table filters and sorts on it). tests/progress/test_readiness.py holds the two
equal on generated trainees.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from assessments.engine import mastery


@dataclass(frozen=True)
class Summary:
    """What is stored for one trainee and element (``ElementMastery``): distinct items, distinct
    clinical settings and the mean of the latest score per item; and ``observed``, how many
    observation ratings of the element reach the policy's entrustment level. No evidence: the
    defaults."""

    items: int = 0
    settings: int = 0
    mean: float | None = None
    observed: int = 0


@dataclass(frozen=True)
class Verdict:
    """The rule's answer: ready or not, each element's mastery and the observations it still
    needs (in the order given) and, in plain words, everything still missing (empty when
    ready)."""

    ready: bool
    elements: tuple[mastery.Mastery, ...]
    missing: tuple[str, ...]
    observations_needed: tuple[int, ...] = ()


def is_ready(
    *,
    masteries: Iterable[mastery.Mastery],
    core_done: int,
    core_total: int,
    observations_needed: Iterable[int] = (),
) -> bool:
    """The rule itself, on elements already judged by ``assessments.engine.mastery`` and the
    observations each still needs."""
    return (
        core_total > 0
        and core_done >= core_total
        and all(m.met for m in masteries)
        and not any(observations_needed)
    )


def judge(
    *,
    elements: Sequence[tuple[str, Summary | None]],
    core_done: int,
    core_total: int,
    policy: mastery.Policy,
) -> Verdict:
    """The verdict for one trainee from (element name, stored summary or None) per element,
    the core lessons done out of those published, and the mastery policy."""
    stored = [summary or Summary() for _, summary in elements]
    judged = tuple(mastery.from_summary(s.items, s.settings, s.mean, policy) for s in stored)
    observations = tuple(max(0, policy.observations_needed - s.observed) for s in stored)
    missing = []
    if core_total == 0:
        missing.append("The course has no core lessons published yet.")
    elif core_done < core_total:
        left = core_total - core_done
        missing.append(f"Complete {left} more core lesson{_s(left)}.")
    for (name, _), m, needed in zip(elements, judged, observations, strict=True):
        missing.extend(_element_missing(name, m))
        if needed:
            missing.append(
                f"{needed} more observation{_s(needed)} of your practice rated level "
                f"{policy.observation_level} or above for “{name}”."
            )
    return Verdict(
        ready=is_ready(
            masteries=judged,
            core_done=core_done,
            core_total=core_total,
            observations_needed=observations,
        ),
        elements=judged,
        missing=tuple(missing),
        observations_needed=observations,
    )


def _element_missing(name: str, m: mastery.Mastery) -> list[str]:
    """What one element still needs: more items, more settings, or a higher average."""
    missing = []
    if m.items_needed:
        n = m.items_needed
        missing.append(f"{n} more question{_s(n)} or case step{_s(n)} for “{name}”.")
    if m.settings_needed:
        n = m.settings_needed
        missing.append(f"Case evidence from {n} more clinical setting{_s(n)} for “{name}”.")
    if m.evidenced and not m.met:
        now = f"{m.percent}%" if m.mean is not None else "no score"
        missing.append(
            f"Raise your average for “{name}” from {now} to {round(100 * m.threshold)}%, with "
            "questions or cases you have not answered before."
        )
    return missing


def _s(n: int) -> str:
    return "s" if n != 1 else ""

"""Item pools: a quiz slot holds several equivalent variants, and each attempt draws one.

A question names its slot (``QuestionSpec.slot``); questions without one are slots of their own.
The draw rule, stated once here and in the trainee's words by ``mastery.explanation``:

- each slot shows one variant per attempt, in the order the slots are authored;
- a retake prefers the variants the trainee has been shown least often (first the unseen ones),
  so the key read in one attempt's review is the key to a question the retake does not ask;
- among those, the attempt's secret picks (``delivery.order``): the same on every reload of the
  attempt, different between attempts, and not predictable by the trainee.

Evidence stays per variant (``quiz:<question key>``, first answer counts), so a variant seen
before is practice however often it comes back. Variants of a slot must be interchangeable as
evidence: the same kind, elements and points (``variant_problem``, asked by the editor and the
import alike). Pure Python: imports ``delivery`` and ``quiz_logic`` only.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from .delivery import order
from .quiz_logic import QuestionSpec

DIFFERENT_VARIANTS = (
    "Variants of slot “{slot}” must be interchangeable as evidence: the same kind, competency "
    "elements and points as “{first}” ({differs} differ)."
)


@dataclass(frozen=True)
class Variant:
    """What makes variants of one slot interchangeable as evidence."""

    key: str
    slot: str  # the slot's name, or the question's own key when it names none
    kind: str
    elements: frozenset[str]
    points: float


def slot_of(spec: QuestionSpec) -> str:
    return spec.slot or spec.key


def slots(specs: Sequence[QuestionSpec]) -> list[tuple[str, list[QuestionSpec]]]:
    """The slots in the order of their first variant, each with its variants in authored order."""
    grouped: dict[str, list[QuestionSpec]] = {}
    for spec in specs:
        grouped.setdefault(slot_of(spec), []).append(spec)
    return list(grouped.items())


def draw(specs: Sequence[QuestionSpec], *, shown: Mapping[str, int], secret: str) -> list[str]:
    """The keys of the questions an attempt shows: one variant per slot, from those shown to this
    trainee least often before (``shown``: times each key was shown), picked by ``secret``."""
    drawn = []
    for slot, variants in slots(specs):
        fewest = min(shown.get(v.key, 0) for v in variants)
        candidates = [v.key for v in variants if shown.get(v.key, 0) == fewest]
        drawn.append(order(secret, f"slot\x1f{slot}", candidates)[0])
    return drawn


def drawn(specs: Sequence[QuestionSpec], keys: Iterable[str]) -> list[QuestionSpec]:
    """The questions an attempt drew (``keys``), in authored order. No keys: every question
    (attempts started before pools existed drew nothing and were shown the whole quiz)."""
    keys = set(keys)
    return [s for s in specs if s.key in keys] if keys else list(specs)


def variant_problem(variants: Iterable[Variant]) -> tuple[str, str] | None:
    """The first variant that cannot stand in for the first of its slot, with the message
    (key, message); None when every slot's variants are interchangeable."""
    first: dict[str, Variant] = {}
    for variant in variants:
        model = first.setdefault(variant.slot, variant)
        differs = [
            name
            for name in ("kind", "elements", "points")
            if getattr(variant, name) != getattr(model, name)
        ]
        if differs:
            return variant.key, DIFFERENT_VARIANTS.format(
                slot=variant.slot, first=model.key, differs=" and ".join(differs)
            )
    return None

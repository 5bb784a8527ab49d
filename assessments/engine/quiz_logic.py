"""What a quiz question expects and how an answer is scored, over plain data.

``question_spec`` turns a question (from the pinned revision) into a ``QuestionSpec``;
``parse_response`` checks a posted answer against it (a choice that does not exist is refused);
``score_response`` scores a checked answer with the primitives in ``scoring``. No ORM queries:
the caller passes objects already loaded from the revision.
"""

import hashlib
from dataclasses import dataclass, field

from . import scoring

DEFAULT_PASS_MARK = 70  # percent, for a quiz that names none


def passed(points: float, available: float, pass_mark: float) -> bool:
    """Whether a finalised attempt passes: its share of the points available reaches the pass
    mark (a percentage). An attempt with nothing scored never passes."""
    return available > 0 and 100 * points / available >= pass_mark - 1e-9


class ResponseError(ValueError):
    """An answer that does not fit its question (tampered or malformed)."""


@dataclass(frozen=True)
class Option:
    key: str
    label: str
    correct: bool
    feedback: str
    factor: str | None = None  # factor name, for matching pairs
    intervention: str | None = None  # intervention slug, for matching
    intervention_name: str | None = None


@dataclass(frozen=True)
class QuestionSpec:
    key: str
    kind: str
    stem: str
    points: float
    feedback: str
    guidance: str
    elements: tuple[str, ...]
    setting: str | None
    options: tuple[Option, ...] = field(default_factory=tuple)
    # The pool slot this question is a variant of ("": a slot of its own; ``pools``).
    slot: str = ""

    @property
    def auto_scored(self) -> bool:
        return self.kind != "reflection"

    @property
    def pairs(self) -> tuple[Option, ...]:
        return tuple(o for o in self.options if o.factor)

    @property
    def intervention_choices(self) -> list[tuple[str, str]]:
        """(slug, name) of every intervention offered in a matching question, in a neutral
        order that does not give the pairing away."""
        seen = {}
        for option in self.options:
            if option.intervention:
                seen[option.intervention] = option.intervention_name or option.intervention
        return sorted(seen.items(), key=lambda kv: kv[1].lower())

    def display_order(self) -> list[Option]:
        """Options in the order shown. Ordering items are shuffled by a hash of their keys (and
        rotated if that happens to be the answer), so the page never shows the correct order."""
        if self.kind == "ordering":
            shown = sorted(self.options, key=lambda o: hashlib.sha256(o.key.encode()).hexdigest())
            if len(shown) > 1 and shown == list(self.options):
                shown = shown[1:] + shown[:1]  # never the correct order by chance
            return shown
        if self.kind == "intervention_matching":
            return list(self.pairs)
        return list(self.options)


def parse_response(spec: QuestionSpec, data) -> dict:
    """A posted answer (QueryDict or dict) as the stored response, or ResponseError."""
    keys = {o.key for o in spec.options}
    if spec.kind == "single":
        choice = data.get("choice")
        if choice not in keys:
            raise ResponseError("Choose one of the options.")
        return {"choice": choice}
    if spec.kind in ("multiple", "factor_recognition"):
        picked = data.getlist("choices") if hasattr(data, "getlist") else data.get("choices", [])
        picked = list(dict.fromkeys(picked))
        if any(p not in keys for p in picked):
            raise ResponseError("That answer includes an option this question does not have.")
        return {"choices": picked}
    if spec.kind == "intervention_matching":
        allowed = {slug for slug, _ in spec.intervention_choices}
        matches = {}
        for pair in spec.pairs:
            value = data.get(f"match-{pair.key}") or None
            if value is not None and value not in allowed:
                raise ResponseError(
                    "That answer includes an intervention this question does not offer."
                )
            matches[pair.key] = value
        if not any(matches.values()):
            raise ResponseError("Match at least one factor to an intervention.")
        return {"matches": matches}
    if spec.kind == "ordering":
        positions = {}
        for option in spec.options:
            raw = data.get(f"position-{option.key}")
            try:
                position = int(raw)
            except (TypeError, ValueError):
                raise ResponseError("Give every item a position.") from None
            if not 1 <= position <= len(spec.options):
                raise ResponseError("Positions run from 1 to the number of items.")
            positions[option.key] = position
        if len(set(positions.values())) != len(positions):
            raise ResponseError("Give each item a different position.")
        order = sorted(positions, key=positions.get)
        return {"order": order}
    if spec.kind == "reflection":
        text = (data.get("text") or "").replace("\x00", "").strip()
        if not text:
            raise ResponseError("Write your answer before saving it.")
        if len(text) > 5000:
            raise ResponseError("Keep your answer under 5,000 characters.")
        return {"text": text}
    raise ResponseError("This question cannot be answered.")


def score_response(spec: QuestionSpec, response: dict | None) -> scoring.Score | None:
    """The score of a (checked) response; None for questions that are not auto-scored."""
    if not spec.auto_scored:
        return None
    response = response or {}
    if spec.kind == "single":
        correct = next(o.key for o in spec.options if o.correct)
        fraction = scoring.single_choice(response.get("choice"), correct)
    elif spec.kind in ("multiple", "factor_recognition"):
        fraction = scoring.selection(
            response.get("choices", []),
            [o.key for o in spec.options if o.correct],
            [o.key for o in spec.options],
        )
    elif spec.kind == "intervention_matching":
        key = {o.key: o.intervention for o in spec.pairs}
        fraction = scoring.matching(response.get("matches", {}), key)
    elif spec.kind == "ordering":
        fraction = scoring.ordering(response.get("order", []), [o.key for o in spec.options])
    else:
        fraction = 0.0
    return scoring.scaled(fraction, spec.points)


def correct_answer_text(spec: QuestionSpec) -> list[str]:
    """The key in words, for the review page after submission."""
    if spec.kind in ("single", "multiple", "factor_recognition"):
        return [o.label for o in spec.options if o.correct]
    if spec.kind == "intervention_matching":
        return [f"{o.factor} → {o.intervention_name}" for o in spec.pairs]
    if spec.kind == "ordering":
        return [o.label for o in spec.options]
    return []

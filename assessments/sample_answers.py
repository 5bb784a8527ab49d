"""Plausible answers to quiz questions, for the demo's history (``supervision.demo_history``)
and the benchmark's trainees (``bench.scale``): never for a real trainee. Pure: a question's
spec and a random generator in, an answer out."""

import random

from .engine.quiz_logic import QuestionSpec

REFLECTION = "I would ask how things are at home and what worries them most."


def form_answer(
    rng: random.Random, spec: QuestionSpec, skill: float, *, text: str = REFLECTION
) -> dict:
    """An answer as the question's form posts it (authored keys; ``quiz_logic.parse_response``
    reads it), right with probability ``skill`` for each part of it; ``text`` for a question
    answered in words."""
    options = list(spec.options)
    if spec.kind == "single":
        right = next(o.key for o in options if o.correct)
        wrong = [o.key for o in options if not o.correct]
        return {"choice": right if rng.random() < skill or not wrong else rng.choice(wrong)}
    if spec.kind in ("multiple", "factor_recognition"):
        return {"choices": [o.key for o in options if (rng.random() < skill) == bool(o.correct)]}
    if spec.kind == "intervention_matching":
        offered = [slug for slug, _ in spec.intervention_choices]
        return {
            f"match-{p.key}": p.intervention if rng.random() < skill else rng.choice(offered)
            for p in spec.pairs
        }
    if spec.kind == "ordering":
        order = [o.key for o in options]
        if rng.random() > skill:
            rng.shuffle(order)
        return {f"position-{key}": str(n) for n, key in enumerate(order, start=1)}
    return {"text": text}

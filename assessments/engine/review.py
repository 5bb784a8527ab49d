"""What the review page says about each option of a submitted answer, over plain data.

Every row says in words what the trainee did with the option and whether that was right, so the
review reads the same without colour: ``right`` is True, False, or None (nothing to judge, such
as an unanswered reflection). Matching rows name interventions, never their slugs; ordering
rows give each item in full with the place the trainee gave it. No Django imports.
"""

from .quiz_logic import QuestionSpec

# (chosen, correct) -> what is said, for options that can be ticked.
_CHOICE_WORDS = {
    (True, True): "You chose this, and it is a right answer.",
    (True, False): "You chose this, but it is not a right answer.",
    (False, True): "You did not choose this, but it is a right answer: it should have been chosen.",
    (False, False): "You did not choose this, and it was right to leave it.",
}
_FACTOR_WORDS = {
    (True, True): "You chose this, and it is present in this case.",
    (True, False): "You chose this, but it is not present in this case.",
    (False, True): "You did not choose this, but it is present in this case: it should have "
    "been chosen.",
    (False, False): "You did not choose this, and it was right to leave it: it is not present.",
}


def _selection(spec: QuestionSpec, response: dict) -> set[str]:
    if spec.kind == "single":
        return {response["choice"]} if response.get("choice") else set()
    return set(response.get("choices", []))


def review_rows(spec: QuestionSpec, response: dict | None) -> list[dict]:
    """One row per option (per pair for matching, per item in the correct order for ordering):
    ``label``, ``said`` (the sentence), ``right`` and the option's ``feedback``."""
    response = response or {}
    if spec.kind == "reflection":
        return []
    if spec.kind == "intervention_matching":
        names = dict(spec.intervention_choices)
        matches = response.get("matches", {})
        rows = []
        for pair in spec.pairs:
            chosen = matches.get(pair.key)
            if not chosen:
                said = f"You did not match this. The best match is {pair.intervention_name}."
            elif chosen == pair.intervention:
                said = f"You chose {names.get(chosen, chosen)}, the best match."
            else:
                said = (
                    f"You chose {names.get(chosen, 'an intervention no longer offered')}. "
                    f"The best match is {pair.intervention_name}."
                )
            rows.append(
                {
                    "label": pair.factor,
                    "said": said,
                    "right": chosen == pair.intervention,
                    "feedback": pair.feedback,
                }
            )
        return rows
    if spec.kind == "ordering":
        order = response.get("order", [])
        placed = {key: position for position, key in enumerate(order, start=1)}
        rows = []
        for position, item in enumerate(spec.options, start=1):
            given = placed.get(item.key)
            if given is None:
                said = f"Its place is {position}. You did not place it."
            elif given == position:
                said = f"Its place is {position}, and you placed it there."
            else:
                said = f"Its place is {position}. You placed it at {given}."
            rows.append(
                {"label": item.label, "said": said, "right": given == position, "feedback": ""}
            )
        return rows
    words = _FACTOR_WORDS if spec.kind == "factor_recognition" else _CHOICE_WORDS
    chosen = _selection(spec, response)
    return [
        {
            "label": option.label,
            "said": words[(option.key in chosen, option.correct)],
            "right": (option.key in chosen) == option.correct,
            "feedback": option.feedback,
        }
        for option in spec.options
    ]


def given_order(spec: QuestionSpec, response: dict | None) -> list[str]:
    """An ordering answer as the trainee gave it: every item's label, in full, in their order."""
    labels = {o.key: o.label for o in spec.options}
    return [labels[key] for key in (response or {}).get("order", []) if key in labels]

"""Options delivered without cues: an order drawn for each attempt, and opaque values on the page.

Every attempt carries a secret (``delivery_secret`` on quiz and case attempts). From it and a
*scope* (a question key, a case node id) this module draws

- ``order``: the order the options are shown in. Sorting by an HMAC of each key is a uniform
  shuffle that is the same on every reload and resume of the attempt and differs between attempts;
- ``token``: the value the page carries for an option, an HMAC of the key truncated to
  ``TOKEN_LENGTH`` hex digits. It says nothing about the option (not its key, its position or the
  author's judgement) and cannot be forged without the secret;
- ``decode``: the authored key a posted value stands for, or ``UnknownValue``.

Stored answers keep the authored keys, so scoring, reviews and older attempts are unchanged.
The quiz forms (``question_form`` and ``decode_form``, and ``encode_form`` for scripted play) are
here too; the case player uses ``order``, ``token`` and ``decode`` with the node id as the scope.
Pure Python: imports ``quiz_logic`` only.
"""

import hashlib
import hmac
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from .quiz_logic import Option, QuestionSpec, ResponseError

# 12 hex digits = 48 bits: guessing a valid value is hopeless within the scoring rate limit.
TOKEN_LENGTH = 12
FORGED = "That answer includes a choice this page did not offer. Reload the page and answer again."


class UnknownValue(ResponseError):
    """A posted value that no option of this question or node has for this attempt."""

    def __init__(self, message: str = FORGED):
        super().__init__(message)


def _mac(secret: str, scope: str, key: str) -> str:
    return hmac.new(secret.encode(), f"{scope}\x1f{key}".encode(), hashlib.sha256).hexdigest()


def token(secret: str, scope: str, key: str) -> str:
    """The opaque value of ``key`` in ``scope`` for the attempt holding ``secret``. It starts
    with a letter so it can also serve in an HTML id."""
    return "v" + _mac(secret, scope, key)[:TOKEN_LENGTH]


def order(secret: str, scope: str, keys: Iterable[str]) -> list[str]:
    """``keys`` in the order drawn for this attempt and scope."""
    return sorted(keys, key=lambda k: _mac(secret, f"{scope}\x1forder", k))


def codebook(secret: str, scope: str, keys: Iterable[str]) -> dict[str, str]:
    """Authored key by opaque value."""
    return {token(secret, scope, k): k for k in keys}


def decode(secret: str, scope: str, keys: Iterable[str], value: str) -> str:
    """The authored key ``value`` stands for, or ``UnknownValue``."""
    key = codebook(secret, scope, keys).get(value)
    if key is None:
        raise UnknownValue()
    return key


# --- Quiz questions ------------------------------------------------------------------------


def _intervention_scope(spec: QuestionSpec) -> str:
    return f"{spec.key}\x1fintervention"


def intervention_token(spec: QuestionSpec, secret: str, slug: str) -> str:
    """The opaque value of an intervention in a matching question's selects."""
    return token(secret, _intervention_scope(spec), slug)


@dataclass(frozen=True)
class Row:
    """One option as the form shows it: the option (its label; its key stays on the server)
    and the opaque value that names it in the form."""

    option: Option
    token: str
    choices: tuple[tuple[str, str], ...] = ()  # matching: (value, intervention name), shuffled


def question_form(spec: QuestionSpec, secret: str) -> list[Row]:
    """The options of a question in this attempt's order, each with its opaque value. Ordering
    items never start in the correct order (when there are two or more); in a matching question
    the interventions of each select are shuffled per factor and opaque as well."""
    options = list(spec.pairs if spec.kind == "intervention_matching" else spec.options)
    by_key = {o.key: o for o in options}
    shown = [by_key[k] for k in order(secret, spec.key, by_key)]
    if spec.kind == "ordering" and len(shown) > 1 and shown == list(spec.options):
        shown = shown[1:] + shown[:1]  # never the correct order by chance
    interventions = dict(spec.intervention_choices)
    rows = []
    for option in shown:
        choices: tuple[tuple[str, str], ...] = ()
        if spec.kind == "intervention_matching":
            slugs = order(secret, f"{spec.key}\x1f{option.key}", interventions)
            choices = tuple((intervention_token(spec, secret, s), interventions[s]) for s in slugs)
        rows.append(Row(option, token(secret, spec.key, option.key), choices))
    return rows


def _getlist(data, name: str) -> list[str]:
    if hasattr(data, "getlist"):
        return data.getlist(name)
    value = data.get(name, [])
    return [value] if isinstance(value, str) else list(value)


def decode_form(spec: QuestionSpec, secret: str, data) -> dict:
    """A posted form (opaque values) as the authored answer ``quiz_logic.parse_response`` reads.
    Any value or field name this attempt's page did not carry raises ``UnknownValue``; nothing
    else is judged here (a missing answer is left for ``parse_response`` to name)."""
    keys = [o.key for o in spec.options]
    if spec.kind == "single":
        value = data.get("choice")
        return {"choice": decode(secret, spec.key, keys, value) if value else None}
    if spec.kind in ("multiple", "factor_recognition"):
        return {"choices": [decode(secret, spec.key, keys, v) for v in _getlist(data, "choices")]}
    if spec.kind == "intervention_matching":
        pairs = codebook(secret, spec.key, [o.key for o in spec.pairs])
        slugs = codebook(secret, _intervention_scope(spec), dict(spec.intervention_choices))
        out = {}
        for name in data:
            if name.startswith("match-"):
                pair = pairs.get(name.removeprefix("match-"))
                value = data.get(name) or ""
                if pair is None or (value and value not in slugs):
                    raise UnknownValue()
                out[f"match-{pair}"] = slugs.get(value, "")
        return out
    if spec.kind == "ordering":
        items = codebook(secret, spec.key, keys)
        out = {}
        for name in data:
            if name.startswith("position-"):
                item = items.get(name.removeprefix("position-"))
                if item is None:
                    raise UnknownValue()
                out[f"position-{item}"] = data.get(name)
        return out
    return {"text": data.get("text")}


def encode_form(spec: QuestionSpec, secret: str, answer: Mapping) -> dict:
    """The inverse of ``decode_form``: an answer in authored keys (``choice``, ``choices``,
    ``match-<pair key>``, ``position-<item key>``, ``text``) as the form would post it. For
    scripted play (tests, demo data, the bots), which answer through the real forms."""
    out: dict = {}
    for name, value in answer.items():
        if name == "choice":
            out[name] = token(secret, spec.key, value)
        elif name == "choices":
            out[name] = [token(secret, spec.key, v) for v in value]
        elif name.startswith("match-"):
            pair = token(secret, spec.key, name.removeprefix("match-"))
            out[f"match-{pair}"] = intervention_token(spec, secret, value) if value else ""
        elif name.startswith("position-"):
            out[f"position-{token(secret, spec.key, name.removeprefix('position-'))}"] = value
        else:
            out[name] = value
    return out

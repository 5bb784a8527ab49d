"""Cue patterns in the authored bank: what lets a test-wise trainee answer without reading.

``check_bank`` reads quiz specs and vignette specs in their seed formats
(``assessments/content/FORMAT.md``, ``cases/content/FORMAT.md``) as plain dicts and returns
``Finding`` rows, each with the numbers behind it; ``manage.py check_content`` prints them and
fails on any that fails. Shuffling on the page (``assessments.engine.delivery``) removes cues of
position; these are the cues that survive it. Plain Python: no database.
"""

import re
from collections import Counter
from dataclasses import dataclass

# A pattern needs this many questions (or decisions, or cases) before it is judged: fewer is chance.
MIN_SAMPLE = 4
# The key may be the longest option up to 1.5 times as often as chance (1/n per question) allows.
LONGEST_RATIO = 1.5
# ...and no rarer than chance makes less likely than 1 in 100: a key that is never the longest
# teaches "rule out the longest option" just as surely as one that always is.
LONGEST_RARE_P = 0.01
# The same number of keyed options in at least this share of multi-select questions is a rule
# a trainee can learn ("always tick two").
SAME_COUNT_SHARE = 0.8
# One intervention rated harmful in more than half the cases that rate any as harmful.
SAME_HARM_SHARE = 0.5
# Phrases that vouch for an option, or warn against it, instead of letting its content decide.
CUE_PHRASES = {
    "colleague suggests": "a colleague's view signals which option the author favours",
    "best practice": "the option labels itself as correct",
    "guidelines recommend": "the option labels itself as correct",
}
# Words that, when they appear only in distractors, mark them as wrong: absolutes, and
# minimising ("it's just stress"; "just before" is only a time).
DISTRACTOR_WORDS = {
    "absolutes": re.compile(r"\b(always|never|only|must|all|every|nothing|immediately)\b", re.I),
    "minimising": re.compile(r"\bjust\b(?! (before|after|now|then))", re.I),
}


@dataclass(frozen=True)
class Finding:
    check: str
    where: str
    message: str
    failed: bool


@dataclass(frozen=True)
class Item:
    """One question or node with options: their texts and which are keyed (correct, present,
    helpful, or the best-scoring decision)."""

    where: str
    kind: str  # "single" (one keyed) or "multi"
    texts: tuple[str, ...]
    keyed: tuple[bool, ...]


def quiz_items(name: str, spec: dict) -> list[Item]:
    items = []
    for q in spec.get("questions") or ():
        where = f"{name}: {q.get('key')}"
        if q.get("kind") in ("single", "multiple"):
            options = q.get("options") or ()
            texts = tuple(o.get("text") or "" for o in options)
            keyed = tuple(bool(o.get("correct")) for o in options)
            kind = "single" if q["kind"] == "single" else "multi"
            items.append(Item(where, kind, texts, keyed))
        elif q.get("kind") == "factor_recognition":
            factors = q.get("factors") or ()
            texts = tuple(f.get("factor") or "" for f in factors)
            items.append(
                Item(where, "multi", texts, tuple(bool(f.get("present")) for f in factors))
            )
    return items


def case_items(name: str, spec: dict) -> list[Item]:
    items = []
    for node in spec.get("nodes") or ():
        options = node.get("options") or ()
        where = f"{name}: {node.get('id')}"
        if node.get("kind") == "decide" and len(options) > 1:
            totals = [sum((o.get("scores") or {}).values()) for o in options]
            keyed = tuple(t == max(totals) for t in totals)
            if sum(keyed) == 1:
                items.append(
                    Item(where, "single", tuple(o.get("label") or "" for o in options), keyed)
                )
        elif node.get("kind") in ("ask", "identify", "recognise"):
            texts = tuple(
                o.get("label") or o.get("factor") or o.get("intervention") or "" for o in options
            )
            keyed = tuple(
                bool(o.get("relevant") or o.get("present") or o.get("rating") == "helpful")
                for o in options
            )
            items.append(Item(where, "multi", texts, keyed))
    return items


def _fewest_by_chance(chances: list[float], p: float = LONGEST_RARE_P) -> int:
    """The smallest count of "key is longest" that chance reaches with probability at least
    ``p``: each item is its own coin (1 in its number of options), so the count follows a
    Poisson-binomial distribution, built up item by item. Fewer hits than this are a cue."""
    dist = [1.0]  # dist[k]: probability of exactly k hits among the items seen so far
    for q in chances:
        dist = [
            (dist[k] if k < len(dist) else 0) * (1 - q) + (dist[k - 1] * q if k else 0)
            for k in range(len(dist) + 1)
        ]
    tail = 0.0
    for k, prob in enumerate(dist):
        tail += prob
        if tail >= p:
            return k
    return len(dist) - 1


def longest_key(items: list[Item], label: str) -> list[Finding]:
    """The key is the longest option too often (more than ``LONGEST_RATIO`` times chance) or
    too rarely (fewer times than chance would give with probability ``LONGEST_RARE_P``, an exact
    one-sided test); either way a trainee can learn to pick, or to rule out, the longest."""
    singles = [i for i in items if i.kind == "single" and len(i.texts) > 1]
    if len(singles) < MIN_SAMPLE:
        return []
    hits = 0
    for item in singles:
        lengths = [len(t) for t in item.texts]
        key = item.keyed.index(True)
        hits += lengths[key] == max(lengths) and lengths.count(max(lengths)) == 1
    chances = [1 / len(i.texts) for i in singles]
    chance = sum(chances) / len(singles)
    fewest = _fewest_by_chance(chances)
    share = hits / len(singles)
    failed = share > LONGEST_RATIO * chance or hits < fewest
    rare = (
        f"fewer than {fewest} is too rare (p < {LONGEST_RARE_P} by chance)"
        if fewest
        else "too few items to call any count too rare"
    )
    message = (
        f"the key is the longest option in {hits} of {len(singles)} ({share:.0%}); "
        f"chance is {chance:.0%}, the limit {LONGEST_RATIO * chance:.0%}; {rare}"
    )
    return [Finding("longest-key", label, message, failed)]


def same_count(items: list[Item], label: str) -> list[Finding]:
    multis = [i for i in items if i.kind == "multi"]
    if len(multis) < MIN_SAMPLE:
        return []
    counts = Counter(sum(i.keyed) for i in multis)
    number, times = counts.most_common(1)[0]
    share = times / len(multis)
    message = (
        f"{times} of {len(multis)} multi-select items ({share:.0%}) have exactly {number} keyed "
        f"option(s); counts seen: {dict(sorted(counts.items()))}"
    )
    return [Finding("same-count", label, message, share >= SAME_COUNT_SHARE)]


def same_harm(vignettes: list[tuple[str, dict]]) -> list[Finding]:
    harmful_per_case = []
    for _, spec in vignettes:
        identify = [n for n in spec.get("nodes") or () if n.get("kind") == "identify"]
        if not identify:
            continue
        harmful = {
            o.get("intervention")
            for node in identify
            for o in node.get("options") or ()
            if o.get("rating") == "harmful"
        }
        harmful_per_case.append(harmful)
    rated = [h for h in harmful_per_case if h]
    if len(rated) < MIN_SAMPLE:
        return []
    findings = []
    tally = Counter(slug for h in rated for slug in h)
    slug, times = tally.most_common(1)[0]
    share = times / len(rated)
    findings.append(
        Finding(
            "same-harm",
            "cases",
            f"“{slug}” is the harmful option in {times} of {len(rated)} cases ({share:.0%})",
            share > SAME_HARM_SHARE,
        )
    )
    # How many harmful options a case has, over every case that rates interventions: a case
    # rating none breaks "exactly one is harmful" as much as one rating two.
    sizes = Counter(len(h) for h in harmful_per_case)
    size, cases = sizes.most_common(1)[0]
    findings.append(
        Finding(
            "harm-count",
            "cases",
            f"{cases} of {len(harmful_per_case)} cases rate exactly {size} intervention(s) "
            f"harmful; counts seen: {dict(sorted(sizes.items()))}",
            cases / len(harmful_per_case) >= SAME_COUNT_SHARE,
        )
    )
    return findings


def wording(items: list[Item], label: str) -> list[Finding]:
    findings = []
    for item in items:
        for text in item.texts:
            for phrase, reason in CUE_PHRASES.items():
                if phrase in text.lower():
                    findings.append(
                        Finding("wording", item.where, f"“{phrase.strip()}”: {reason}", True)
                    )
    for check, pattern in DISTRACTOR_WORDS.items():
        keyed = other = 0
        for item in items:
            for text, is_key in zip(item.texts, item.keyed, strict=True):
                if pattern.search(text):
                    keyed += is_key
                    other += not is_key
        if keyed + other >= MIN_SAMPLE:
            message = f"{check} in {other} distractors and {keyed} keyed options"
            findings.append(Finding(check, label, message, keyed == 0))
    return findings


def check_bank(quizzes: list[tuple[str, dict]], vignettes: list[tuple[str, dict]]) -> list[Finding]:
    """Every cue check over the quizzes (per quiz and as a bank) and the cases (as a bank)."""
    findings: list[Finding] = []
    quiz_bank: list[Item] = []
    for name, spec in quizzes:
        items = quiz_items(name, spec)
        quiz_bank += items
        findings += longest_key(items, name)
    findings += longest_key(quiz_bank, "quiz bank")
    findings += same_count(quiz_bank, "quiz bank")
    findings += wording(quiz_bank, "quiz bank")
    case_bank = [item for name, spec in vignettes for item in case_items(name, spec)]
    findings += longest_key(case_bank, "case decisions")
    findings += same_count(case_bank, "case selections")
    findings += same_harm(vignettes)
    findings += wording(case_bank, "cases")
    return findings

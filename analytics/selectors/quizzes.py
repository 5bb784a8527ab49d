"""The item analysis of one quiz, aggregated in the database.

Two grouped queries, whatever the number of attempts: how many attempts had each total; per
slot, how many answers had each (mark, total, response), from which come the (mark, total)
pairs and, per option question, how many chose each answer in each third of the totals.
``assessments.engine.statistics`` works every figure out from those counts, so no list of
attempts is ever built in Python.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass

from django.db.models import (
    Count,
    F,
    FloatField,
    OuterRef,
    Q,
    Subquery,
    Sum,
)
from django.db.models import Value as V
from django.db.models.functions import Coalesce

from assessments.engine import pools, quiz_logic
from assessments.engine.statistics import (
    ItemStatistics,
    QuizStatistics,
    item_flags,
    quiz_statistics_from_counts,
)
from assessments.models import AttemptStatus, QuizAnswer, QuizAttempt, QuizPage
from assessments.services import specs_from_revision

# Question kinds whose answers are chosen from options (the distractor table reads them).
OPTION_KINDS = {"single": "choice", "multiple": "choices", "factor_recognition": "choices"}
THIRDS = ("top", "middle", "bottom")


@dataclass(frozen=True)
class OptionRow:
    label: str
    correct: bool
    shares: dict[str, float | None]  # "top", "middle", "bottom", "all": % of attempts choosing it


@dataclass(frozen=True)
class SlotRow:
    number: int
    key: str
    kind: str
    stem: str
    points: float
    stats: ItemStatistics
    flags: tuple[str, ...]
    options: tuple[OptionRow, ...]  # a slot of one question: its distractor table
    variants: tuple["VariantRow", ...] = ()


@dataclass(frozen=True)
class VariantRow:
    """One variant of a slot, among the attempts that drew and answered it."""

    key: str
    stem: str
    answered: int
    facility: float | None  # % of the points, over the attempts that answered it
    options: tuple[OptionRow, ...]
    unchosen: tuple[str, ...]


@dataclass(frozen=True)
class QuizReport:
    quiz: QuizPage
    first_only: bool
    slots: tuple[SlotRow, ...]
    test: QuizStatistics
    third_counts: dict[str, int]


def _attempts(quiz: QuizPage, *, first_only: bool):
    """Submitted attempts at ``quiz``; with ``first_only`` each trainee's first one."""
    attempts = QuizAttempt.objects.filter(quiz=quiz, status=AttemptStatus.SUBMITTED)
    if first_only:
        first = (
            QuizAttempt.objects.filter(
                quiz=quiz, status=AttemptStatus.SUBMITTED, trainee=OuterRef("trainee")
            )
            .order_by("started_at", "pk")
            .values("pk")[:1]
        )
        attempts = attempts.filter(pk=Subquery(first))
    return attempts


def _total(keys: list[str]):
    """An attempt's total over the slots analysed (an unscored or missing answer is 0)."""
    return Coalesce(
        Subquery(
            QuizAnswer.objects.filter(attempt=OuterRef("attempt_pk"), question_key__in=keys)
            .values("attempt")
            .annotate(t=Sum("score"))
            .values("t")[:1],
            output_field=FloatField(),
        ),
        V(0.0),
    )


def _third_cuts(totals: Counter) -> tuple[float, float]:
    """The totals at or below which an attempt is in the bottom third, and at or above which
    it is in the top third, by rank; attempts with the same total stay together."""
    n = sum(totals.values())
    ranked, seen = [], 0
    for total in sorted(totals):
        ranked.append((seen, total))
        seen += totals[total]
    bottom = max((t for rank, t in ranked if rank < n / 3), default=0.0)
    top = min((t for rank, t in ranked if rank + totals[t] > 2 * n / 3), default=0.0)
    return bottom, top


def quiz_report(quiz: QuizPage, *, first_only: bool = True) -> QuizReport:
    """The report per slot (a slot pools equivalent variants: an attempt answered the one it
    drew, and its mark on the slot is that answer's, or 0 when it left the slot blank), with
    per variant how many answered it, its facility and its distractor table."""
    revision = quiz.live_revision or quiz.get_latest_revision()
    specs = [s for s in specs_from_revision(revision.content) if s.auto_scored]
    slotted = pools.slots(specs)
    slot_of = {s.key: slot for slot, variants in slotted for s in variants}
    keys = [s.key for s in specs]
    attempts = _attempts(quiz, first_only=first_only).annotate(attempt_pk=F("pk"))
    totals = Counter()
    for row in attempts.annotate(total=_total(keys)).values("total").annotate(n=Count("pk")):
        totals[round(row["total"], 6)] += row["n"]
    answers = QuizAnswer.objects.filter(attempt__in=attempts.values("pk"), question_key__in=keys)
    answers = answers.annotate(attempt_pk=F("attempt_id")).annotate(total=_total(keys))
    pairs: dict[str, Counter] = defaultdict(Counter)
    answered: dict[str, Counter] = defaultdict(Counter)  # by slot
    by_variant: dict[str, Counter] = defaultdict(Counter)
    marks: dict[str, float] = defaultdict(float)
    # One grouped query gives the (mark, total) pairs and, for option questions, the responses
    # (the distractor table): the rows are as many as the distinct answers, not the attempts.
    grouped = list(
        answers.annotate(mark=Coalesce("score", V(0.0)))
        .values("question_key", "mark", "total", "response")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in grouped:
        total, slot = round(row["total"], 6), slot_of[row["question_key"]]
        pairs[slot][(row["mark"], total)] += row["n"]
        answered[slot][total] += row["n"]
        by_variant[row["question_key"]][total] += row["n"]
        marks[row["question_key"]] += row["mark"] * row["n"]
    for slot, _ in slotted:  # an attempt with no answer in a slot scored 0 there
        for total, n in totals.items():
            missing = n - answered[slot][total]
            if missing:
                pairs[slot][(0.0, total)] += missing
    firsts = [variants[0] for _, variants in slotted]
    guesses = [1 / len(s.options) if s.kind == "single" and s.options else None for s in firsts]
    stats = quiz_statistics_from_counts(
        [pairs[slot] for slot, _ in slotted],
        totals,
        [s.points for s in firsts],
        random_guess_scores=guesses,
    )
    cuts = _third_cuts(totals) if totals else (0.0, 0.0)
    chosen, third_counts = _choices(grouped, specs, totals, cuts)
    rows = []
    for number, ((slot, variants), item) in enumerate(zip(slotted, stats.items, strict=True), 1):
        variant_rows = []
        for spec in variants:
            thirds = dict.fromkeys(THIRDS, 0)
            for total, n in by_variant[spec.key].items():
                thirds[_third(total, cuts)] += n
            n = sum(thirds.values())
            # A slot of one question: its shares are of every attempt, blanks included.
            shares_of = third_counts if len(variants) == 1 else thirds
            options = _option_rows(spec, chosen.get(spec.key, {}), shares_of)
            variant_rows.append(
                VariantRow(
                    key=spec.key,
                    stem=spec.stem,
                    answered=n,
                    facility=100 * marks[spec.key] / (n * spec.points) if n else None,
                    options=options,
                    unchosen=tuple(o.label for o in options if n and not o.shares["all"]),
                )
            )
        unchosen = [label for v in variant_rows for label in v.unchosen]
        rows.append(
            SlotRow(
                number=number,
                key=slot,
                kind=variants[0].kind,
                stem=variants[0].stem,
                points=variants[0].points,
                stats=item,
                flags=tuple(item_flags(item, unchosen=unchosen)),
                options=variant_rows[0].options if len(variants) == 1 else (),
                variants=tuple(variant_rows),
            )
        )
    return QuizReport(quiz, first_only, tuple(rows), stats, third_counts)


def _third(total: float, cuts: tuple[float, float]) -> str:
    bottom, top = cuts
    return "top" if total >= top else "middle" if total > bottom else "bottom"


def _choices(grouped, specs, totals: Counter, cuts) -> tuple[dict, dict[str, int]]:
    """Per option question: how many attempts of each third chose each option key, from the
    grouped answers (question, mark, total, response, how many)."""
    third_counts = dict.fromkeys(THIRDS, 0)
    for total, n in totals.items():
        third_counts[_third(total, cuts)] += n
    kinds = {s.key: s.kind for s in specs if s.kind in OPTION_KINDS}
    chosen: dict[str, dict] = defaultdict(lambda: defaultdict(Counter))
    for row in grouped:
        if row["question_key"] not in kinds:
            continue
        response = row["response"] or {}
        picked = response.get(OPTION_KINDS[kinds[row["question_key"]]])
        picked = [picked] if isinstance(picked, str) else list(picked or [])
        for option in set(picked):
            chosen[row["question_key"]][option][_third(row["total"], cuts)] += row["n"]
    return chosen, third_counts


def _option_rows(spec: quiz_logic.QuestionSpec, chosen: dict, third_counts) -> tuple:
    if spec.kind not in OPTION_KINDS:
        return ()
    everyone = sum(third_counts.values())
    rows = []
    for option in spec.options:
        counts = chosen.get(option.key, Counter())
        shares = {
            third: (100 * counts[third] / third_counts[third] if third_counts[third] else None)
            for third in THIRDS
        }
        shares["all"] = 100 * sum(counts.values()) / everyone if everyone else None
        rows.append(OptionRow(option.label, option.correct, shares))
    return tuple(rows)


def quizzes_with_attempts() -> list[dict]:
    """Every quiz with how many trainees and submitted attempts it has (one query)."""
    return list(
        QuizPage.objects.order_by("path")
        .annotate(
            attempts_n=Count("attempts", filter=Q(attempts__status=AttemptStatus.SUBMITTED)),
            trainees_n=Count(
                "attempts__trainee",
                filter=Q(attempts__status=AttemptStatus.SUBMITTED),
                distinct=True,
            ),
        )
        .values("pk", "title", "attempts_n", "trainees_n")
    )

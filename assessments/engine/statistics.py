"""Item analysis of a quiz, with the definitions of Moodle's developer documentation, "Quiz
statistics calculations" (the figures an educator may already know from Moodle's report).

Pure Python: plain numbers in, plain numbers out. ``marks`` has one row per attempt and one
column per slot (the marks that attempt earned on that slot); ``max_marks`` the most each slot
can earn. Variances and covariances divide by n - 1. Figures are percentages where Moodle's
report shows percentages (facility, standard deviations, weights, discrimination, the test's
mean, median, SD, CIC, error ratio and standard error), and ``None`` where Moodle shows nothing:
too few attempts, a slot worth nothing, or a ratio whose denominator is zero.

Per slot, with x the slot's marks, T an attempt's total and X = T - x the rest of the test:

- facility: mean of x as a share of the slot's maximum (how easy it was);
- sd: the standard deviation of x as a share of the slot's maximum;
- random_guess_score: what answering at random scores, when the caller knows it;
- intended_weight: the slot's maximum as a share of the test's maximum;
- effective_weight: the slot's share of the spread of totals, sqrt(C(x, T)) over the sum of
  those of every slot whose covariance with the total is not negative (``None`` for a slot
  whose covariance is negative, and for all when no slot has a positive one);
- discrimination_index: the correlation of x with the rest of the test, C(x, X) / sqrt(V(x)V(X));
- discriminative_efficiency: C(x, X) against the largest covariance the same marks could have
  had (both columns sorted), so how close the slot comes to the best it could discriminate.

For the test: mean, median, sd, skewness and kurtosis (sample statistics k3 / k2^1.5 and
k4 / k2^2), the coefficient of internal consistency (Cronbach's alpha: P / (P - 1) times
1 - the sum of the slots' variances over the totals' variance), the error ratio
sqrt(1 - CIC) and the standard error (error ratio times SD: how far an attempt's total is from
the trainee's "true" score, as a share of the maximum).
"""

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from math import sqrt


@dataclass(frozen=True)
class ItemStatistics:
    facility: float | None
    sd: float | None
    random_guess_score: float | None
    intended_weight: float | None
    effective_weight: float | None
    discrimination_index: float | None
    discriminative_efficiency: float | None


@dataclass(frozen=True)
class QuizStatistics:
    attempts: int
    items: tuple[ItemStatistics, ...]
    mean: float | None
    median: float | None
    sd: float | None
    skewness: float | None
    kurtosis: float | None
    cic: float | None
    error_ratio: float | None
    standard_error: float | None


Pairs = Mapping[tuple[float, float], int]  # (slot mark, attempt total) -> how many attempts


def _percent(value: float, of: float) -> float | None:
    return None if of == 0 else 100 * value / of


def _weighted_median(counts: Mapping[float, int], n: int) -> float:
    """The middle total (the mean of the two middle ones for an even count)."""
    wanted = [n // 2] if n % 2 else [n // 2 - 1, n // 2]  # ranks from 0
    found, seen = [], 0
    for value in sorted(counts):
        seen += counts[value]
        while wanted and wanted[0] < seen:
            found.append(value)
            wanted.pop(0)
    return sum(found) / len(found)


def _sorted_covariance(
    a: Mapping[float, int], b: Mapping[float, int], mean_a: float, mean_b: float, n: int
) -> float:
    """The covariance of two columns each sorted ascending, from how often each value occurs:
    the largest covariance their values allow (pairs matched rank by rank)."""
    runs_a = [[v, c] for v, c in sorted(a.items()) if c]
    runs_b = [[v, c] for v, c in sorted(b.items()) if c]
    total, i, j = 0.0, 0, 0
    while i < len(runs_a) and j < len(runs_b):
        taken = min(runs_a[i][1], runs_b[j][1])
        total += taken * (runs_a[i][0] - mean_a) * (runs_b[j][0] - mean_b)
        runs_a[i][1] -= taken
        runs_b[j][1] -= taken
        i += runs_a[i][1] == 0
        j += runs_b[j][1] == 0
    return total / (n - 1)


def _item(
    pairs: Pairs, n: int, mean_total: float, max_mark: float, total_max: float, guess
) -> tuple[ItemStatistics, float | None, float]:
    """One slot's figures (effective weight filled in later), its covariance with the total
    (``None`` below two attempts) and its variance (0 below two attempts)."""
    if sum(pairs.values()) != n:
        raise ValueError("Every slot needs a mark for every attempt.")
    mean = sum(c * x for (x, _), c in pairs.items()) / n if n else 0.0
    facility = _percent(mean, max_mark) if n else None
    intended = _percent(max_mark, total_max)
    guess_pc = None if guess is None else 100 * guess
    if n < 2:
        return ItemStatistics(facility, None, guess_pc, intended, None, None, None), None, 0.0
    rest_mean = mean_total - mean
    marks: Counter = Counter()
    rests: Counter = Counter()
    variance = rest_variance = covariance = with_total = 0.0
    for (x, t), c in pairs.items():
        dx, dr = x - mean, (t - x) - rest_mean
        variance += c * dx * dx
        rest_variance += c * dr * dr
        covariance += c * dx * dr
        with_total += c * dx * (t - mean_total)
        marks[x] += c
        rests[t - x] += c
    variance, rest_variance = variance / (n - 1), rest_variance / (n - 1)
    covariance, with_total = covariance / (n - 1), with_total / (n - 1)
    covariance_max = _sorted_covariance(marks, rests, mean, rest_mean, n)
    product = variance * rest_variance
    stats = ItemStatistics(
        facility=facility,
        sd=_percent(sqrt(variance), max_mark),
        random_guess_score=guess_pc,
        intended_weight=intended,
        effective_weight=None,
        discrimination_index=100 * covariance / sqrt(product) if product else None,
        discriminative_efficiency=(100 * covariance / covariance_max if covariance_max else None),
    )
    return stats, with_total, variance


def _effective_weights(covariances: Sequence[float | None]) -> list[float | None]:
    positive = sum(sqrt(c) for c in covariances if c is not None and c >= 0)
    if not positive:
        return [None] * len(covariances)
    return [None if c is None or c < 0 else 100 * sqrt(c) / positive for c in covariances]


def quiz_statistics(
    marks: Sequence[Sequence[float]],
    max_marks: Sequence[float],
    *,
    random_guess_scores: Sequence[float | None] | None = None,
) -> QuizStatistics:
    """The item analysis of ``marks`` (one row per attempt, one column per slot), see the module.
    ``random_guess_scores`` gives, per slot, the share of its marks a random answer earns
    (e.g. 1/4 for single choice among four); without it that figure is ``None``."""
    for number, row in enumerate(marks, start=1):
        if len(row) != len(max_marks):
            raise ValueError(
                f"Attempt {number} has {len(row)} marks for a quiz of {len(max_marks)} slots."
            )
    totals = [sum(row) for row in marks]
    pairs = [
        Counter((row[i], total) for row, total in zip(marks, totals, strict=True))
        for i in range(len(max_marks))
    ]
    return quiz_statistics_from_counts(
        pairs, Counter(totals), max_marks, random_guess_scores=random_guess_scores
    )


def quiz_statistics_from_counts(
    pairs: Sequence[Pairs],
    totals: Mapping[float, int],
    max_marks: Sequence[float],
    *,
    random_guess_scores: Sequence[float | None] | None = None,
) -> QuizStatistics:
    """The same figures from counts, so that a database can aggregate and no list of attempts
    is ever built: per slot, how many attempts had each (mark on the slot, total) pair, and how
    many attempts had each total. Every figure needs no more than that."""
    if any(m < 0 for m in max_marks):
        raise ValueError("A slot's maximum mark cannot be negative.")
    if len(pairs) != len(max_marks):
        raise ValueError("One table of counts per slot.")
    guesses = list(random_guess_scores or [None] * len(max_marks))
    if len(guesses) != len(max_marks):
        raise ValueError("One random guess score per slot, or none at all.")
    n = sum(totals.values())
    total_max = sum(max_marks)
    mean_total = sum(c * t for t, c in totals.items()) / n if n else 0.0
    parts = [
        _item(slot, n, mean_total, m, total_max, g)
        for slot, m, g in zip(pairs, max_marks, guesses, strict=True)
    ]
    weights = _effective_weights([covariance for _, covariance, _ in parts])
    items = tuple(
        replace(stats, effective_weight=weight)
        for (stats, _, _), weight in zip(parts, weights, strict=True)
    )
    figures = _test_figures(totals, n, total_max, sum(v for _, _, v in parts), len(max_marks))
    return QuizStatistics(attempts=n, items=items, **figures)


def _test_figures(
    totals: Mapping[float, int], n: int, total_max: float, sum_of_variances: float, slots: int
) -> dict[str, float | None]:
    figures: dict[str, float | None] = dict.fromkeys(
        ("mean", "median", "sd", "skewness", "kurtosis", "cic", "error_ratio", "standard_error")
    )
    if not n:
        return figures
    mean = sum(c * t for t, c in totals.items()) / n
    figures["mean"] = _percent(mean, total_max)
    figures["median"] = _percent(_weighted_median(totals, n), total_max)
    if n < 2:
        return figures
    power2 = sum(c * (t - mean) ** 2 for t, c in totals.items())
    sd = sqrt(power2 / (n - 1))
    figures["sd"] = _percent(sd, total_max)
    if n < 3:
        return figures
    m2 = power2 / n
    m3 = sum(c * (t - mean) ** 3 for t, c in totals.items()) / n
    m4 = sum(c * (t - mean) ** 4 for t, c in totals.items()) / n
    k2 = n * m2 / (n - 1)
    if k2 == 0:
        return figures
    k3 = n * n * m3 / ((n - 1) * (n - 2))
    figures["skewness"] = k3 / k2**1.5
    if n > 3:
        k4 = n * n * ((n + 1) * m4 - 3 * (n - 1) * m2 * m2) / ((n - 1) * (n - 2) * (n - 3))
        figures["kurtosis"] = k4 / (k2 * k2)
    if slots > 1:
        cic = 100 * slots / (slots - 1) * (1 - sum_of_variances / k2)
        # The CIC cannot exceed 100 (the totals' variance is at most P times the sum of the
        # slots'); rounding can push it a hair above, which must not make the root imaginary.
        error_ratio = 100 * sqrt(max(0.0, 1 - cic / 100))
        figures["cic"] = cic
        figures["error_ratio"] = error_ratio
        figures["standard_error"] = _percent(error_ratio * sd / 100, total_max)
    return figures


# What the report flags for an educator to look at (Moodle's report leaves the judgement to the
# reader; these are the usual rules of thumb in item analysis).
FACILITY_LOW = 10.0  # fewer than one in ten earn the marks: miskeyed, ambiguous or untaught?
FACILITY_HIGH = 90.0  # nine in ten or more earn them: it tells trainees apart very little
DISCRIMINATION_LOW = 25.0  # below this the slot barely separates stronger from weaker attempts


def item_flags(item: ItemStatistics, *, unchosen: Sequence[str] = ()) -> list[str]:
    """Why a slot deserves a look, in plain words (empty when nothing stands out).
    ``unchosen`` names the options nobody chose."""
    flags = []
    if item.facility is not None and item.facility < FACILITY_LOW:
        flags.append(
            f"Very hard: facility {item.facility:.0f}%, below {FACILITY_LOW:.0f}%. "
            "Check the key and the wording, and whether the lesson teaches it."
        )
    if item.facility is not None and item.facility > FACILITY_HIGH:
        flags.append(
            f"Very easy: facility {item.facility:.0f}%, above {FACILITY_HIGH:.0f}%. "
            "It tells trainees apart very little; the options may give the answer away."
        )
    index = item.discrimination_index
    if index is not None and index < 0:
        flags.append(
            f"Negative discrimination ({index:.0f}%): attempts weaker on the rest of the quiz do "
            "better here. Check the key first."
        )
    elif index is not None and index < DISCRIMINATION_LOW:
        flags.append(
            f"Weak discrimination ({index:.0f}%, below {DISCRIMINATION_LOW:.0f}%): stronger and "
            "weaker attempts score much the same here."
        )
    if unchosen:
        flags.append(
            "Nobody chose: " + "; ".join(unchosen) + ". A distractor nobody picks is not working."
        )
    return flags

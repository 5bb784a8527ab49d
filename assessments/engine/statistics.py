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

from collections.abc import Sequence
from dataclasses import dataclass
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


def _mean(values: Sequence[float]) -> float:
    return sum(values) / len(values)


def _covariance(a: Sequence[float], b: Sequence[float]) -> float:
    """Sample covariance (n - 1) of two columns of the same length, at least two long."""
    mean_a, mean_b = _mean(a), _mean(b)
    return sum((x - mean_a) * (y - mean_b) for x, y in zip(a, b, strict=True)) / (len(a) - 1)


def _percent(value: float, of: float) -> float | None:
    return None if of == 0 else 100 * value / of


def _median(values: Sequence[float]) -> float:
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2


def _check(marks: Sequence[Sequence[float]], max_marks: Sequence[float]) -> None:
    for number, row in enumerate(marks, start=1):
        if len(row) != len(max_marks):
            raise ValueError(
                f"Attempt {number} has {len(row)} marks for a quiz of {len(max_marks)} slots."
            )
    if any(m < 0 for m in max_marks):
        raise ValueError("A slot's maximum mark cannot be negative.")


def _item(
    column: Sequence[float],
    totals: Sequence[float],
    max_mark: float,
    total_max: float,
    guess: float | None,
) -> tuple[ItemStatistics, float | None, float]:
    """One slot's figures (effective weight filled in later), its covariance with the total
    (``None`` below two attempts) and its variance (0 below two attempts)."""
    n = len(column)
    facility = _percent(_mean(column), max_mark) if n else None
    intended = _percent(max_mark, total_max)
    guess_pc = None if guess is None else 100 * guess
    if n < 2:
        empty = ItemStatistics(facility, None, guess_pc, intended, None, None, None)
        return empty, None, 0.0
    rest = [t - x for t, x in zip(totals, column, strict=True)]
    variance = _covariance(column, column)
    rest_variance = _covariance(rest, rest)
    covariance = _covariance(column, rest)
    covariance_max = _covariance(sorted(column), sorted(rest))
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
    return stats, _covariance(column, totals), variance


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
    _check(marks, max_marks)
    guesses = list(random_guess_scores or [None] * len(max_marks))
    if len(guesses) != len(max_marks):
        raise ValueError("One random guess score per slot, or none at all.")
    n, slots = len(marks), len(max_marks)
    total_max = sum(max_marks)
    totals = [sum(row) for row in marks]
    columns = [[row[i] for row in marks] for i in range(slots)]
    parts = [_item(columns[i], totals, max_marks[i], total_max, guesses[i]) for i in range(slots)]
    weights = _effective_weights([covariance for _, covariance, _ in parts])
    items = tuple(
        ItemStatistics(**{**stats.__dict__, "effective_weight": weight})
        for (stats, _, _), weight in zip(parts, weights, strict=True)
    )
    figures = _test_figures(totals, total_max, sum(v for _, _, v in parts), slots)
    return QuizStatistics(attempts=n, items=items, **figures)


def _test_figures(
    totals: Sequence[float], total_max: float, sum_of_variances: float, slots: int
) -> dict[str, float | None]:
    n = len(totals)
    figures: dict[str, float | None] = dict.fromkeys(
        ("mean", "median", "sd", "skewness", "kurtosis", "cic", "error_ratio", "standard_error")
    )
    if not n:
        return figures
    figures["mean"] = _percent(_mean(totals), total_max)
    figures["median"] = _percent(_median(totals), total_max)
    if n < 2:
        return figures
    mean = _mean(totals)
    power2 = sum((t - mean) ** 2 for t in totals)
    sd = sqrt(power2 / (n - 1))
    figures["sd"] = _percent(sd, total_max)
    if n < 3:
        return figures
    m2 = power2 / n
    m3 = sum((t - mean) ** 3 for t in totals) / n
    m4 = sum((t - mean) ** 4 for t in totals) / n
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

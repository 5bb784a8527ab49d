"""Screening instruments, scored exactly as published. Pure Python: no Django imports.

- PHQ-9 (Kroenke, Spitzer & Williams 2001): nine items 0-3, total 0-27; bands 0-4 minimal,
  5-9 mild, 10-14 moderate, 15-19 moderately severe, 20-27 severe. Any answer above zero on
  item 9 (thoughts of being better off dead or of self-harm) is flagged for risk follow-up,
  whatever the total.
- GAD-7 (Spitzer et al. 2006): seven items 0-3, total 0-21; 0-4 minimal, 5-9 mild,
  10-14 moderate, 15-21 severe.
- STarT Back (Hill et al. 2008): nine items; items 1-8 agree/disagree (0/1), item 9
  (bothersomeness) scores 1 for "very much" or "extremely". Total <= 3: low risk. Total >= 4:
  psychosocial subscore (items 5-9) <= 3 medium risk, >= 4 high risk.

Which step of care follows a band is a local convention, kept as data (``StepOfCareMapping``).
"""

from collections.abc import Sequence
from dataclasses import dataclass


class InstrumentError(ValueError):
    """Answers that do not fit the instrument (wrong count or out-of-range values)."""


@dataclass(frozen=True)
class Result:
    instrument: str
    total: int
    band: str
    risk_flag: bool = False
    subscore: int | None = None


def _check(answers: Sequence[int], count: int, high: int, name: str) -> list[int]:
    values = list(answers)
    if len(values) != count:
        raise InstrumentError(f"{name} needs {count} answers, not {len(values)}.")
    for value in values:
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= high:
            raise InstrumentError(f"{name} answers must be whole numbers from 0 to {high}.")
    return values


PHQ9_BANDS = (
    (4, "minimal"),
    (9, "mild"),
    (14, "moderate"),
    (19, "moderately severe"),
    (27, "severe"),
)
GAD7_BANDS = ((4, "minimal"), (9, "mild"), (14, "moderate"), (21, "severe"))


def _band(total: int, bands) -> str:
    return next(label for upper, label in bands if total <= upper)


def phq9(answers: Sequence[int]) -> Result:
    values = _check(answers, 9, 3, "PHQ-9")
    total = sum(values)
    return Result("PHQ-9", total, _band(total, PHQ9_BANDS), risk_flag=values[8] > 0)


def gad7(answers: Sequence[int]) -> Result:
    values = _check(answers, 7, 3, "GAD-7")
    total = sum(values)
    return Result("GAD-7", total, _band(total, GAD7_BANDS))


def start_back(answers: Sequence[int]) -> Result:
    """``answers``: items 1-8 as 0 (disagree) or 1 (agree), item 9 as 0-4 (not at all ...
    extremely); item 9 scores 1 when it is 3 ("very much") or 4 ("extremely")."""
    values = list(answers)
    if len(values) != 9:
        raise InstrumentError(f"STarT Back needs 9 answers, not {len(values)}.")
    _check(values[:8], 8, 1, "STarT Back items 1-8")
    _check(values[8:], 1, 4, "STarT Back item 9")
    scored = [*values[:8], 1 if values[8] >= 3 else 0]
    total = sum(scored)
    psychosocial = sum(scored[4:9])
    if total <= 3:
        band = "low risk"
    elif psychosocial <= 3:
        band = "medium risk"
    else:
        band = "high risk"
    return Result("STarT Back", total, band, subscore=psychosocial)


INSTRUMENTS = {"phq9": phq9, "gad7": gad7, "start_back": start_back}

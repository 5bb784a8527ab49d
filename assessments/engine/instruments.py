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
    scored = [*values[:8], BOTHER_POINTS[values[8]]]
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


@dataclass(frozen=True)
class Spec:
    """What a form needs to present an instrument: short item summaries (our wording, not the
    published item text), the answer scale per item as ``(value, label)`` pairs, and the bands
    in order. Items complete ``period``, except those in ``own_question``: they are questions
    of their own, with their own answers (STarT Back's item 9)."""

    key: str
    name: str
    period: str
    items: tuple[str, ...]
    scales: tuple[tuple[tuple[int, str], ...], ...]
    bands: tuple[str, ...]
    source: str
    own_question: frozenset[int] = frozenset()

    def score(self, answers: Sequence[int]) -> Result:
        return INSTRUMENTS[self.key](answers)

    def points(self, index: int, value: int) -> int:
        """What an answer adds to the total: its value, except STarT Back's item 9, where only
        "very much" and "extremely" count (1) and the other three answers count 0."""
        if self.key == "start_back" and index == 8:
            return BOTHER_POINTS[value]
        return value

    def rows(self) -> list[dict]:
        """Each item as a form shows it: ``index``, ``text``, ``options`` (``(value, label,
        points)``) and ``own`` (a question of its own rather than the end of ``period``)."""
        return [
            {"index": i, "text": text, "options": self.options(i), "own": i in self.own_question}
            for i, text in enumerate(self.items)
        ]

    def options(self, index: int) -> list[tuple[int, str, int]]:
        """Item ``index``'s answers as ``(value, label, points)``, for a form to show."""
        return [(value, label, self.points(index, value)) for value, label in self.scales[index]]


FREQUENCY = (
    (0, "Not at all"),
    (1, "Several days"),
    (2, "More than half the days"),
    (3, "Nearly every day"),
)
AGREE = ((0, "Disagree"), (1, "Agree"))
BOTHER = ((0, "Not at all"), (1, "Slightly"), (2, "Moderately"), (3, "Very much"), (4, "Extremely"))
# STarT Back item 9 as published: not at all, slightly and moderately score 0; very much and
# extremely score 1.
BOTHER_POINTS = {0: 0, 1: 0, 2: 0, 3: 1, 4: 1}

SPECS = {
    "phq9": Spec(
        "phq9",
        "PHQ-9",
        "Over the last two weeks, how often has the person been bothered by",
        (
            "little interest or pleasure in doing things",
            "feeling down, depressed or hopeless",
            "trouble with sleep: getting to sleep, staying asleep, or sleeping too much",
            "tiredness or having little energy",
            "a poor appetite or overeating",
            "feeling bad about themselves, or that they are a failure or have let people down",
            "trouble concentrating, for example on reading or television",
            "moving or speaking noticeably slowly, or being so restless they move about much more",
            "thoughts that they would be better off dead, or of hurting themselves",
        ),
        (FREQUENCY,) * 9,
        tuple(label for _, label in PHQ9_BANDS),
        "Kroenke, Spitzer & Williams, 2001",
    ),
    "gad7": Spec(
        "gad7",
        "GAD-7",
        "Over the last two weeks, how often has the person been bothered by",
        (
            "feeling nervous, anxious or on edge",
            "not being able to stop or control worrying",
            "worrying too much about different things",
            "trouble relaxing",
            "being so restless that it is hard to sit still",
            "becoming easily annoyed or irritable",
            "feeling afraid that something awful might happen",
        ),
        (FREQUENCY,) * 7,
        tuple(label for _, label in GAD7_BANDS),
        "Spitzer, Kroenke, Williams & Löwe, 2006",
    ),
    "start_back": Spec(
        "start_back",
        "STarT Back",
        "Thinking about the last two weeks, does the person agree or disagree that",
        (
            "their back pain has spread down their leg or legs",
            "they have had pain in the shoulder or neck as well",
            "they have only walked short distances because of their back pain",
            "they have dressed more slowly than usual because of their back pain",
            "it is not really safe for a person with their condition to be physically active",
            "worrying thoughts have been going through their mind a lot",
            "their back pain is terrible and they feel it is never going to get any better",
            "they have not enjoyed the things they usually enjoy",
            "Overall, how much has the back pain bothered the person in the last two weeks?",
        ),
        (AGREE,) * 8 + (BOTHER,),
        ("low risk", "medium risk", "high risk"),
        "Hill et al., 2008",
        own_question=frozenset({8}),
    ),
}

RISK_MESSAGE = (
    "Item 9 is above zero: the person has had thoughts of being better off dead or of hurting "
    "themselves. Whatever the total, ask about these thoughts directly and with care today, judge "
    "the immediate risk, agree a safety plan and follow your service's risk procedure."
)

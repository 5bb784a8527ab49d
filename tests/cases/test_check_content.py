"""manage.py check_content: cue patterns in a bank fail it; a balanced bank passes."""

import pytest
import yaml
from django.core.management import CommandError, call_command

from assessments.seed import CONTENT
from cases import cues
from cases.management.commands.check_content import _specs


def _single(n: int, key_longest: bool) -> dict:
    texts = ["Ask her", "Refer on to the team", "Give a leaflet", "Wait and see"]
    if key_longest:
        texts[0] = "Ask what matters to her most about getting home, and what worries her now"
    return {
        "key": f"s{n}",
        "kind": "single",
        "options": [{"key": f"o{i}", "text": t, "correct": i == 0} for i, t in enumerate(texts)],
    }


def _multiple(n: int, keyed: int, extra: str = "") -> dict:
    return {
        "key": f"m{n}",
        "kind": "multiple",
        "options": [
            {"key": f"o{i}", "text": f"Option {i}{extra if i == 4 else ''}", "correct": i < keyed}
            for i in range(5)
        ],
    }


def _write(folder, questions):
    folder.mkdir()
    (folder / "01-quiz.yaml").write_text(yaml.safe_dump({"questions": questions}))
    return folder


def _run(tmp_path, questions):
    quizzes = _write(tmp_path / "quizzes", questions)
    (tmp_path / "vignettes").mkdir()
    out = []

    class Out:
        def write(self, text, *args, **kwargs):
            out.append(text)

        def flush(self):
            pass

    try:
        call_command(
            "check_content", quizzes=quizzes, vignettes=tmp_path / "vignettes", stdout=Out()
        )
    except CommandError:
        return False, "\n".join(out)
    return True, "\n".join(out)


def test_a_cued_quiz_fails(tmp_path):
    questions = [_single(n, key_longest=True) for n in range(6)]
    questions += [_multiple(n, 2, " (a colleague suggests this)") for n in range(5)]
    ok, report = _run(tmp_path, questions)
    assert not ok
    assert "longest-key" in report and "6 of 6 (100%)" in report
    assert "same-count" in report and "5 of 5" in report
    assert "colleague suggests" in report


def test_a_balanced_quiz_passes(tmp_path):
    questions = [_single(n, key_longest=n == 0) for n in range(6)]
    questions += [_multiple(n, keyed) for n, keyed in enumerate([1, 2, 3, 2, 4, 1])]
    ok, report = _run(tmp_path, questions)
    assert ok, report
    assert "1 of 6" in report


def test_the_same_harmful_option_in_every_case_fails():
    def case(harmful):
        options = [{"intervention": harmful, "rating": "harmful"}, {"intervention": "x"}]
        return {"nodes": [{"id": "i", "kind": "identify", "options": options}]}

    same = cues.same_harm([(f"c{n}", case("specialist-referral")) for n in range(5)])
    assert [f.failed for f in same] == [True, True]
    varied = cues.same_harm([(f"c{n}", case(s)) for n, s in enumerate(["a", "b", "c", "d", "e"])])
    assert varied[0].failed is False


def test_cases_that_rate_nothing_harmful_count_against_exactly_one():
    def case(*harmful):
        options = [{"intervention": h, "rating": "harmful"} for h in harmful]
        options.append({"intervention": "x", "rating": "neutral"})
        return {"nodes": [{"id": "i", "kind": "identify", "options": options}]}

    ones = [(f"c{n}", case(s)) for n, s in enumerate("abcde")]
    assert cues.same_harm(ones)[1].failed  # every case: exactly one harmful
    mixed = cues.same_harm([*ones, ("f", case()), ("g", case())])
    assert mixed[1].failed is False and "5 of 7" in mixed[1].message
    assert "{0: 2, 1: 5}" in mixed[1].message
    # A case with no intervention step says nothing about how many are harmful.
    scenes = cues.same_harm([*ones, ("h", {"nodes": [{"id": "s", "kind": "scene"}]})])
    assert "5 of 5" in scenes[1].message


def test_a_citation_missing_from_the_bibliography_fails(tmp_path):
    questions = [_single(n, key_longest=n == 0) for n in range(6)]
    questions += [_multiple(n, keyed) for n, keyed in enumerate([1, 2, 3, 2, 4, 1])]
    questions[0]["explanation"] = "Sources: Engel, 1977; Nobody et al., 2019."
    ok, report = _run(tmp_path, questions)
    assert not ok
    assert "FAIL citations" in report and "Nobody et al., 2019 names 0" in report
    assert "Engel, 1977" not in report  # it is in the bibliography


@pytest.mark.parametrize(
    "text, flagged",
    [("It's just stress", True), ("What went through your mind just before?", False)],
)
def test_minimising_words_are_told_from_time_words(text, flagged):
    assert bool(cues.DISTRACTOR_WORDS["minimising"].search(text)) is flagged


def test_a_quiz_whose_key_is_never_the_longest_fails(tmp_path):
    # The mirror-image cue: with 30 four-option questions chance makes the key the longest about
    # 7 times; never is a rule a trainee can learn ("rule out the longest").
    questions = [_single(n, key_longest=False) for n in range(30)]
    ok, report = _run(tmp_path, questions)
    assert not ok
    assert "FAIL longest-key" in report and "0 of 30 (0%)" in report
    assert "too rare (p < 0.01 by chance)" in report


def test_a_key_longest_about_as_often_as_chance_passes_both_bounds(tmp_path):
    questions = [_single(n, key_longest=n % 4 == 0) for n in range(30)]
    ok, report = _run(tmp_path, questions)
    assert ok, report
    assert "ok longest-key" in report and "8 of 30" in report


def test_a_few_questions_are_too_few_to_call_never_longest_a_cue():
    items = cues.quiz_items("q", {"questions": [_single(n, key_longest=False) for n in range(6)]})
    (finding,) = cues.longest_key(items, "q")
    assert not finding.failed
    assert "too few items to call any count too rare" in finding.message


@pytest.mark.parametrize(("hits", "failed"), [(3, True), (4, False)])
def test_the_lower_bound_is_the_exact_one_percent_tail(hits, failed):
    # 40 four-option questions: P(X <= 3) is about 0.5% and P(X <= 4) about 1.6% by chance.
    questions = [_single(n, key_longest=n < hits) for n in range(40)]
    (finding,) = cues.longest_key(cues.quiz_items("q", {"questions": questions}), "q")
    assert finding.failed is failed
    assert "fewer than 4 is too rare" in finding.message


def test_the_shipped_quiz_bank_passes_the_lower_bound():
    items = [i for name, spec in _specs(CONTENT / "quizzes") for i in cues.quiz_items(name, spec)]
    (finding,) = cues.longest_key(items, "quiz bank")
    assert not finding.failed, finding.message
    assert "fewer than 5 is too rare" in finding.message

"""manage.py check_content: cue patterns in a bank fail it; a balanced bank passes."""

import pytest
import yaml
from django.core.management import CommandError, call_command

from cases import cues


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

"""The question-bank import runs the editor's checks: a quiz the editor would refuse on Save is
refused at import, with a message naming the file and the question, and nothing is written."""

import pytest

from assessments import importing
from assessments.models import QuizPage

from .conftest import build_quiz, quiz_spec


def _import_broken(break_it) -> str:
    module = build_quiz().get_parent()
    spec = quiz_spec(slug="broken-quiz")
    break_it(spec["questions"])
    with pytest.raises(importing.QuizInvalid) as caught:
        importing.quiz_import(module=module, spec=spec, source="99-broken.yaml")
    assert not QuizPage.objects.filter(slug="broken-quiz").exists()
    return str(caught.value)


@pytest.mark.django_db
def test_a_single_choice_question_with_two_right_options_is_refused():
    def two_right(questions):
        questions[0]["options"][1]["correct"] = True

    message = _import_broken(two_right)
    assert message == (
        "99-broken.yaml is not valid: question “q-single”: A single-choice question needs at "
        "least two options and exactly one correct."
    )


@pytest.mark.django_db
def test_a_question_key_used_twice_is_refused():
    def same_key(questions):
        questions[1]["key"] = "q-single"

    assert _import_broken(same_key).endswith(
        "question “q-single”: Each question needs its own key."
    )


@pytest.mark.django_db
def test_field_rules_of_the_editor_apply_too():
    def long_option(questions):
        questions[0]["options"][0]["text"] = "z" * 501

    message = _import_broken(long_option)
    assert "question “q-single”: text: Ensure this value has at most 500 characters" in message


@pytest.mark.django_db
def test_a_question_without_elements_or_with_an_unknown_factor_is_refused():
    def no_elements(questions):
        questions[0]["elements"] = []

    assert "question “q-single”: elements: This field is required." in _import_broken(no_elements)

    def unknown_factor(questions):
        questions[2]["factors"][0]["factor"] = "no-such-factor"

    assert "question “q-factors”: Unknown factor “no-such-factor”." in _import_broken(
        unknown_factor
    )

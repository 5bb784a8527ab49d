"""What a quiz question accepts and how an answer is scored (assessments.engine.quiz_logic), with
no database: each rule from the module's docstrings, by hand-worked examples."""

import hashlib

import pytest
from django.http import QueryDict

from assessments.engine import quiz_logic
from assessments.engine.quiz_logic import Option, QuestionSpec, ResponseError


def spec(kind, options=(), points=2.0):
    return QuestionSpec(
        key="q1",
        kind=kind,
        stem="What helps?",
        points=points,
        feedback="",
        guidance="",
        elements=("e1",),
        setting="renal",
        options=tuple(options),
    )


def opt(key, correct=False, label=None, **extra):
    return Option(
        key=key, label=label or f"label {key}", correct=correct, feedback=f"fb {key}", **extra
    )


SINGLE = spec("single", [opt("a"), opt("b", correct=True), opt("c")])
MULTIPLE = spec("multiple", [opt("a", True), opt("b", True), opt("c"), opt("d")])
MATCHING = spec(
    "intervention_matching",
    [
        opt(
            "p1",
            factor="Low mood",
            intervention="activation",
            intervention_name="Behavioural activation",
        ),
        opt("p2", factor="Worry", intervention="ps", intervention_name="problem solving"),
        opt("p3", factor="Pain", intervention="pacing"),  # no name: the slug stands in
        opt("decoy", intervention="ps", intervention_name="Problem solving"),  # no factor
    ],
)
ORDERING = spec("ordering", [opt("first"), opt("second"), opt("third")], points=3.0)
REFLECTION = spec("reflection")


def test_pass_mark_boundaries():
    assert quiz_logic.passed(69.5, 100, 70) is False  # half a point short of the mark
    assert quiz_logic.passed(70, 100, 70) is True
    assert quiz_logic.passed(1, 1, 100) is True  # full marks pass a 100% mark
    assert quiz_logic.passed(0, 5, 0) is True  # a 0% mark passes anything scored
    assert quiz_logic.passed(3, 0, 0) is False  # nothing available never passes


def test_the_tolerance_for_rounding_counts_as_reaching_the_mark():
    # The mark is reached within a billionth of a percent (floating-point noise), boundary included.
    assert quiz_logic.passed(0, 1, 1e-9) is True
    assert quiz_logic.passed(0, 1, 2e-9) is False


def test_response_error_is_a_value_error():
    assert issubclass(ResponseError, ValueError)


def test_only_reflections_are_not_auto_scored():
    assert not REFLECTION.auto_scored
    for question in (SINGLE, MULTIPLE, MATCHING, ORDERING, spec("factor_recognition")):
        assert question.auto_scored


def test_pairs_are_the_options_that_name_a_factor():
    assert [o.key for o in MATCHING.pairs] == ["p1", "p2", "p3"]


def test_intervention_choices_are_unique_named_and_in_neutral_order():
    # Sorted by name ignoring case; "ps" is offered twice and appears once (the last name given);
    # "pacing" has no name and is shown by its slug.
    assert MATCHING.intervention_choices == [
        ("activation", "Behavioural activation"),
        ("pacing", "pacing"),
        ("ps", "Problem solving"),
    ]


def test_intervention_choices_ignore_case_when_sorting():
    question = spec(
        "intervention_matching",
        [
            opt("p1", factor="f", intervention="x", intervention_name="beta"),
            opt("p2", factor="g", intervention="y", intervention_name="Alpha"),
        ],
    )
    assert question.intervention_choices == [("y", "Alpha"), ("x", "beta")]


def test_display_order_of_ordering_items_is_by_hash_and_never_the_answer():
    shown = [o.key for o in ORDERING.display_order()]
    by_hash = sorted(
        ["first", "second", "third"], key=lambda k: hashlib.sha256(k.encode()).hexdigest()
    )
    assert sorted(shown) == ["first", "second", "third"]
    assert shown != ["first", "second", "third"]
    if by_hash != ["first", "second", "third"]:
        assert shown == by_hash
    # Items whose correct order is the hash order are rotated by one.
    in_hash_order = spec("ordering", [opt(k) for k in by_hash])
    assert [o.key for o in in_hash_order.display_order()] == by_hash[1:] + by_hash[:1]


def test_two_ordering_items_in_hash_order_are_swapped():
    pair = sorted(["first", "second"], key=lambda k: hashlib.sha256(k.encode()).hexdigest())
    question = spec("ordering", [opt(k) for k in pair])
    assert [o.key for o in question.display_order()] == pair[::-1]


def test_a_single_ordering_item_is_shown_as_it_is():
    one = spec("ordering", [opt("only")])
    assert [o.key for o in one.display_order()] == ["only"]


def test_display_order_of_other_kinds():
    assert [o.key for o in MATCHING.display_order()] == ["p1", "p2", "p3"]
    assert [o.key for o in SINGLE.display_order()] == ["a", "b", "c"]
    assert isinstance(SINGLE.display_order(), list)


# parse_response -------------------------------------------------------------------------------


def test_single_choice_accepts_an_offered_option_only():
    assert quiz_logic.parse_response(SINGLE, {"choice": "a"}) == {"choice": "a"}
    assert quiz_logic.parse_response(SINGLE, QueryDict("choice=c")) == {"choice": "c"}
    for bad in ({"choice": "z"}, {}):
        with pytest.raises(ResponseError, match=r"^Choose one of the options\.$"):
            quiz_logic.parse_response(SINGLE, bad)


@pytest.mark.parametrize("kind", ["multiple", "factor_recognition"])
def test_multiple_choices_from_a_form_or_a_dict_without_repeats(kind):
    question = spec(kind, MULTIPLE.options)
    form = QueryDict("choices=b&choices=a&choices=b")
    assert quiz_logic.parse_response(question, form) == {"choices": ["b", "a"]}
    assert quiz_logic.parse_response(question, {"choices": ["c", "c"]}) == {"choices": ["c"]}
    assert quiz_logic.parse_response(question, {}) == {"choices": []}
    assert quiz_logic.parse_response(question, QueryDict("")) == {"choices": []}
    with pytest.raises(
        ResponseError, match=r"^That answer includes an option this question does not have\.$"
    ):
        quiz_logic.parse_response(question, QueryDict("choices=a&choices=zz"))


def test_matching_records_every_pair_and_refuses_unoffered_interventions():
    form = QueryDict("match-p1=ps&match-p2=&match-decoy=activation")
    assert quiz_logic.parse_response(MATCHING, form) == {
        "matches": {"p1": "ps", "p2": None, "p3": None}
    }
    with pytest.raises(
        ResponseError,
        match=r"^That answer includes an intervention this question does not offer\.$",
    ):
        quiz_logic.parse_response(MATCHING, {"match-p1": "ps", "match-p2": "surgery"})
    with pytest.raises(ResponseError, match=r"^Match at least one factor to an intervention\.$"):
        quiz_logic.parse_response(MATCHING, {"match-p1": ""})


def test_ordering_turns_positions_into_an_order():
    form = {"position-first": "2", "position-second": "3", "position-third": "1"}
    assert quiz_logic.parse_response(ORDERING, form) == {"order": ["third", "first", "second"]}


@pytest.mark.parametrize(
    ("positions", "message"),
    [
        ({"first": "1", "second": "2"}, "Give every item a position."),
        ({"first": "1", "second": "2", "third": "x"}, "Give every item a position."),
        (
            {"first": "0", "second": "1", "third": "2"},
            "Positions run from 1 to the number of items.",
        ),
        (
            {"first": "1", "second": "2", "third": "4"},
            "Positions run from 1 to the number of items.",
        ),
        ({"first": "1", "second": "1", "third": "3"}, "Give each item a different position."),
    ],
)
def test_ordering_refuses_missing_out_of_range_and_repeated_positions(positions, message):
    data = {f"position-{k}": v for k, v in positions.items()}
    with pytest.raises(ResponseError) as refused:
        quiz_logic.parse_response(ORDERING, data)
    assert str(refused.value) == message


def test_ordering_accepts_the_first_and_last_positions():
    data = {"position-first": "3", "position-second": "1", "position-third": "2"}
    assert quiz_logic.parse_response(ORDERING, data) == {"order": ["second", "third", "first"]}


def test_reflection_text_is_cleaned_and_bounded():
    assert quiz_logic.parse_response(REFLECTION, {"text": "  I would\x00 ask  \n"}) == {
        "text": "I would ask"
    }
    assert quiz_logic.parse_response(REFLECTION, {"text": "x" * 5000}) == {"text": "x" * 5000}
    for empty in ({}, {"text": None}, {"text": " \x00 "}):
        with pytest.raises(ResponseError, match=r"^Write your answer before saving it\.$"):
            quiz_logic.parse_response(REFLECTION, empty)
    with pytest.raises(ResponseError, match=r"^Keep your answer under 5,000 characters\.$"):
        quiz_logic.parse_response(REFLECTION, {"text": "x" * 5001})


def test_an_unknown_kind_cannot_be_answered():
    with pytest.raises(ResponseError, match=r"^This question cannot be answered\.$"):
        quiz_logic.parse_response(spec("essay"), {"text": "hello"})


# score_response --------------------------------------------------------------------------------


def test_reflections_are_not_scored():
    assert quiz_logic.score_response(REFLECTION, {"text": "a thought"}) is None


def test_single_choice_scores_full_or_nothing():
    right = quiz_logic.score_response(SINGLE, {"choice": "b"})
    assert (right.points, right.max_points) == (2.0, 2.0)
    wrong = quiz_logic.score_response(SINGLE, {"choice": "a"})
    assert (wrong.points, wrong.max_points) == (0.0, 2.0)
    assert quiz_logic.score_response(SINGLE, None).points == 0


@pytest.mark.parametrize("kind", ["multiple", "factor_recognition"])
def test_selection_scores_hits_less_false_picks(kind):
    question = spec(kind, MULTIPLE.options, points=4.0)
    assert quiz_logic.score_response(question, {"choices": ["a", "b"]}).points == 4.0
    assert quiz_logic.score_response(question, {"choices": ["a"]}).points == 2.0
    assert quiz_logic.score_response(question, {"choices": ["a", "b", "c"]}).points == 2.0
    assert quiz_logic.score_response(question, {}).points == 0.0


def test_matching_scores_the_share_of_factors_matched_correctly():
    answer = {"matches": {"p1": "activation", "p2": "ps", "p3": None}}
    score = quiz_logic.score_response(spec("intervention_matching", MATCHING.options, 3.0), answer)
    assert score.points == pytest.approx(2.0)
    assert quiz_logic.score_response(MATCHING, {}).points == 0.0


def test_ordering_scores_pairs_in_the_right_order():
    assert quiz_logic.score_response(ORDERING, {"order": ["first", "second", "third"]}).points == 3
    assert quiz_logic.score_response(ORDERING, {"order": ["second", "first", "third"]}).points == 2
    assert quiz_logic.score_response(ORDERING, {}).points == 0


def test_an_unknown_auto_scored_kind_scores_nothing():
    score = quiz_logic.score_response(spec("essay", [opt("a", True)]), {"choice": "a"})
    assert (score.points, score.max_points) == (0.0, 2.0)


# correct_answer_text ---------------------------------------------------------------------------


def test_correct_answer_in_words():
    assert quiz_logic.correct_answer_text(SINGLE) == ["label b"]
    assert quiz_logic.correct_answer_text(MULTIPLE) == ["label a", "label b"]
    recognise = spec("factor_recognition", MULTIPLE.options)
    assert quiz_logic.correct_answer_text(recognise) == ["label a", "label b"]
    named = spec("intervention_matching", MATCHING.options[:2] + MATCHING.options[3:])
    assert quiz_logic.correct_answer_text(named) == [
        "Low mood → Behavioural activation",
        "Worry → problem solving",
    ]
    assert quiz_logic.correct_answer_text(ORDERING) == [
        "label first",
        "label second",
        "label third",
    ]
    assert quiz_logic.correct_answer_text(REFLECTION) == []

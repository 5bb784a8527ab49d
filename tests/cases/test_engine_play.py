"""Playing a vignette one step at a time (cases.engine.play) and what a sound graph can award
(cases.engine.bounds): hand-worked examples of each rule in their docstrings, no database."""

from dataclasses import dataclass
from types import SimpleNamespace

import pytest

from assessments.engine.instruments import RISK_MESSAGE
from cases.engine import (
    Bounds,
    Graph,
    GraphError,
    IllegalMove,
    Node,
    Option,
    OptionFeedback,
    Response,
    State,
    advance,
    answers_in_band,
    best_endings,
    best_path,
    bounds,
    longest_path,
    score_bounds,
)
from cases.engine.bounds import _fill

ROUTES = {"minimal": "low", "mild": "low", "moderate": "mid", "severe": "high"}


def story() -> Graph:
    """intro -> ask -> choose: calm -> gad -> low|mid|high; rush -> end-poor."""
    return Graph(
        (
            Node("intro", "scene", start=True, next="ask"),
            Node(
                "ask",
                "ask",
                next="choose",
                points=4,
                elements=("elicit", "rapport"),
                options=(
                    Option("sleep", "How are you sleeping?", "open", correct=True),
                    Option("mood", "How is your mood?", "open", correct=True),
                    Option("bp", "Any chest pain?", "not now"),
                ),
            ),
            Node(
                "choose",
                "decide",
                options=(
                    Option("calm", "Ask more", "good", target="gad", scores={"m": 2, "n": 0}),
                    Option("rush", "Refer now", "hasty", target="end-poor", scores={"m": 1}),
                ),
            ),
            Node(
                "gad",
                "screen",
                instrument="gad7",
                key=(2,) * 7,  # 14: moderate
                points=3,
                routes=ROUTES,
            ),
            Node("low", "ending"),
            Node("mid", "ending", outcome="good"),
            Node("high", "ending"),
            Node("end-poor", "ending", outcome="poor"),
        )
    )


# play ------------------------------------------------------------------------------------------


def test_the_first_state_is_the_start_at_step_zero():
    assert State.initial(story()) == State("intro", 0)
    assert State("x").step == 0
    with pytest.raises(GraphError, match=r"^The vignette has no single start\.$"):
        State.initial(Graph((Node("a", "ending"),)))


def test_illegal_move_is_a_value_error():
    assert issubclass(IllegalMove, ValueError)


@pytest.mark.parametrize(
    ("state", "response", "message"),
    [
        (State("gone"), Response("gone"), "The attempt is on a node that no longer exists."),
        (State("ask"), Response("intro"), "That answer is for intro, but the story is at ask."),
        (State("mid"), Response("mid"), "The story has ended."),
        (State("ask"), Response("ask", ("sleep", "sleep")), "The same option was chosen twice."),
        (State("ask"), Response("ask", ("sleep", "zz")), "“zz” is not an option here."),
        (State("intro"), Response("intro", values=(1,)), "A scene only continues."),
        (State("intro"), Response("intro", ("x",)), "“x” is not an option here."),
        (State("ask"), Response("ask", ("sleep",), (1,)), "This node takes choices, not answers."),
        (State("choose"), Response("choose"), "Choose exactly one option."),
        (State("choose"), Response("choose", ("calm", "rush")), "Choose exactly one option."),
        (State("gad"), Response("gad", values=(1, 1)), "GAD-7 needs 7 answers, not 2."),
    ],
)
def test_refused_moves_say_why(state, response, message):
    with pytest.raises(IllegalMove) as refused:
        advance(story(), state, response)
    assert str(refused.value) == message


def test_a_scene_with_an_option_chosen_is_refused():
    graph = Graph(
        (Node("s", "scene", start=True, next="e", options=(Option("x"),)), Node("e", "ending"))
    )
    with pytest.raises(IllegalMove, match=r"^A scene only continues\.$"):
        advance(graph, State("s"), Response("s", ("x",)))


def test_a_screen_with_choices_is_refused():
    graph = Graph(
        (
            Node(
                "g", "screen", start=True, instrument="gad7", routes=ROUTES, options=(Option("x"),)
            ),
            Node("low", "ending"),
        )
    )
    with pytest.raises(IllegalMove, match=r"^A screen takes answers, not choices\.$"):
        advance(graph, State("g"), Response("g", ("x",), (0,) * 7))


def test_a_scene_moves_on_and_counts_the_step():
    step = advance(story(), State("intro", 4), Response("intro"))
    assert (step.state, step.scores, step.maxima, step.feedback) == (State("ask", 5), {}, {}, ())
    assert (step.band, step.total, step.risk) == (None, None, "")
    assert step.node.id == "intro"


def test_a_selection_scores_each_element_and_shows_feedback_on_every_option():
    step = advance(story(), State("ask", 1), Response("ask", ("mood", "bp")))
    # One right pick and one wrong: (1 - 1) / 2 of 4 points.
    assert step.scores == {"elicit": 0.0, "rapport": 0.0}
    assert step.maxima == {"elicit": 4.0, "rapport": 4.0}
    assert step.state == State("choose", 2)
    graph = story()
    assert step.feedback == (
        OptionFeedback(graph["ask"].options[0], False),
        OptionFeedback(graph["ask"].options[1], True),
        OptionFeedback(graph["ask"].options[2], True),
    )
    half = advance(graph, State("ask", 1), Response("ask", ("mood",)))
    assert half.scores == {"elicit": 2.0, "rapport": 2.0}
    assert half.node is graph["ask"]
    # Choices need not be a tuple.
    listed = advance(graph, State("ask", 1), Response("ask", ["mood", "sleep"]))
    assert listed.scores == {"elicit": 4.0, "rapport": 4.0}


def test_an_off_key_pick_costs_a_share_on_ask_and_recognise_and_half_a_share_on_identify():
    # Over-treating costs something (scoring.NEUTRAL_COST): two helpful picks and one neutral
    # earn 2 x 1/2 - 1/2 x 1/2 = 3/4 of the node's 2 points.
    options = (Option("a", correct=True), Option("b", correct=True), Option("c"))
    for kind, expected in (("ask", 1.0), ("recognise", 1.0), ("identify", 1.5)):
        graph = Graph((Node("n", kind, start=True, next="e", options=options), Node("e", "ending")))
        step = advance(graph, State("n"), Response("n", ("a", "b", "c")))
        assert set(step.scores.values()) == {expected}, kind


def test_a_decision_scores_the_chosen_option_on_every_element_it_can_award():
    step = advance(story(), State("choose", 2), Response("choose", ("rush",)))
    assert step.scores == {"m": 1.0}  # "n" is never awarded, so it is not recorded
    assert step.maxima == {"m": 2.0}
    assert step.state == State("end-poor", 3)
    assert step.feedback == (OptionFeedback(story()["choose"].options[1], True),)
    assert step.node == story()["choose"]


def test_a_decision_records_zero_for_an_element_the_choice_does_not_score():
    graph = Graph(
        (
            Node(
                "d",
                "decide",
                start=True,
                options=(
                    Option("a", target="e", scores={"x": 1}),
                    Option("b", target="e", scores={"y": 2}),
                ),
            ),
            Node("e", "ending"),
        )
    )
    step = advance(graph, State("d"), Response("d", ("a",)))
    assert step.scores == {"x": 1.0, "y": 0.0}


def test_a_screen_routes_by_band_and_credits_the_key_band():
    graph = story()
    step = advance(graph, State("gad", 3), Response("gad", values=(2, 2, 2, 2, 2, 2, 1)))
    assert (step.band, step.total, step.state) == ("moderate", 13, State("mid", 4))
    assert step.scores == {"recognise-psychological": 3.0}
    assert step.maxima == {"recognise-psychological": 3.0}
    assert step.risk == ""
    assert step.node is graph["gad"]
    low = advance(graph, State("gad", 3), Response("gad", values=(0,) * 7))
    assert (low.band, low.total, low.state.node, low.scores) == (
        "minimal",
        0,
        "low",
        {"recognise-psychological": 0.0},
    )


def test_a_screen_passes_on_the_instruments_risk_message():
    graph = Graph(
        (
            Node(
                "p",
                "screen",
                start=True,
                instrument="phq9",
                key=(0,) * 9,
                routes=dict.fromkeys(
                    ("minimal", "mild", "moderate", "moderately severe", "severe"), "e"
                ),
            ),
            Node("e", "ending"),
        )
    )
    step = advance(graph, State("p"), Response("p", values=(0,) * 8 + (1,)))
    assert step.risk == RISK_MESSAGE and step.risk


# bounds ----------------------------------------------------------------------------------------


def test_score_bounds_worked_example():
    bounds = score_bounds(story())
    # ask is on every path: 0..4 for both elements; m: rush 1, calm 2; the screen's 3 points only
    # on the calm path, and only with the key's band.
    assert bounds == {
        "elicit": Bounds(0, 4),
        "rapport": Bounds(0, 4),
        "m": Bounds(1, 2),  # "n" scores 0 everywhere: not an element of this graph
        "recognise-psychological": Bounds(0, 3),
    }


def test_score_bounds_include_listed_elements_and_round():
    graph = Graph(
        (
            Node(
                "a", "ask", start=True, next="e", points=1 / 3, options=(Option("x", correct=True),)
            ),
            Node("e", "ending"),
        ),
        ("listed", "elicit"),
    )
    assert score_bounds(graph) == {"listed": Bounds(0, 0), "elicit": Bounds(0, 0.3333)}


def test_score_bounds_round_to_four_places():
    graph = Graph(
        (
            Node(
                "d",
                "decide",
                start=True,
                options=(
                    Option("a", target="e", scores={"x": 1 / 3}),
                    Option("b", target="e", scores={"x": 2 / 3}),
                ),
            ),
            Node("e", "ending"),
        )
    )
    assert score_bounds(graph) == {"x": Bounds(0.3333, 0.6667)}


def test_score_bounds_add_what_comes_after_a_step():
    # A step that scores nothing for "m" is followed by a decision worth 1 to 2: the path
    # through both is worth 1 to 2 for "m".
    graph = Graph(
        (
            Node("a", "ask", start=True, next="d", options=(Option("q", correct=True),)),
            Node(
                "d",
                "decide",
                options=(
                    Option("x", target="e", scores={"m": 1}),
                    Option("y", target="e", scores={"m": 2}),
                ),
            ),
            Node("e", "ending"),
        )
    )
    assert score_bounds(graph) == {"elicit": Bounds(0, 2), "m": Bounds(1, 2)}


def test_score_bounds_worst_takes_the_poorer_branch():
    graph = Graph(
        (
            Node(
                "d",
                "decide",
                start=True,
                options=(
                    Option("a", target="e", scores={"x": 3}),
                    Option("b", target="f", scores={"x": 1}),
                    Option("c", target="g", scores={"x": 2}),
                ),
            ),
            Node("e", "ending"),
            Node("f", "ending"),
            Node("g", "ending"),
        )
    )
    assert score_bounds(graph) == {"x": Bounds(1, 3)}
    assert best_path(graph) == [("d", "a"), ("e", None)]
    assert best_endings(graph) == {"e"}
    assert longest_path(graph) == 1


def test_best_path_names_the_decision_and_the_band():
    assert best_path(story()) == [
        ("intro", None),
        ("ask", None),
        ("choose", "calm"),
        ("gad", "moderate"),
        ("mid", None),
    ]


def test_best_path_ties_go_to_the_earlier_option_and_skip_options_without_a_target():
    graph = Graph(
        (
            Node(
                "d",
                "decide",
                start=True,
                options=(
                    Option("dead-end", scores={"x": 9}),
                    Option("low", target="e1", scores={"x": 1}),
                    Option("first", target="e2", scores={"x": 2}),
                    Option("second", target="e3", scores={"x": 2}),
                ),
            ),
            Node("e1", "ending"),
            Node("e2", "ending"),
            Node("e3", "ending"),
        )
    )
    assert best_path(graph) == [("d", "first"), ("e2", None)]
    assert best_endings(graph) == {"e2", "e3"}


def test_best_path_counts_what_follows_a_choice():
    # "a" scores less now but leads to a richer step; the total over the path decides.
    graph = Graph(
        (
            Node(
                "d",
                "decide",
                start=True,
                options=(
                    Option("b", target="end", scores={"x": 2}),
                    Option("a", target="ask", scores={"x": 1}),
                ),
            ),
            Node("ask", "ask", next="end", points=5, options=(Option("q", correct=True),)),
            Node("end", "ending", outcome="good"),
        )
    )
    assert best_path(graph) == [("d", "a"), ("ask", None), ("end", None)]
    assert best_endings(graph) == {"end"}
    assert longest_path(graph) == 2


def test_best_endings_follow_only_best_branches():
    graph = Graph(
        (
            Node("s", "scene", start=True, next="d"),
            Node(
                "d",
                "decide",
                options=(
                    Option("a", target="good", scores={"x": 2}),
                    Option("b", target="poor", scores={"x": 1}),
                ),
            ),
            Node("good", "ending"),
            Node("poor", "ending"),
        )
    )
    assert best_endings(graph) == {"good"}
    assert longest_path(graph) == 2


def test_best_path_looks_past_the_next_step():
    # "a" earns 1 now and then two steps of 5; "b" earns 2 and ends.
    graph = Graph(
        (
            Node(
                "d",
                "decide",
                start=True,
                options=(
                    Option("b", target="end", scores={"x": 2}),
                    Option("a", target="ask1", scores={"x": 1}),
                ),
            ),
            Node("ask1", "ask", next="ask2", points=5, options=(Option("q", correct=True),)),
            Node("ask2", "ask", next="end", points=5, options=(Option("q", correct=True),)),
            Node("end", "ending"),
        )
    )
    assert best_path(graph)[0] == ("d", "a")


def test_best_endings_follow_every_best_branch_whatever_order_the_walk_takes():
    # Three ways from d: straight to e1 (2 points), via a poor scene to e3 (0), via a question
    # worth 2 to e2. e1 and e2 are both best; the walk meets e1 and the poor scene first.
    graph = Graph(
        (
            Node(
                "d",
                "decide",
                start=True,
                options=(
                    Option("x", target="e1", scores={"m": 2}),
                    Option("y", target="poor", scores={"m": 0}),
                    Option("z", target="ask", scores={"m": 0}),
                ),
            ),
            Node("poor", "scene", next="e3"),
            Node(
                "ask",
                "ask",
                next="e2",
                points=2,
                elements=("m",),
                options=(Option("q", correct=True),),
            ),
            Node("e1", "ending"),
            Node("e2", "ending"),
            Node("e3", "ending"),
        )
    )
    assert best_endings(graph) == {"e1", "e2"}


def test_best_endings_of_the_story():
    assert best_endings(story()) == {"mid"}
    assert longest_path(story()) == 4


def test_answers_in_band_by_enumeration_and_by_total():
    # STarT Back's nine items give few enough answer sets to try them all in order.
    # The first set in that order with a total of 4 has 4 in the psychosocial subscale.
    assert answers_in_band("start_back", "low risk") == (0,) * 9
    assert answers_in_band("start_back", "high risk") == (0, 0, 0, 0, 0, 1, 1, 1, 3)
    assert answers_in_band("start_back", "medium risk") == (0, 0, 0, 1, 0, 0, 1, 1, 3)
    # GAD-7 has 4^7 = 16384 answer sets: filled by total, from the first item.
    assert answers_in_band("gad7", "minimal") == (0,) * 7
    assert answers_in_band("gad7", "mild") == (3, 2, 0, 0, 0, 0, 0)
    assert answers_in_band("gad7", "severe") == (3, 3, 3, 3, 3, 0, 0)


@dataclass(frozen=True)
class TopOnly:
    """An instrument of seven 0-3 items (too many answer sets to try them all) whose "top" band
    is the highest total alone."""

    name: str = "Top only"
    scales: tuple = (((0, "no"), (1, ""), (2, ""), (3, "yes")),) * 7

    def score(self, values):
        return SimpleNamespace(band="top" if sum(values) == 21 else "rest")


def test_answers_in_band_reaches_the_highest_total(monkeypatch):
    monkeypatch.setitem(bounds.SPECS, "top-only", TopOnly())
    assert answers_in_band("top-only", "top") == (3,) * 7
    assert answers_in_band("top-only", "rest") == (0,) * 7


def test_answers_in_band_refuses_an_unknown_band():
    with pytest.raises(ValueError, match=r"^No GAD-7 answers fall in nowhere\.$"):
        answers_in_band("gad7", "nowhere")
    with pytest.raises(ValueError, match=r"^No STarT Back answers fall in nowhere\.$"):
        answers_in_band("start_back", "nowhere")


def test_fill_spreads_a_total_from_the_first_item():
    assert _fill([3, 3, 3], 0) == (0, 0, 0)
    assert _fill([3, 3, 3], 4) == (3, 1, 0)
    assert _fill([3, 3, 3], 9) == (3, 3, 3)
    assert _fill([1, 4], 3) == (1, 2)

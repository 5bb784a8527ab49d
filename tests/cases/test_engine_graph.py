"""The vignette as data (cases.engine.graph) and built from the seed format (cases.engine.loading):
hand-worked examples of each rule in their docstrings, with no database."""

import pytest

from cases.engine import (
    DEFAULT_ELEMENTS,
    DEFAULT_POINTS,
    Graph,
    GraphError,
    Node,
    Option,
    cycle_nodes,
    graph_from_data,
    reach,
    topological,
)

# loading ---------------------------------------------------------------------------------------


def test_graph_from_data_reads_every_field_of_a_node():
    graph = graph_from_data(
        [
            {
                "id": " intro ",
                "kind": "scene",
                "title": "Mr Shah",
                "body": "He looks tired.",
                "next": " ask ",
            },
            {
                "id": "ask",
                "kind": "ask",
                "points": 3,
                "elements": ["elicit", "explore"],
                "next": "phq",
                "options": [],
            },
            {
                "id": "phq",
                "kind": "screen",
                "instrument": "phq9",
                "key": [1, 1, 1, 1, 1, 0, 0, 0, 0],
                "routes": {"minimal": " end ", "mild": None},
            },
            {"id": "end", "kind": "ending", "outcome": "good"},
        ],
        elements=["elicit"],
    )
    intro, ask, phq, end = graph.nodes
    assert (intro.id, intro.kind, intro.title, intro.body) == (
        "intro",
        "scene",
        "Mr Shah",
        "He looks tired.",
    )
    assert intro.next == "ask" and intro.start
    assert (ask.points, ask.elements, ask.start) == (3.0, ("elicit", "explore"), False)
    assert isinstance(ask.points, float)
    assert (phq.instrument, phq.key) == ("phq9", (1, 1, 1, 1, 1, 0, 0, 0, 0))
    assert phq.routes == {"minimal": "end", "mild": ""}
    assert end.outcome == "good" and end.next is None
    assert graph.elements == ("elicit",)


def test_graph_from_data_defaults():
    node = graph_from_data([{"kind": "scene"}]).nodes[0]
    assert node == Node("", "scene", start=True)
    assert (node.title, node.body, node.outcome, node.instrument) == ("", "", "", None)
    assert node.points == DEFAULT_POINTS == 2.0
    blank = graph_from_data(
        [{"id": "a", "kind": "screen", "instrument": "", "next": "  ", "points": None}]
    ).nodes[0]
    assert (blank.instrument, blank.next, blank.points) == (None, None, DEFAULT_POINTS)
    assert graph_from_data([{"id": 7, "kind": "ending"}]).nodes[0].id == "7"
    assert graph_from_data([{"id": "a"}]).nodes[0].kind == ""  # reported by validation


def test_options_without_their_fields_are_blank():
    nodes = graph_from_data(
        [
            {"id": "r", "kind": "recognise", "options": [{"present": True}]},
            {"id": "i", "kind": "identify", "options": [{"rating": "helpful"}]},
            {"id": "d", "kind": "decide", "options": [{"label": "Go"}]},
        ]
    ).nodes
    assert [(o.id, o.label) for n in nodes for o in n.options] == [("", ""), ("", ""), ("", "Go")]
    assert nodes[2].options[0].target is None


def test_the_first_node_is_the_start_unless_one_says_so():
    data = [{"id": "a", "kind": "scene"}, {"id": "b", "kind": "scene"}]
    assert [n.start for n in graph_from_data(data).nodes] == [True, False]
    data[1]["start"] = True
    assert [n.start for n in graph_from_data(data).nodes] == [False, True]


def test_recognise_options_read_factor_names_and_the_key():
    node = graph_from_data(
        [
            {
                "id": "r",
                "kind": "recognise",
                "options": [
                    {"factor": "loneliness", "present": True, "feedback": "He lives alone."},
                    {"factor": "debt", "feedback": "Not mentioned."},
                ],
            }
        ],
        labels={"loneliness": "Loneliness and isolation"},
    ).nodes[0]
    lonely, debt = node.options
    assert lonely == Option(
        "loneliness", "Loneliness and isolation", "He lives alone.", correct=True
    )
    assert debt == Option("debt", "debt", "Not mentioned.", correct=False)


def test_identify_options_read_ratings():
    node = graph_from_data(
        [
            {
                "id": "i",
                "kind": "identify",
                "options": [
                    {"intervention": "pacing", "rating": "helpful", "feedback": "Yes."},
                    {"intervention": "rest", "rating": "harmful"},
                    {"intervention": "leaflet", "rating": "neutral"},
                    {"intervention": "diary"},
                ],
            }
        ],
        labels={"pacing": "Activity pacing"},
    ).nodes[0]
    pacing, rest, leaflet, diary = node.options
    assert pacing == Option("pacing", "Activity pacing", "Yes.", correct=True, harmful=False)
    assert rest == Option("rest", "rest", "", correct=False, harmful=True)
    assert leaflet == Option("leaflet", "leaflet", "", correct=False, harmful=False)
    assert diary == leaflet.__class__("diary", "diary", "", correct=False, harmful=False)


def test_other_options_read_their_own_fields():
    node = graph_from_data(
        [
            {
                "id": "d",
                "kind": "decide",
                "options": [
                    {
                        "id": "explore",
                        "label": "Explore",
                        "feedback": "Good.",
                        "target": " next ",
                        "scores": {"match": "2", "other": 0},
                    },
                    {"id": 3, "target": "  "},
                ],
            },
            {
                "id": "a",
                "kind": "ask",
                "options": [{"id": "work", "relevant": True, "answer": "I lost my job."}],
            },
        ]
    )
    explore, bare = node.nodes[0].options
    assert explore == Option(
        "explore", "Explore", "Good.", target="next", scores={"match": 2.0, "other": 0.0}
    )
    assert explore.scores == {"match": 2.0, "other": 0.0}
    assert (bare.id, bare.label, bare.target, bare.scores, bare.answer) == ("3", "", None, {}, "")
    work = node.nodes[1].options[0]
    assert (work.correct, work.answer, work.feedback) == (True, "I lost my job.", "")


def test_options_missing_are_none():
    node = graph_from_data([{"id": "a", "kind": "ask", "options": None}]).nodes[0]
    assert node.options == ()


# graph -----------------------------------------------------------------------------------------


def test_scored_elements_per_kind():
    decide = Node(
        "d",
        "decide",
        options=(
            Option("x", scores={"b": 1, "zero": 0}),
            Option("y", scores={"a": 2, "b": 3}),
        ),
    )
    assert decide.scored_elements == ("b", "a")
    assert Node("r", "recognise").scored_elements == DEFAULT_ELEMENTS["recognise"]
    assert Node("r", "recognise", elements=("x",)).scored_elements == ("x",)
    assert Node("s", "screen").scored_elements == ("recognise-psychological",)
    assert Node("s", "scene", elements=("x",)).scored_elements == ()
    assert Node("e", "ending").scored_elements == ()


def test_option_by_id():
    node = Node("a", "ask", options=(Option("x", "X"), Option("y", "Y")))
    assert node.option("y").label == "Y"
    assert node.option("z") is None


def test_key_band():
    assert Node("s", "screen", instrument="gad7", key=(3,) * 7).key_band() == "severe"
    assert Node("s", "screen", instrument="gad7", key=(0,) * 7).key_band() == "minimal"
    assert Node("s", "screen", instrument="gad7", key=(4,) * 7).key_band() is None
    assert Node("s", "screen", instrument="nope", key=(0,) * 7).key_band() is None
    assert Node("s", "screen", key=(0,) * 7).key_band() is None


def test_edges_per_kind():
    assert Node("e", "ending", next="x").edges() == []
    assert Node("s", "scene", next="x").edges() == [("x", {})]
    assert Node("s", "scene").edges() == []
    ask = Node("a", "ask", next="x", points=3)
    assert ask.edges() == [("x", {"elicit": (0.0, 3.0)})]
    assert Node("a", "ask").edges() == []
    decide = Node(
        "d",
        "decide",
        options=(
            Option("p", target="x", scores={"m": 2}),
            Option("q", scores={"m": 5}),  # no target: no edge
            Option("r", target="y", scores={"m": 1, "n": 0}),
        ),
    )
    assert decide.edges() == [("x", {"m": (2.0, 2.0)}), ("y", {"m": (1.0, 1.0), "n": (0.0, 0.0)})]
    assert Node("z", "nonsense", next="x").edges() == []


def test_screen_edges_award_points_only_on_the_key_band_route():
    screen = Node(
        "s",
        "screen",
        instrument="gad7",
        key=(2,) * 7,  # 14: moderate
        points=4,
        elements=("recognise-psychological", "screen"),
        routes={"minimal": "a", "moderate": "b", "severe": "", "mild": "a"},
    )
    both = ("recognise-psychological", "screen")
    assert screen.edges() == [
        ("a", dict.fromkeys(both, (0.0, 0.0))),
        ("a", dict.fromkeys(both, (0.0, 0.0))),
        ("b", dict.fromkeys(both, (4.0, 4.0))),
    ]
    assert screen.targets() == ["a", "b"]
    assert screen.step_maxima() == {"recognise-psychological": 4.0, "screen": 4.0}
    assert Node("s", "screen", instrument="nope", routes={"minimal": "a"}).edges() == []


def test_step_maxima_are_the_best_per_element_above_zero():
    decide = Node(
        "d",
        "decide",
        options=(
            Option("p", target="x", scores={"m": 2, "z": 0}),
            Option("q", target="y", scores={"m": 3, "n": 1}),
            Option("r", target="x", scores={"m": 1}),
        ),
    )
    assert decide.step_maxima() == {"m": 3.0, "n": 1.0}
    assert decide.targets() == ["x", "y"]


def test_a_graph_finds_nodes_by_id_and_its_single_start():
    first = Node("a", "scene", start=True, next="b")
    twin = Node("a", "ending")
    graph = Graph((first, twin, Node("b", "ending")))
    assert graph.get("a") is first  # a duplicate id: the first node wins
    assert graph["b"].kind == "ending"
    assert graph.get("c") is None
    with pytest.raises(KeyError):
        graph["c"]
    assert graph.start is first
    assert Graph((Node("a", "scene"),)).start is None
    assert Graph((Node("a", "scene", start=True), Node("b", "scene", start=True))).start is None


def test_graph_scored_elements_in_order_of_first_use():
    graph = Graph(
        (
            Node("a", "ask", elements=("x", "y")),
            Node("b", "identify"),
            Node("c", "ask", elements=("y", "x")),
        )
    )
    assert graph.scored_elements == ("x", "y", "identify")


def test_graph_error_is_a_value_error():
    assert issubclass(GraphError, ValueError)


def test_reach():
    succ = {"a": ["b"], "b": ["c"], "c": [], "d": ["a"]}
    assert reach(["a"], succ) == {"a", "b", "c"}
    assert reach(["d"], succ) == {"a", "b", "c", "d"}
    assert reach([], succ) == set()
    assert reach(["x"], succ) == {"x"}


def test_cycle_nodes_name_one_loop_through_each_member():
    succ = {"a": ["b"], "b": ["c", "e"], "c": ["b"], "e": [], "f": ["f"]}
    assert cycle_nodes(succ) == {"b": ["b", "c", "b"], "c": ["b", "c", "b"], "f": ["f", "f"]}
    assert cycle_nodes({"a": ["b"], "b": ["c"], "c": []}) == {}
    # A node reached twice without a loop (a diamond) is not on a cycle.
    assert cycle_nodes({"a": ["b", "c"], "b": ["d"], "c": ["d"], "d": []}) == {}
    # A successor that is not a key (a missing node) is walked as having no successors.
    assert cycle_nodes({"a": ["zz"]}) == {}


def test_cycle_nodes_keep_the_first_loop_found_for_a_node():
    succ = {"a": ["b"], "b": ["a", "c"], "c": ["b"]}
    assert cycle_nodes(succ) == {"a": ["a", "b", "a"], "b": ["a", "b", "a"], "c": ["b", "c", "b"]}


def test_cycle_nodes_visit_each_node_once():
    # 60 layers of two nodes, each linked to both nodes of the next layer: 2^59 paths, no loop.
    # A walk that visited a finished node again could never finish.
    succ = {
        f"{layer}-{side}": [f"{layer + 1}-0", f"{layer + 1}-1"] if layer < 59 else []
        for layer in range(60)
        for side in (0, 1)
    }
    assert cycle_nodes(succ) == {}


def test_topological_lists_a_node_reached_twice_once():
    # d offers e2 first and m second; m also goes to e2, so e2 is waiting twice on the walk.
    graph = Graph(
        (
            Node("s", "scene", start=True, next="d"),
            Node("d", "decide", options=(Option("y", target="e2"), Option("x", target="m"))),
            Node("m", "scene", next="e2"),
            Node("e2", "ending"),
        )
    )
    assert [n.id for n in topological(graph)] == ["e2", "m", "d", "s"]


def test_topological_puts_every_node_after_its_successors():
    graph = Graph(
        (
            Node("s", "scene", start=True, next="d"),
            Node(
                "d",
                "decide",
                options=(Option("x", target="m"), Option("y", target="e2")),
            ),
            Node("m", "scene", next="e2"),
            Node("e2", "ending"),
            Node("lost", "ending"),
        )
    )
    assert [n.id for n in topological(graph)] == ["e2", "m", "d", "s"]


@pytest.mark.parametrize(
    ("nodes", "message"),
    [
        ((Node("a", "scene", next="b"), Node("b", "ending")), "The vignette has no single start."),
        (
            (Node("a", "scene", start=True, next="b"), Node("b", "scene", next="a")),
            "The vignette has a loop through a.",
        ),
        ((Node("a", "scene", start=True, next="a"),), "The vignette has a loop through a."),
        ((Node("a", "scene", start=True, next="zz"),), "a goes to a missing node zz."),
    ],
)
def test_topological_refuses_what_cannot_be_walked(nodes, message):
    with pytest.raises(GraphError) as refused:
        topological(Graph(nodes))
    assert str(refused.value) == message


def test_topological_finds_a_loop_reached_from_a_branch():
    # d -> b and d -> c -> b -> d: the loop closes while b is still open.
    graph = Graph(
        (
            Node("s", "scene", start=True, next="d"),
            Node("d", "decide", options=(Option("x", target="c"), Option("y", target="b"))),
            Node("c", "scene", next="b"),
            Node("b", "scene", next="d"),
        )
    )
    with pytest.raises(GraphError, match=r"^The vignette has a loop through d\.$"):
        topological(graph)

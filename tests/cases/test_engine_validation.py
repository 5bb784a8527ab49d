"""Whether a graph is a sound vignette (cases.engine.validation) and its map
(cases.engine.diagram): each finding with its stable code and message, and a layout worked by
hand, with no database."""

import pytest

from cases.engine import LONG_PATH, Graph, Node, Option, Problem, Report, diagram, validate
from cases.engine.diagram import BOX_H, BOX_W, COL_W, MARGIN, ROW_H, Box, layout

END = Node("end", "ending", outcome="good")


def start(**fields) -> Node:
    return Node("s", fields.pop("kind", "scene"), start=True, **fields)


def findings(*nodes, elements=()):
    report = validate(Graph(tuple(nodes), tuple(elements)))
    return {(p.node, p.code, p.message) for p in report.errors}


def test_a_problem_reads_with_its_node():
    assert str(Problem("n1", "Broken.")) == "n1: Broken."
    assert str(Problem(None, "Broken.")) == "Broken."
    assert Problem("n1", "Broken.").level == "error"
    assert Problem("n1", "Broken.").code == ""


def test_a_report_is_ok_without_errors_and_lists_a_nodes_findings():
    error = Problem("a", "e", code="x")
    warning = Problem("a", "w", "warning", "y")
    other = Problem("b", "w2", "warning", "z")
    assert Report((), (warning,)).ok
    assert not Report((error,), ()).ok
    assert Report((error,), (warning, other)).for_node("a") == [error, warning]
    assert Report((error,), (warning, other)).for_node("c") == []


def test_an_empty_vignette():
    report = validate(Graph(()))
    assert [(p.node, p.code, p.message) for p in report.errors] == [
        (None, "empty", "The vignette has no nodes. Add a scene to start the story.")
    ]
    assert report.warnings == ()


def test_a_sound_vignette_has_no_findings():
    report = validate(Graph((start(next="end"), END)))
    assert report.ok and report.errors == () and report.warnings == ()


def test_ids_missing_and_repeated():
    assert findings(start(next="end"), END, Node("", "ending"), Node("end", "ending")) >= {
        (None, "no-id", "A node has no id."),
        ("end", "duplicate-id", "The id “end” is used by more than one node. Ids must be unique."),
    }


def test_starts():
    assert (None, "no-start", "No node is marked as the start.") in findings(
        Node("a", "scene", next="end"), END
    )
    found = findings(
        Node("a", "scene", start=True, next="end"),
        Node("b", "scene", start=True, next="end"),
        Node("c", "scene", start=True, next="end"),
        END,
    )
    message = "Only one node can be the start; a is already the start."
    assert {f for f in found if f[1] == "several-starts"} == {
        ("b", "several-starts", message),
        ("c", "several-starts", message),
    }


def test_two_starts():
    found = findings(
        Node("a", "scene", start=True, next="end"),
        Node("b", "scene", start=True, next="c"),
        Node("c", "scene", next="end"),
        END,
    )
    # The first start counts; the second is refused, and what only it leads to is unreachable.
    assert found == {
        ("b", "several-starts", "Only one node can be the start; a is already the start."),
        ("b", "unreachable", "No path from the start reaches this node."),
        ("c", "unreachable", "No path from the start reaches this node."),
    }


def test_unknown_kind():
    assert ("x", "unknown-kind", "Unknown node kind “riddle”.") in findings(
        start(next="x"), Node("x", "riddle", next="end"), END
    )


def test_targets_missing_or_pointing_back():
    found = findings(start(next="nowhere"), END)
    assert (
        "s",
        "missing-target",
        "“Next” goes to “nowhere”, which is not a node here. Valid ids: end, s.",
    ) in found
    assert ("s", "self-loop", "“Next” goes back to this node.") in findings(start(next="s"), END)


def test_duplicate_options():
    node = start(
        kind="ask",
        next="end",
        options=(Option("a", correct=True), Option("a"), Option("b"), Option("b"), Option("c")),
    )
    assert {f for f in findings(node, END) if f[1] == "duplicate-option"} == {
        ("s", "duplicate-option", "The option id “a” is used twice on this node."),
        ("s", "duplicate-option", "The option id “b” is used twice on this node."),
    }


@pytest.mark.parametrize("kind", ["scene", "ask", "recognise", "identify"])
def test_a_step_without_next_has_no_way_out(kind):
    options = (Option("a", correct=True),)
    assert (
        "s",
        "no-way-out",
        "This node has no way out: choose the node that comes next.",
    ) in findings(start(kind=kind, options=options), END)


@pytest.mark.parametrize("kind", ["ask", "recognise", "identify"])
def test_a_selection_needs_options_a_key_and_points(kind):
    assert ("s", "no-options", "This node has no options.") in findings(
        start(kind=kind, next="end"), END
    )
    assert (
        "s",
        "empty-key",
        "The key is empty: mark at least one option as right.",
    ) in findings(start(kind=kind, next="end", options=(Option("a"),)), END)
    right = (Option("a", correct=True),)
    assert ("s", "points", "Points must be above zero.") in findings(
        start(kind=kind, next="end", options=right, points=0), END
    )
    assert not findings(start(kind=kind, next="end", options=right, points=0.5), END)


def test_an_ending_needs_nothing_more():
    assert findings(
        start(next="end"), Node("end", "ending", options=(Option("a"), Option("a")))
    ) == {("end", "duplicate-option", "The option id “a” is used twice on this node.")}


def test_decisions():
    assert ("s", "no-way-out", "This decision has no options, so no way out.") in findings(
        start(kind="decide"), END
    )
    found = findings(
        start(
            kind="decide",
            options=(
                Option("a", feedback="ok", target="end"),
                Option("b", feedback="ok"),
                Option("c", feedback="  ", target="end"),
                Option("d", feedback="ok", target="end", scores={"x": -1, "y": 1}),
                Option("e", feedback="ok", target="gone"),
            ),
        ),
        END,
    )
    assert found == {
        ("s", "no-way-out", "Option “b” has no target."),
        ("s", "no-feedback", "Option “c” has no feedback."),
        ("s", "negative-score", "Option “d” has a negative score."),
        (
            "s",
            "missing-target",
            "Option “e” goes to “gone”, which is not a node here. Valid ids: end, s.",
        ),
    }
    assert not findings(
        start(kind="decide", options=(Option("a", feedback="ok", target="end", scores={"x": 0}),)),
        END,
    )


ROUTES = {"minimal": "end", "mild": "end", "moderate": "end", "severe": "end"}


def screen(**fields):
    values = {"instrument": "gad7", "key": (0,) * 7, "routes": ROUTES} | fields
    return start(kind="screen", **values)


def test_a_sound_screen():
    assert not findings(screen(), END)
    assert not findings(screen(points=1), END)
    assert not findings(screen(points=0.5), END)


def test_screens():
    assert (
        "s",
        "unknown-instrument",
        "Unknown instrument “mood”. Use one of: phq9, gad7, start_back.",
    ) in findings(screen(instrument="mood"), END)
    assert (
        "s",
        "screen-key",
        "The key is not a valid GAD-7 answer set: GAD-7 needs 7 answers, not 2.",
    ) in findings(screen(key=(1, 1)), END)
    assert ("s", "no-way-out", "This screen has no routes, so no way out.") in findings(
        screen(routes={"minimal": ""}), END
    )
    assert (
        "s",
        "screen-routes",
        "These bands have no route: moderate, severe.",
    ) in findings(screen(routes={"minimal": "end", "mild": "end"}), END)
    assert (
        "s",
        "screen-routes",
        "“extreme” is not a GAD-7 band (minimal, mild, moderate, severe).",
    ) in findings(screen(routes=ROUTES | {"extreme": "end"}), END)
    assert (
        "s",
        "missing-target",
        "The severe route goes to “gone”, which is not a node here. Valid ids: end, s.",
    ) in findings(screen(routes=ROUTES | {"severe": "gone"}), END)
    assert ("s", "points", "Points must be above zero.") in findings(screen(points=0), END)


def test_loops_unreachable_nodes_and_dead_ends():
    found = findings(
        start(next="a"),
        Node("a", "scene", next="b"),
        Node("b", "scene", next="a"),
        Node("island", "scene", next="end"),
        END,
    )
    loop = "This node is part of a loop: a → b → a. Stories must move forward."
    assert found == {
        ("a", "cycle", loop),
        ("b", "cycle", loop),
        ("island", "unreachable", "No path from the start reaches this node."),
        ("end", "unreachable", "No path from the start reaches this node."),
        ("s", "cannot-end", "No path from this node reaches an ending."),
        ("a", "cannot-end", "No path from this node reaches an ending."),
        ("b", "cannot-end", "No path from this node reaches an ending."),
    }


def test_without_a_start_nothing_is_called_unreachable():
    found = findings(Node("a", "scene", next="end"), END)
    assert {code for _, code, _ in found} == {"no-start"}


def test_a_vignette_needs_an_ending():
    assert findings(start()) == {
        ("s", "no-way-out", "This node has no way out: choose the node that comes next."),
        (None, "no-ending", "The vignette has no ending."),
    }


def test_warnings_only_on_a_sound_graph():
    graph = Graph(
        (
            Node(
                "d",
                "decide",
                start=True,
                options=(
                    Option("a", feedback="ok", target="poor", scores={"x": 2}),
                    Option("b", feedback="ok", target="good", scores={"x": 1}),
                ),
            ),
            Node("good", "ending", outcome="good"),
            Node("poor", "ending", outcome="poor"),
        ),
        ("x", "unused"),
    )
    report = validate(graph)
    assert report.ok and report.errors == ()
    assert [(p.node, p.level, p.code, p.message) for p in report.warnings] == [
        (
            "good",
            "warning",
            "good-ending-off-best-path",
            "The best-scoring choices never lead to this good ending. Check the scores.",
        ),
        (None, "warning", "unscored-element", "No node scores the element “unused”."),
    ]
    broken = Graph((*graph.nodes, Node("stray", "scene", next="good")), graph.elements)
    assert validate(broken).warnings == ()


def test_a_good_ending_on_the_best_path_is_not_warned_about():
    assert validate(Graph((start(next="end"), END))).warnings == ()


@pytest.mark.parametrize(("steps", "warned"), [(LONG_PATH, False), (LONG_PATH + 1, True)])
def test_long_path_warning_from_more_than_the_limit(steps, warned):
    nodes = [Node(f"n{i}", "scene", start=i == 0, next=f"n{i + 1}") for i in range(steps)]
    report = validate(Graph((*nodes, Node(f"n{steps}", "ending"))))
    expected = [
        (
            None,
            "long-path",
            f"The longest path has {steps} steps; more than 25 is tiring to play.",
        )
    ]
    assert [(p.node, p.code, p.message) for p in report.warnings] == (expected if warned else [])
    assert all(p.level == "warning" for p in report.warnings)
    assert LONG_PATH == 25


# diagram ---------------------------------------------------------------------------------------


def branching() -> Graph:
    """s -> d: a -> m -> e1 ; b -> e1 ; d's "b" is the shorter way, so e1 sits two columns on."""
    return Graph(
        (
            Node("s", "scene", start=True, next="d"),
            Node(
                "d",
                "decide",
                options=(
                    Option("a", feedback="ok", target="m", scores={"x": 2}),
                    Option("b", feedback="ok", target="e1", scores={"x": 1}),
                ),
            ),
            Node("m", "scene", next="e1"),
            Node("e1", "ending", outcome="good"),
        )
    )


def test_boxes_are_laid_out_by_longest_distance_from_the_start():
    d = layout(branching())
    place = {b.id: (b.x, b.y) for b in d.boxes}
    column = {b: (x - MARGIN) // COL_W for b, (x, _) in place.items()}
    assert column == {"s": 0, "d": 1, "m": 2, "e1": 3}
    assert all(y == MARGIN for _, y in place.values())
    assert place["d"] == (MARGIN + COL_W, MARGIN) == (230, 20)
    assert (d.width, d.height) == (2 * MARGIN + 4 * COL_W - (COL_W - BOX_W), 2 * MARGIN + BOX_H)
    assert (d.width, d.height) == (820, 94)


def test_boxes_carry_their_kind_label_and_marks():
    boxes = {b.id: b for b in layout(branching()).boxes}
    assert boxes["d"] == Box(
        id="d",
        kind="decide",
        kind_name="Decide",
        label="d",
        x=230,
        y=20,
        best=True,
        problem=False,
        start=False,
        outcome="",
    )
    assert boxes["s"].start and boxes["s"].kind_name == "Scene"
    assert boxes["e1"].outcome == "good" and boxes["e1"].kind_name == "Ending"
    assert (boxes["d"].cx, boxes["d"].cy) == (230 + 75, 20 + 27)
    assert diagram.KIND_NAMES == {
        "scene": "Scene",
        "ask": "Ask",
        "recognise": "Recognise",
        "decide": "Decide",
        "identify": "Identify",
        "screen": "Screen",
        "ending": "Ending",
    }


def test_edges_are_curves_and_the_best_path_is_drawn_last():
    edges = layout(branching()).edges
    assert [(e.source, e.target, e.best, e.broken) for e in edges] == [
        ("d", "e1", False, False),
        ("s", "d", True, False),
        ("d", "m", True, False),
        ("m", "e1", True, False),
    ]
    s_to_d = edges[1]
    # From the right edge of s (20 + 150) at its middle to the left edge of d (230).
    assert s_to_d.path == "M170,47 C200.0,47 200.0,47 230,47"


def test_a_graph_with_a_loop_falls_back_to_the_shortest_distance_and_routes_back_edges_below():
    graph = Graph(
        (
            Node("s", "scene", start=True, next="a"),
            Node("a", "scene", next="b"),
            Node("b", "scene", next="a"),
            Node("lost", "ending"),
        )
    )
    d = layout(graph)
    boxes = {b.id: b for b in d.boxes}
    assert {b.id: (b.x - MARGIN) // COL_W for b in d.boxes} == {"s": 0, "a": 1, "b": 2, "lost": 3}
    assert boxes["a"].problem and boxes["b"].problem
    assert not any(b.best for b in d.boxes)
    back = next(e for e in d.edges if e.source == "b")
    # From b's right edge (440 + 150) back to a's left edge (230), below both boxes (20 + 54 + 12).
    assert back.path == "M590,47 C630,86 190,86 230,47"
    assert back.broken and not back.best


def test_a_graph_without_a_start_is_laid_out_from_its_first_node():
    graph = Graph((Node("a", "scene", next="b"), Node("b", "ending"), Node("c", "ending")))
    d = layout(graph)
    assert {b.id: (b.x - MARGIN) // COL_W for b in d.boxes} == {"a": 0, "b": 1, "c": 2}


def test_an_empty_graph_is_an_empty_map():
    d = layout(Graph(()))
    assert (d.boxes, d.edges) == ((), ())
    assert (d.width, d.height) == (2 * MARGIN + BOX_W, 2 * MARGIN + BOX_H)


def test_nodes_in_one_column_are_stacked_and_long_ids_are_shortened():
    long_id = "a-very-long-node-id-that-goes-on"
    graph = Graph(
        (
            Node(
                "d",
                "decide",
                start=True,
                options=(
                    Option("x", feedback="ok", target=long_id, scores={"x": 1}),
                    Option("y", feedback="ok", target="e2", scores={"x": 0}),
                ),
            ),
            Node(long_id, "ending"),
            Node("d", "ending"),  # a duplicate id: drawn once
            Node("e2", "ending"),
        )
    )
    d = layout(graph)
    boxes = {b.id: b for b in d.boxes}
    assert [b.id for b in d.boxes] == ["d", long_id, "e2"]
    assert boxes[long_id].label == "a-very-long-node-id-t…" and len(boxes[long_id].label) == 22
    assert (boxes[long_id].y, boxes["e2"].y) == (MARGIN, MARGIN + ROW_H)
    assert d.height == 2 * MARGIN + 2 * ROW_H - (ROW_H - BOX_H)
    exactly = "a" * 22
    assert layout(Graph((Node(exactly, "ending", start=True),))).boxes[0].label == exactly
    one_more = "b" * 23
    assert layout(Graph((Node(one_more, "ending", start=True),))).boxes[0].label == "b" * 21 + "…"


def test_an_unknown_kind_is_named_as_written():
    [box] = layout(Graph((Node("r", "riddle", start=True),))).boxes
    assert (box.kind, box.kind_name) == ("riddle", "riddle")


def test_a_node_is_placed_after_its_furthest_predecessor():
    # end is 4 steps from s through a and b, 3 through c; either order of the options.
    for first, second in (("a", "c"), ("c", "a")):
        graph = Graph(
            (
                Node("s", "scene", start=True, next="d"),
                Node(
                    "d",
                    "decide",
                    options=(
                        Option(first, feedback="ok", target=first),
                        Option(second, feedback="ok", target=second),
                    ),
                ),
                Node("a", "scene", next="b"),
                Node("b", "scene", next="end"),
                Node("c", "scene", next="end"),
                Node("end", "ending"),
            )
        )
        column = {b.id: (b.x - MARGIN) // COL_W for b in layout(graph).boxes}
        assert column == {"s": 0, "d": 1, "a": 2, "b": 3, "c": 2, "end": 4}


def test_an_edge_to_a_missing_node_is_not_drawn():
    d = layout(Graph((Node("s", "scene", start=True, next="gone"),)))
    assert d.edges == ()
    assert d.boxes[0].problem
    options = (Option("x", target="gone"), Option("y", target="e"))
    d = layout(Graph((Node("s", "decide", start=True, options=options), Node("e", "ending"))))
    assert [(e.source, e.target) for e in d.edges] == [("s", "e")]


def test_a_given_report_is_used():
    graph = branching()
    report = Report((Problem("m", "Said so.", code="x"),), ())
    d = layout(graph, report)
    assert [b.id for b in d.boxes if b.problem] == ["m"]
    assert not any(b.best for b in d.boxes)


@pytest.mark.parametrize(
    ("kind", "shape"),
    [
        ("decide", "75.0,0 150,27.0 75.0,54 0,27.0"),
        ("recognise", "12,0 138,0 150,27.0 138,54 12,54 0,27.0"),
        ("screen", "14,0 150,0 136,54 0,54"),
        ("identify", "10,0 140,0 150,10 150,44 140,54 10,54 0,44 0,10"),
        ("scene", ""),
        ("ending", ""),
    ],
)
def test_shapes_are_outlines_of_the_box(kind, shape):
    box = Box("n", kind, kind, "n", 0, 0, False, False, False, "")
    assert box.shape == shape

"""The vignette engine: a worked example a reader can check by hand, then hypothesis properties
over random graphs (at least 500 examples each)."""

import dataclasses
import itertools

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from assessments.engine.instruments import SPECS
from cases import engine
from cases.engine import Graph, IllegalMove, Node, Option, Response, State

from .strategies import ELEMENTS, responses, valid_graphs

MANY = settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def small_case() -> Graph:
    """start (scene) -> ask -> decide: good -> recognise -> end-good; poor -> end-poor."""
    return Graph(
        (
            Node("start", "scene", start=True, next="ask"),
            Node(
                "ask",
                "ask",
                next="choose",
                points=2,
                options=(
                    Option("work", "How is work?", "open", correct=True, answer="I lost my job."),
                    Option("home", "Who is at home?", "open", correct=True, answer="Just me."),
                    Option("bp", "Any chest pain?", "not now"),
                ),
            ),
            Node(
                "choose",
                "decide",
                options=(
                    Option(
                        "explore", "Explore", "good", target="name", scores={"match-intensity": 2}
                    ),
                    Option(
                        "pills",
                        "Prescribe",
                        "hasty",
                        target="end-poor",
                        scores={"match-intensity": 0},
                    ),
                ),
            ),
            Node(
                "name",
                "recognise",
                next="end-good",
                points=1,
                elements=("recognise-social",),
                options=(
                    Option("financial-strain", correct=True),
                    Option("loneliness-isolation", correct=True),
                    Option("domestic-abuse"),
                ),
            ),
            Node("end-good", "ending", outcome="good"),
            Node("end-poor", "ending", outcome="poor"),
        ),
        ("elicit", "recognise-social", "match-intensity"),
    )


def test_worked_example_bounds_path_and_advance():
    graph = small_case()
    assert engine.validate(graph).ok
    bounds = engine.score_bounds(graph)
    # elicit: the ask node is on every path, 0..2. recognise-social: only via "explore", 0..1.
    assert bounds["elicit"] == engine.Bounds(0, 2)
    assert bounds["recognise-social"] == engine.Bounds(0, 1)
    assert bounds["match-intensity"] == engine.Bounds(0, 2)
    assert engine.best_path(graph) == [
        ("start", None),
        ("ask", None),
        ("choose", "explore"),
        ("name", None),
        ("end-good", None),
    ]
    state = State.initial(graph)
    step = engine.advance(graph, state, Response("start"))
    assert step.state == State("ask", 1) and step.scores == {}
    # One right question and one off-target question: (1 - 1) / 2 of 2 points = 0.
    step = engine.advance(graph, step.state, Response("ask", ("work", "bp")))
    assert step.scores == {"elicit": 0.0} and step.maxima == {"elicit": 2.0}
    assert [f.option.answer for f in step.feedback if f.chosen] == ["I lost my job.", ""]
    step = engine.advance(graph, step.state, Response("choose", ("explore",)))
    assert step.scores == {"match-intensity": 2.0} and step.state.node == "name"
    step = engine.advance(graph, step.state, Response("name", ("financial-strain",)))
    assert step.scores == {"recognise-social": 0.5}
    assert graph[step.state.node].kind == "ending"
    with pytest.raises(IllegalMove, match="ended"):
        engine.advance(graph, step.state, Response("end-good"))


def test_screen_routes_by_the_recorded_band_and_flags_item_nine():
    graph = Graph(
        (
            Node(
                "phq",
                "screen",
                start=True,
                instrument="phq9",
                key=(2, 2, 1, 2, 1, 1, 1, 0, 0),  # 10: moderate
                routes={
                    "minimal": "low",
                    "mild": "low",
                    "moderate": "mid",
                    "moderately severe": "high",
                    "severe": "high",
                },
            ),
            Node("low", "ending"),
            Node("mid", "ending", outcome="good"),
            Node("high", "ending"),
        )
    )
    assert engine.validate(graph).ok
    right = engine.advance(graph, State("phq"), Response("phq", values=(2, 2, 1, 2, 1, 1, 1, 0, 0)))
    assert (right.state.node, right.band, right.total, right.scores) == (
        "mid",
        "moderate",
        10,
        {"recognise-psychological": 2.0},
    )
    assert right.risk == ""
    # A different answer set in the same band earns the same credit; item 9 raises the flag.
    same_band = engine.advance(
        graph, State("phq"), Response("phq", values=(3, 2, 1, 2, 1, 0, 0, 0, 1))
    )
    assert same_band.band == "moderate" and same_band.scores["recognise-psychological"] == 2.0
    assert "Item 9" in same_band.risk
    under = engine.advance(graph, State("phq"), Response("phq", values=(1, 1, 1, 1, 0, 0, 0, 0, 0)))
    assert (under.state.node, under.scores["recognise-psychological"]) == ("low", 0.0)
    with pytest.raises(IllegalMove):
        engine.advance(graph, State("phq"), Response("phq", values=(4, 0, 0, 0, 0, 0, 0, 0, 0)))
    with pytest.raises(IllegalMove):
        engine.advance(graph, State("phq"), Response("phq", values=(1, 1)))


def test_identify_harmful_picks_cost_a_share_and_neutral_picks_half_a_share():
    graph = Graph(
        (
            Node(
                "pick",
                "identify",
                start=True,
                next="end",
                points=2,
                options=(
                    Option("a", correct=True),
                    Option("b", correct=True),
                    Option("neutral"),
                    Option("harm", harmful=True),
                ),
            ),
            Node("end", "ending"),
        )
    )

    def score(picks):
        return engine.advance(graph, State("pick"), Response("pick", picks)).scores["identify"]

    assert score(("a", "b")) == 2.0
    assert score(("a", "b", "neutral")) == 1.5  # over-treating: half a share (1/2 of 1)
    assert score(("a", "neutral")) == 0.5
    assert score(("a", "b", "harm")) == 1.0
    assert score(("a", "b", "neutral", "harm")) == 0.5
    assert score(("a", "harm")) == 0.0
    assert score(("harm",)) == 0.0


def test_validation_messages_name_the_node_and_list_valid_ids():
    graph = small_case()
    broken = Graph(
        tuple(dataclasses.replace(n, next="nowhere") if n.id == "name" else n for n in graph.nodes)
    )
    report = engine.validate(broken)
    [problem] = [p for p in report.errors if p.code == "missing-target"]
    assert problem.node == "name"
    assert "“nowhere”" in problem.message and "Valid ids: ask, choose, end-good" in problem.message
    # end-good is now unreachable too.
    assert any(p.code == "unreachable" and p.node == "end-good" for p in report.errors)


def test_warnings_do_not_block():
    graph = small_case()
    swapped = Graph(
        tuple(
            dataclasses.replace(
                n,
                options=(
                    dataclasses.replace(n.options[0], scores={"match-intensity": 0}),
                    dataclasses.replace(n.options[1], scores={"match-intensity": 2}),
                ),
            )
            if n.id == "choose"
            else n
            for n in graph.nodes
        ),
        ("elicit", "recognise-social", "match-intensity", "identify"),
    )
    report = engine.validate(swapped)
    assert report.ok
    codes = {(p.code, p.node) for p in report.warnings}
    assert ("good-ending-off-best-path", "end-good") in codes
    assert ("unscored-element", None) in codes


@pytest.mark.parametrize("instrument", sorted(SPECS))
def test_answers_in_band_covers_every_band(instrument):
    spec = SPECS[instrument]
    for band in spec.bands:
        assert spec.score(list(engine.answers_in_band(instrument, band))).band == band


def test_long_paths_are_warned_about():
    nodes = [Node(f"s{i}", "scene", start=i == 0, next=f"s{i + 1}") for i in range(30)]
    nodes.append(
        Node("s30", "ask", next="end", options=(Option("q", correct=True),), elements=("elicit",))
    )
    graph = Graph((*nodes, Node("end", "ending")))
    report = engine.validate(graph)
    assert report.ok and [p.code for p in report.warnings] == ["long-path"]


def test_bounds_stay_linear_on_a_graph_with_astronomically_many_paths():
    """200 nodes in 100 layers of two, every node linked to both of the next layer: 2^99 paths.
    Enumerating them could never finish; the dynamic programme visits each edge once."""
    nodes = []
    for layer in range(100):
        for side in (0, 1):
            node_id = f"l{layer}-{side}"
            if layer == 99:
                nodes.append(Node(node_id, "ending"))
                continue
            nodes.append(
                Node(
                    node_id,
                    "decide",
                    start=(layer, side) == (0, 0),
                    options=tuple(
                        Option(
                            f"to{k}",
                            "x",
                            "f",
                            target=f"l{layer + 1}-{k}",
                            scores={"identify": k + side},
                        )
                        for k in (0, 1)
                    ),
                )
            )
    nodes[1] = dataclasses.replace(nodes[1], start=False)
    graph = Graph(tuple(n for n in nodes if n.id != "l0-1"))
    report = engine.validate(graph)
    assert report.ok, report.errors
    bounds = engine.score_bounds(graph)
    # Best: 1 at the start (taking "to1"), then 2 in each of layers 1-98 on side 1.
    assert bounds["identify"] == engine.Bounds(0, 1 + 2 * 98)
    assert len(engine.best_path(graph)) == 100


# ---------------------------------------------------------------------------------------------
# Properties


@MANY
@given(valid_graphs())
def test_generated_graphs_are_valid(graph):
    report = engine.validate(graph)
    assert report.ok, report.errors


def _first_edge_to(node: Node, target: str) -> Node:
    if node.kind in ("scene", "ask", "recognise", "identify"):
        return dataclasses.replace(node, next=target)
    if node.kind == "decide":
        first, *rest = node.options
        return dataclasses.replace(node, options=(dataclasses.replace(first, target=target), *rest))
    band = SPECS[node.instrument].bands[0]
    return dataclasses.replace(node, routes={**node.routes, band: target})


def _replace(graph: Graph, node: Node) -> Graph:
    return Graph(tuple(node if n.id == node.id else n for n in graph.nodes), graph.elements)


DEFECTS = (
    "missing-target",
    "duplicate-id",
    "cycle",
    "unreachable",
    "no-start",
    "several-starts",
    "no-feedback",
    "empty-key",
    "no-way-out",
    "cannot-end",
)


def plant(graph: Graph, defect: str, data) -> tuple[Graph, str | None]:
    """Plant one defect; return the broken graph and the node the error must name."""
    start = graph["n0"]
    inner = [n for n in graph.nodes if n.kind != "ending"]
    if defect == "missing-target":
        return _replace(graph, _first_edge_to(start, "nowhere")), "n0"
    if defect == "duplicate-id":
        return Graph((*graph.nodes, Node("n0", "ending"))), "n0"
    if defect == "cycle":
        later = [n for n in inner if n.id != "n0"]
        assume(later)
        node = data.draw(st.sampled_from(later))
        return _replace(graph, _first_edge_to(node, "n0")), node.id
    if defect == "unreachable":
        return Graph((*graph.nodes, Node("orphan", "ending"))), "orphan"
    if defect == "no-start":
        return _replace(graph, dataclasses.replace(start, start=False)), None
    if defect == "several-starts":
        other = data.draw(st.sampled_from([n for n in graph.nodes if n.id != "n0"]))
        return _replace(graph, dataclasses.replace(other, start=True)), other.id
    if defect == "no-feedback":
        decides = [n for n in inner if n.kind == "decide"]
        assume(decides)
        node = data.draw(st.sampled_from(decides))
        silent = dataclasses.replace(node.options[-1], feedback="  ")
        return _replace(
            graph, dataclasses.replace(node, options=(*node.options[:-1], silent))
        ), node.id
    if defect == "empty-key":
        selects = [n for n in inner if n.kind in ("ask", "recognise", "identify")]
        assume(selects)
        node = data.draw(st.sampled_from(selects))
        options = tuple(dataclasses.replace(o, correct=False) for o in node.options)
        return _replace(graph, dataclasses.replace(node, options=options)), node.id
    if defect == "no-way-out":
        singles = [n for n in inner if n.kind in ("scene", "ask", "recognise", "identify")]
        assume(singles)
        node = data.draw(st.sampled_from(singles))
        return _replace(graph, dataclasses.replace(node, next=None)), node.id
    # cannot-end: the start leads into a pair of scenes that only lead to each other.
    trap = (Node("trap-a", "scene", next="trap-b"), Node("trap-b", "scene", next="trap-a"))
    return Graph((*_replace(graph, _first_edge_to(start, "trap-a")).nodes, *trap)), "trap-a"


@MANY
@given(valid_graphs(), st.sampled_from(DEFECTS), st.data())
def test_validation_finds_every_planted_defect(graph, defect, data):
    broken, node_id = plant(graph, defect, data)
    report = engine.validate(broken)
    assert not report.ok
    assert any(p.code == defect and p.node == node_id for p in report.errors), (
        defect,
        report.errors,
    )


@MANY
@given(valid_graphs(), st.data())
def test_every_play_ends_at_an_ending_within_bounds(graph, data):
    bounds = engine.score_bounds(graph)
    state = State.initial(graph)
    totals = dict.fromkeys(bounds, 0.0)
    visited = [state.node]
    while graph[state.node].kind != "ending":
        node = graph[state.node]
        step = engine.advance(graph, state, data.draw(responses(node)))
        assert step.state.step == state.step + 1
        assert step.state.node in node.targets()  # no response can skip a node
        for element, score in step.scores.items():
            assert 0 <= score <= step.maxima.get(element, 0) + 1e-9
            totals[element] += score
        state = step.state
        visited.append(state.node)
        assert len(visited) <= len(graph.nodes)  # acyclic: no node twice
    for element, total in totals.items():
        assert bounds[element].worst - 1e-9 <= total <= bounds[element].best + 1e-9


@MANY
@given(valid_graphs(), st.data())
def test_no_response_can_skip_or_invent_a_move(graph, data):
    state = State.initial(graph)
    node = graph[state.node]
    elsewhere = [n for n in graph.nodes if n.id != node.id]
    assume(elsewhere)
    other = data.draw(st.sampled_from(elsewhere))
    legal = data.draw(responses(node))
    with pytest.raises(IllegalMove):
        engine.advance(graph, state, dataclasses.replace(legal, node=other.id))
    if node.kind != "scene":
        with pytest.raises(IllegalMove):
            engine.advance(graph, state, Response(node.id, ("not-an-option",)))
    if node.kind == "decide":
        with pytest.raises(IllegalMove):
            engine.advance(graph, state, Response(node.id, ()))
        if len(node.options) > 1:
            with pytest.raises(IllegalMove):
                engine.advance(
                    graph, state, Response(node.id, (node.options[0].id, node.options[1].id))
                )


def _brute_force(graph: Graph) -> dict[str, tuple[float, float]]:
    """Every complete path, with each step at its extremes: the bounds by enumeration."""
    results: dict[str, list[float]] = {}
    elements = set(ELEMENTS) | set(graph.scored_elements)

    def walk(node_id, worst, best):
        edges = graph[node_id].edges()
        if not edges:
            for e in elements:
                results.setdefault(e, []).extend([worst.get(e, 0.0), best.get(e, 0.0)])
            return
        for target, span in edges:
            walk(
                target,
                {e: worst.get(e, 0.0) + span.get(e, (0, 0))[0] for e in elements},
                {e: best.get(e, 0.0) + span.get(e, (0, 0))[1] for e in elements},
            )

    walk("n0", {}, {})
    return {e: (min(v), max(v)) for e, v in results.items()}


@MANY
@given(valid_graphs(max_nodes=10))
def test_bounds_match_enumeration_on_small_graphs(graph):
    bounds = engine.score_bounds(graph)
    brute = _brute_force(graph)
    for element, found in bounds.items():
        assert (found.worst, found.best) == pytest.approx(brute[element])


def test_best_decision_weighs_what_follows_and_ties_go_to_the_earlier_option():
    graph = small_case()
    # "explore" earns 2 and leads to a recognise node worth 1 more; "pills" earns nothing.
    assert engine.best_decision(graph, "choose") == "explore"
    assert engine.best_decision(graph, "ask") is None  # not a decide node
    assert engine.best_decision(graph, "start") is None

    def fork(first: Option, second: Option) -> Graph:
        return Graph(
            (
                Node("d", "decide", start=True, options=(first, second)),
                Node(
                    "r",
                    "recognise",
                    next="e",
                    points=3,
                    elements=("m",),
                    options=(Option("f1", correct=True), Option("f2")),
                ),
                Node("e", "ending", outcome="good"),
            ),
            ("m",),
        )

    # More now (2) but nothing after, against less now (1) and 3 to come: the second wins.
    greedy = Option("greedy", target="e", scores={"m": 2})
    patient = Option("patient", target="r", scores={"m": 1})
    assert engine.best_decision(fork(greedy, patient), "d") == "patient"
    assert engine.best_decision(fork(patient, greedy), "d") == "patient"
    # Equal totals: the option listed first, whichever it is.
    same_a = Option("a", target="e", scores={"m": 1})
    same_b = Option("b", target="e", scores={"m": 1})
    assert engine.best_decision(fork(same_a, same_b), "d") == "a"
    assert engine.best_decision(fork(same_b, same_a), "d") == "b"
    # Close is not equal: half a point behind, listed first, still loses.
    behind = Option("behind", target="e", scores={"m": 1.5})
    ahead = Option("ahead", target="e", scores={"m": 2})
    assert engine.best_decision(fork(behind, ahead), "d") == "ahead"


@MANY
@given(valid_graphs(max_nodes=12))
def test_best_play_earns_the_best_path_total(graph):
    """Playing the best path with the key's answers earns the highest total of any path."""
    path = engine.best_path(graph)
    total = 0.0
    state = State.initial(graph)
    for node_id, choice in path[:-1]:
        node = graph[node_id]
        if node.kind == "decide":
            response = Response(node_id, (choice,))
        elif node.kind == "screen":
            response = Response(node_id, values=engine.answers_in_band(node.instrument, choice))
        elif node.kind in ("ask", "recognise", "identify"):
            response = Response(node_id, tuple(o.id for o in node.options if o.correct))
        else:
            response = Response(node_id)
        step = engine.advance(graph, state, response)
        total += sum(step.scores.values())
        state = step.state
    assert state.node == path[-1][0]
    best_any = max(
        sum(b for _, b in itertools.chain.from_iterable(span.values() for span in spans))
        for spans in _edge_paths(graph, "n0")
    )
    assert total == pytest.approx(best_any)


def _edge_paths(graph, node_id):
    edges = graph[node_id].edges()
    if not edges:
        yield []
        return
    for target, span in edges:
        for rest in _edge_paths(graph, target):
            yield [span, *rest]


def _played_routes(graph: Graph, state: State, totals: dict[str, float]):
    """Every complete route, played through ``advance`` with the key's answers on selections,
    every option on decisions and an answer set in every band on screens: each route's total
    per element."""
    node = graph[state.node]
    if node.kind == "ending":
        yield totals
        return
    if node.kind == "decide":
        moves = [Response(node.id, (o.id,)) for o in node.options]
    elif node.kind == "screen":
        moves = [
            Response(node.id, values=engine.answers_in_band(node.instrument, band))
            for band in SPECS[node.instrument].bands
            if node.routes.get(band)
        ]
    elif node.kind in engine.SELECT_KINDS:
        moves = [Response(node.id, tuple(o.id for o in node.options if o.correct))]
    else:
        moves = [Response(node.id)]
    for move in moves:
        step = engine.advance(graph, state, move)
        added = dict(totals)
        for element, score in step.scores.items():
            added[element] = added.get(element, 0.0) + score
        yield from _played_routes(graph, step.state, added)


@MANY
@given(valid_graphs(max_nodes=10))
def test_the_best_played_route_per_element_earns_the_bounds_best(graph):
    """Per element, the best of the routes actually played (key answers on every selection)
    earns exactly what ``score_bounds`` says is the best: the scoring rules (recognise credit by
    domain, over-treating costs) and the bounds agree."""
    bounds = engine.score_bounds(graph)
    routes = list(_played_routes(graph, State.initial(graph), {}))
    for element, found in bounds.items():
        best_played = max(route.get(element, 0.0) for route in routes)
        assert best_played == pytest.approx(found.best), element


def test_recognise_credits_each_kind_of_factor_separately():
    options = (
        Option("low-mood", correct=True, domain="psychological"),
        Option("worry", domain="psychological"),
        Option("lonely", correct=True, domain="social"),
        Option("debt", domain="social"),
    )
    graph = Graph(
        (
            Node("rec", "recognise", start=True, next="end", points=2, options=options),
            Node("end", "ending"),
        )
    )

    def scores(picks):
        return engine.advance(graph, State("rec"), Response("rec", picks)).scores

    both = {"recognise-psychological": 2.0, "recognise-social": 2.0}
    assert scores(("low-mood", "lonely")) == both
    assert scores(("low-mood",)) == {"recognise-psychological": 2.0, "recognise-social": 0.0}
    assert scores(("lonely", "worry")) == {"recognise-psychological": 0.0, "recognise-social": 2.0}
    # No social factor present: no social credit, and a maximum of 0 for it (no evidence row).
    psych_only = Graph(
        (
            Node("rec", "recognise", start=True, next="end", points=2, options=options[:2]),
            Node("end", "ending"),
        )
    )
    step = engine.advance(psych_only, State("rec"), Response("rec", ("low-mood",)))
    assert step.scores == {"recognise-psychological": 2.0}
    assert step.maxima == {"recognise-psychological": 2.0}
    assert engine.score_bounds(psych_only)["recognise-psychological"] == engine.Bounds(0, 2)
    assert "recognise-social" not in engine.score_bounds(psych_only) or (
        engine.score_bounds(psych_only)["recognise-social"] == engine.Bounds(0, 0)
    )

"""Hypothesis strategies for vignette graphs: random valid DAGs, and helpers to play them."""

from hypothesis import strategies as st

from assessments.engine.instruments import SPECS
from cases import engine

ELEMENTS = ("elicit", "recognise-psychological", "recognise-social", "identify", "match-intensity")
DOMAINS = ("psychological", "social", "")
KINDS = ("scene", "ask", "recognise", "decide", "identify", "screen", "ending")


@st.composite
def valid_graphs(draw, min_nodes=2, max_nodes=24):
    """A random valid vignette. Node i may only point to nodes after it (so no cycles); the last
    node is an ending; nodes the start cannot reach are dropped (so every node is reachable)."""
    n = draw(st.integers(min_nodes, max_nodes))
    nodes = []
    for i in range(n):
        later = st.integers(i + 1, n - 1).map(lambda j: f"n{j}") if i < n - 1 else None
        kind = "ending" if i == n - 1 else draw(st.sampled_from(KINDS if i else KINDS[:-1]))
        node_id = f"n{i}"
        if kind == "ending":
            nodes.append(engine.Node(node_id, "ending", start=i == 0, outcome="good"))
            continue
        if kind == "scene":
            nodes.append(engine.Node(node_id, "scene", start=i == 0, next=draw(later)))
        elif kind in ("ask", "recognise", "identify"):
            count = draw(st.integers(1, 5))
            flags = draw(st.lists(st.booleans(), min_size=count, max_size=count))
            flags[0] = True  # a key is never empty in a valid graph
            harm = draw(st.lists(st.booleans(), min_size=count, max_size=count))
            domains = draw(st.lists(st.sampled_from(DOMAINS), min_size=count, max_size=count))
            options = tuple(
                engine.Option(
                    f"o{k}",
                    f"option {k}",
                    "feedback",
                    correct=flag,
                    harmful=kind == "identify" and not flag and harm[k],
                    domain=domains[k] if kind == "recognise" else "",
                )
                for k, flag in enumerate(flags)
            )
            elements = tuple(
                draw(st.lists(st.sampled_from(ELEMENTS), min_size=1, max_size=2, unique=True))
            )
            points = draw(st.sampled_from((1.0, 2.0, 3.0)))
            nodes.append(
                engine.Node(
                    node_id,
                    kind,
                    start=i == 0,
                    next=draw(later),
                    options=options,
                    elements=elements,
                    points=points,
                )
            )
        elif kind == "decide":
            count = draw(st.integers(1, 4))
            options = tuple(
                engine.Option(
                    f"d{k}",
                    f"choice {k}",
                    "why",
                    target=draw(later),
                    scores=draw(
                        st.dictionaries(
                            st.sampled_from(ELEMENTS), st.sampled_from((0.0, 1.0, 2.0)), max_size=2
                        )
                    ),
                )
                for k in range(count)
            )
            nodes.append(engine.Node(node_id, "decide", start=i == 0, options=options))
        else:
            instrument = draw(st.sampled_from(("phq9", "gad7", "start_back")))
            spec = SPECS[instrument]
            key = tuple(draw(st.sampled_from([v for v, _ in scale])) for scale in spec.scales)
            routes = {band: draw(later) for band in spec.bands}
            nodes.append(
                engine.Node(
                    node_id,
                    "screen",
                    start=i == 0,
                    instrument=instrument,
                    key=key,
                    routes=routes,
                    elements=("recognise-psychological",),
                )
            )
    succ = {node.id: node.targets() for node in nodes}
    reachable = engine.reach(["n0"], succ)
    return engine.Graph(tuple(node for node in nodes if node.id in reachable))


def responses(node: engine.Node):
    """A strategy for any legal response to ``node``."""
    ids = [o.id for o in node.options]
    if node.kind == "scene":
        return st.just(engine.Response(node.id))
    if node.kind == "decide":
        return st.sampled_from(ids).map(lambda c: engine.Response(node.id, (c,)))
    if node.kind == "screen":
        spec = SPECS[node.instrument]
        return st.tuples(*(st.sampled_from([v for v, _ in scale]) for scale in spec.scales)).map(
            lambda values: engine.Response(node.id, values=values)
        )
    return st.lists(st.sampled_from(ids), unique=True).map(
        lambda picks: engine.Response(node.id, tuple(picks))
    )

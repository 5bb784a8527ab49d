"""The seeded vignettes: every file validates, has bounds, and a scripted trainee can reach
every one of its endings through the engine."""

from collections import deque

import pytest

from assessments.engine.instruments import SPECS
from cases import content, engine

FILES = content.vignette_files()


def test_at_least_twenty_two_vignettes_across_eighteen_settings_mostly_not_doctors():
    specs = [content.load(p) for p in FILES]
    assert len(specs) >= 22
    assert len({s["setting"] for s in specs}) >= 18
    assert len({s["slug"] for s in specs}) == len(specs)
    doctors = sum(s["profession"] == "doctor" for s in specs)
    assert doctors * 4 <= len(specs), f"{doctors} of {len(specs)} cases make the trainee a doctor"


def _legal_moves(node: engine.Node):
    """One response per distinct way out of ``node``."""
    if node.kind == "scene":
        yield engine.Response(node.id)
    elif node.kind in engine.SELECT_KINDS:
        yield engine.Response(node.id, tuple(o.id for o in node.options if o.correct))
    elif node.kind == "decide":
        for option in node.options:
            yield engine.Response(node.id, (option.id,))
    elif node.kind == "screen":
        for band in SPECS[node.instrument].bands:
            yield engine.Response(node.id, values=engine.answers_in_band(node.instrument, band))


# Elements a seeded case lists but cannot credit: a recognise node credits *recognise social*
# only for social factors, and none is present in this case's recognise node. The content work
# adds one or drops the element; until then it is pinned here, so a new one shows up.
UNSCORABLE = {"08-sexual-assault-emergency": {"recognise-social"}}


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_seeded_vignette_is_sound_and_every_ending_can_be_reached(path):
    spec = content.load(path)
    errors, warnings = content.problems(spec)
    assert errors == [] and warnings == []
    graph = content.graph_of(spec)
    assert 8 <= len(graph.nodes) <= 20
    kinds = {n.kind for n in graph.nodes}
    assert {"ask", "recognise", "identify"} <= kinds and len(kinds) >= 3
    bounds = engine.score_bounds(graph)
    unscorable = UNSCORABLE.get(path.stem, set())
    assert {e for e, b in bounds.items() if b.best == 0} == unscorable
    assert bounds and all(b.best > b.worst >= 0 for e, b in bounds.items() if e not in unscorable)
    # Breadth-first over states reached by actually playing legal responses.
    reached, queue = set(), deque([engine.State.initial(graph)])
    while queue:
        state = queue.popleft()
        node = graph[state.node]
        if node.kind == "ending":
            reached.add(node.id)
            continue
        for response in _legal_moves(node):
            queue.append(engine.advance(graph, state, response).state)
    endings = {n.id for n in graph.nodes if n.kind == "ending"}
    assert reached == endings
    # The best route ends well, and the story's every ending has a debrief.
    assert graph[engine.best_path(graph)[-1][0]].outcome == "good"
    assert all(len(graph[e].body) > 200 for e in endings)


def test_content_notes_where_the_guide_requires_them():
    for path in FILES:
        spec = content.load(path)
        text = str(spec).lower()
        phq_risk = any(
            n.get("kind") == "screen" and n.get("instrument") == "phq9" and n["key"][8] > 0
            for n in spec["nodes"]
        )
        if phq_risk or "sexual assault" in text:
            assert spec.get("content_note"), path.name

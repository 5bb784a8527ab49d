"""What a sound graph can award: the worst and best total per element, one best path, the endings
best play reaches, the longest path, and an answer set for each instrument band (for scripted
play). Dynamic programming over the DAG, so it stays linear however many paths there are.

Called by ``validation`` (its warnings), the debrief and the author's map. Imports ``graph``.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass

from assessments.engine.instruments import SPECS

from .graph import Graph, Node, topological


@dataclass(frozen=True)
class Bounds:
    worst: float
    best: float


def score_bounds(graph: Graph) -> dict[str, Bounds]:
    """For each element scored anywhere (or listed on the graph), the lowest and highest total
    any complete path from the start can earn. Dynamic programming over the DAG, linear in its
    edges, so it stays fast however many distinct paths there are."""
    elements = tuple(dict.fromkeys((*graph.elements, *graph.scored_elements)))
    best: dict[str, dict[str, float]] = {}
    worst: dict[str, dict[str, float]] = {}
    for node in topological(graph):
        edges = node.edges()
        if not edges:
            best[node.id] = dict.fromkeys(elements, 0.0)
            worst[node.id] = dict.fromkeys(elements, 0.0)
            continue
        best[node.id] = {
            e: max(span.get(e, (0.0, 0.0))[1] + best[t][e] for t, span in edges) for e in elements
        }
        worst[node.id] = {
            e: min(span.get(e, (0.0, 0.0))[0] + worst[t][e] for t, span in edges) for e in elements
        }
    start = graph.start.id
    return {e: Bounds(round(worst[start][e], 4), round(best[start][e], 4)) for e in elements}


def _best_totals(graph: Graph) -> tuple[dict[str, float], list[Node]]:
    order = topological(graph)
    total: dict[str, float] = {}
    for node in order:
        edges = node.edges()
        total[node.id] = max(
            (sum(b for _, b in span.values()) + total[t] for t, span in edges), default=0.0
        )
    return total, order


def best_path(graph: Graph) -> list[tuple[str, str | None]]:
    """One path with the highest total over all elements, as ``(node id, best option id)`` pairs
    (option id ``None`` where the node has no single best option: scenes, selections, endings;
    for a screen, the band). Ties go to the earlier option."""
    total, _ = _best_totals(graph)
    path: list[tuple[str, str | None]] = []
    node = graph.start
    while node is not None:
        edges = node.edges()
        if not edges:
            path.append((node.id, None))
            break
        scored = [
            (sum(b for _, b in span.values()) + total[t], i, t) for i, (t, span) in enumerate(edges)
        ]
        top = max(s for s, _, _ in scored)
        _, index, target = next(item for item in scored if item[0] >= top - 1e-9)
        choice = None
        if node.kind == "decide":
            choice = [o for o in node.options if o.target][index].id
        elif node.kind == "screen":
            choice = [b for b in SPECS[node.instrument].bands if node.routes.get(b)][index]
        path.append((node.id, choice))
        node = graph[target]
    return path


def answers_in_band(instrument: str, band: str) -> tuple[int, ...]:
    """One answer set that the instrument scores into ``band`` (for scripted play and tests)."""
    spec = SPECS[instrument]
    sizes = [len(scale) for scale in spec.scales]
    if math.prod(sizes) <= 5000:
        candidates = itertools.product(*([v for v, _ in scale] for scale in spec.scales))
    else:  # bands by total: fill items from the first, one total at a time
        highs = [max(v for v, _ in scale) for scale in spec.scales]
        candidates = (_fill(highs, total) for total in range(sum(highs) + 1))
    for values in candidates:
        if spec.score(list(values)).band == band:
            return tuple(values)
    raise ValueError(f"No {spec.name} answers fall in {band}.")


def _fill(highs: Sequence[int], total: int) -> tuple[int, ...]:
    values = []
    for high in highs:
        values.append(min(high, total))
        total -= values[-1]
    return tuple(values)


def best_decision(graph: Graph, node_id: str) -> str | None:
    """At a decide node, wherever it is, the option with the highest total from there on (its
    own score and the best that can follow); ties go to the earlier option. None elsewhere."""
    node = graph[node_id]
    if node.kind != "decide":
        return None
    total, _ = _best_totals(graph)
    scored = [
        (sum(b for _, b in span.values()) + total[t], i) for i, (t, span) in enumerate(node.edges())
    ]
    top = max(s for s, _ in scored)
    index = next(i for s, i in scored if s >= top - 1e-9)
    return [o for o in node.options if o.target][index].id


def best_endings(graph: Graph) -> set[str]:
    """Every ending that some best-scoring path reaches."""
    total, order = _best_totals(graph)
    on_best = {graph.start.id}
    for node in reversed(order):  # from the start outwards
        if node.id not in on_best:
            continue
        edges = node.edges()
        if not edges:
            continue
        values = [(sum(b for _, b in span.values()) + total[t], t) for t, span in edges]
        top = max(v for v, _ in values)
        on_best.update(t for v, t in values if v >= top - 1e-9)
    return {n for n in on_best if graph[n].kind == "ending"}


def longest_path(graph: Graph) -> int:
    steps: dict[str, int] = {}
    for node in topological(graph):
        steps[node.id] = max((1 + steps[t] for t in node.targets()), default=0)
    return steps[graph.start.id]

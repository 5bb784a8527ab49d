"""The vignette as data: its nodes, their options and the graph they make, with the traversals
every other module of the engine walks (reach, cycles, a topological order).

Imports nothing else of the engine; ``bounds``, ``validation``, ``play``, ``loading`` and
``diagram`` build on it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from assessments.engine.instruments import SPECS, InstrumentError

KINDS = ("scene", "ask", "recognise", "decide", "identify", "screen", "ending")
SELECT_KINDS = ("ask", "recognise", "identify")
DEFAULT_ELEMENTS = {
    "ask": ("elicit",),
    "recognise": ("recognise-psychological", "recognise-social"),
    "identify": ("identify",),
    "screen": ("recognise-psychological",),
}
DEFAULT_POINTS = 2.0
# On a recognise node, these elements credit only the factors of their own kind (the
# catalogue's ``kind`` of a factor); any other element a recognise node scores credits them all.
DOMAIN_ELEMENTS = {"recognise-psychological": "psychological", "recognise-social": "social"}


@dataclass(frozen=True)
class Option:
    """One choice on a node. ``correct`` means relevant (ask), present (recognise) or helpful
    (identify); ``harmful`` is for identify only; ``target`` and ``scores`` are for decide;
    ``domain`` is a recognise factor's kind (``psychological`` or ``social``; blank when the
    catalogue does not say, and then it counts for both)."""

    id: str
    label: str = ""
    feedback: str = ""
    correct: bool = False
    harmful: bool = False
    answer: str = ""
    target: str | None = None
    scores: Mapping[str, float] = field(default_factory=dict, hash=False)
    domain: str = ""


@dataclass(frozen=True)
class Node:
    """One step of the story, of one of ``KINDS``; which fields matter depends on the kind (see
    the package docstring)."""

    id: str
    kind: str
    title: str = ""
    body: str = ""
    start: bool = False
    next: str | None = None
    options: tuple[Option, ...] = ()
    elements: tuple[str, ...] = ()
    points: float = DEFAULT_POINTS
    instrument: str | None = None
    key: tuple[int, ...] = ()
    routes: Mapping[str, str] = field(default_factory=dict, hash=False)
    outcome: str = ""

    @property
    def scored_elements(self) -> tuple[str, ...]:
        if self.kind == "decide":
            seen: dict[str, None] = {}
            for option in self.options:
                for element, value in option.scores.items():
                    if value:
                        seen[element] = None
            return tuple(seen)
        if self.kind in DEFAULT_ELEMENTS:
            return self.elements or DEFAULT_ELEMENTS[self.kind]
        return ()

    def credited(self, element: str) -> tuple[Option, ...]:
        """The options a select node scores ``element`` on: on a recognise node, a domain
        element (``DOMAIN_ELEMENTS``) counts only the factors of its kind, so naming the social
        factors earns nothing for *recognise psychological* and the other way round; every
        other element counts all the options."""
        domain = DOMAIN_ELEMENTS.get(element) if self.kind == "recognise" else None
        if domain is None:
            return self.options
        return tuple(o for o in self.options if o.domain in (domain, ""))

    def select_elements(self) -> tuple[str, ...]:
        """The elements a select node can award anything for: on a recognise node, a domain
        element only when a factor of its kind is present (its maximum is 0 otherwise, so it
        gives no credit and records no evidence)."""
        if self.kind != "recognise":
            return self.scored_elements
        return tuple(e for e in self.scored_elements if any(o.correct for o in self.credited(e)))

    def option(self, option_id: str) -> Option | None:
        return next((o for o in self.options if o.id == option_id), None)

    def key_band(self) -> str | None:
        spec = SPECS.get(self.instrument or "")
        if spec is None:
            return None
        try:
            return spec.score(self.key).band
        except InstrumentError:
            return None

    def edges(self) -> list[tuple[str, Mapping[str, tuple[float, float]]]]:
        """Outgoing edges as ``(target, {element: (worst, best) step score})``. Targets may not
        exist; ``validate`` reports that."""
        if self.kind == "ending":
            return []
        if self.kind == "scene":
            return [(self.next, {})] if self.next else []
        if self.kind in SELECT_KINDS:
            span = {element: (0.0, float(self.points)) for element in self.select_elements()}
            return [(self.next, span)] if self.next else []
        if self.kind == "decide":
            return [
                (o.target, {e: (float(v), float(v)) for e, v in o.scores.items()})
                for o in self.options
                if o.target
            ]
        if self.kind == "screen":
            spec = SPECS.get(self.instrument or "")
            if spec is None:
                return []
            key_band = self.key_band()
            edges = []
            for band in spec.bands:
                target = self.routes.get(band)
                if target:
                    got = float(self.points) if band == key_band else 0.0
                    edges.append((target, dict.fromkeys(self.scored_elements, (got, got))))
            return edges
        return []

    def targets(self) -> list[str]:
        return list(dict.fromkeys(target for target, _ in self.edges()))

    def step_maxima(self) -> dict[str, float]:
        """The most this node can award per element: the maximum recorded with its evidence."""
        maxima: dict[str, float] = {}
        for _, span in self.edges():
            for element, (_, best) in span.items():
                maxima[element] = max(maxima.get(element, 0.0), best)
        return {e: v for e, v in maxima.items() if v > 0}


@dataclass(frozen=True)
class Graph:
    """The whole vignette: its nodes in authoring order and the elements it is meant to score."""

    nodes: tuple[Node, ...]
    elements: tuple[str, ...] = ()

    def __post_init__(self):
        object.__setattr__(self, "_by_id", {n.id: n for n in reversed(self.nodes)})

    def get(self, node_id: str) -> Node | None:
        return self._by_id.get(node_id)

    def __getitem__(self, node_id: str) -> Node:
        return self._by_id[node_id]

    @property
    def start(self) -> Node | None:
        starts = [n for n in self.nodes if n.start]
        return starts[0] if len(starts) == 1 else None

    @property
    def scored_elements(self) -> tuple[str, ...]:
        seen: dict[str, None] = {}
        for node in self.nodes:
            for element in node.scored_elements:
                seen[element] = None
        return tuple(seen)


class GraphError(ValueError):
    """The graph cannot be walked as a vignette (no single start, a loop, a missing node); raised
    by ``topological`` and ``State.initial``. ``validate`` reports the same faults as findings."""


def reach(sources: Iterable[str], succ: Mapping[str, Sequence[str]]) -> set[str]:
    """Every node reachable from ``sources`` (themselves included) along ``succ``."""
    seen = set(sources)
    stack = list(seen)
    while stack:
        for target in succ.get(stack.pop(), ()):
            if target not in seen:
                seen.add(target)
                stack.append(target)
    return seen


def cycle_nodes(succ: Mapping[str, Sequence[str]]) -> dict[str, list[str]]:
    """Every node on a cycle, with one cycle through it (iterative DFS, three colours)."""
    colour: dict[str, int] = {}
    on_cycle: dict[str, list[str]] = {}
    for root in succ:
        if colour.get(root):
            continue
        stack = [(root, iter(succ[root]))]
        path = [root]
        colour[root] = 1
        while stack:
            node, children = stack[-1]
            child = next(children, None)
            if child is None:
                stack.pop()
                path.pop()
                colour[node] = 2
            elif colour.get(child) == 1:
                cycle = [*path[path.index(child) :], child]
                for member in cycle[:-1]:
                    on_cycle.setdefault(member, cycle)
            elif not colour.get(child):
                colour[child] = 1
                path.append(child)
                stack.append((child, iter(succ.get(child, ()))))
    return on_cycle


def topological(graph: Graph) -> list[Node]:
    """Nodes reachable from the start, each after all of its successors."""
    start = graph.start
    if start is None:
        raise GraphError("The vignette has no single start.")
    order: list[Node] = []
    state: dict[str, int] = {}
    stack = [(start.id, False)]
    while stack:
        node_id, done = stack.pop()
        if done:
            state[node_id] = 2
            order.append(graph[node_id])
            continue
        if state.get(node_id) == 2:
            continue
        if state.get(node_id) == 1:
            raise GraphError(f"The vignette has a loop through {node_id}.")
        state[node_id] = 1
        stack.append((node_id, True))
        for target in graph[node_id].targets():
            if graph.get(target) is None:
                raise GraphError(f"{node_id} goes to a missing node {target}.")
            if state.get(target) == 1:
                raise GraphError(f"The vignette has a loop through {target}.")
            if state.get(target) != 2:
                stack.append((target, False))
    return order

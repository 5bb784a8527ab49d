"""The branching-vignette engine. Pure Python: no Django imports.

A vignette is a directed acyclic graph of nodes with stable string ids. This module validates a
graph, computes the best and worst score achievable for each competency element, finds the best
path, and advances an attempt one legal step at a time. Scoring uses the shared primitives in
``assessments.engine.scoring`` and the instruments in ``assessments.engine.instruments`` (both
pure), so quizzes and vignettes score the same rule the same way.

Node kinds and how a step is scored:

- ``scene``: narrative with one way on (``next``); scores nothing.
- ``ask``: pick any of the questions; each right pick earns ``points / |right|`` for each of the
  node's elements, each other pick costs the same, floored at zero (``scoring.selection``).
- ``recognise``: mark the factors present; scored like ``ask`` against the author's key.
- ``identify``: pick interventions rated helpful, neutral or harmful; helpful picks earn a share,
  harmful picks cost one, neutral picks are free (``scoring.rated_selection``).
- ``decide``: one option; it names its target, its feedback and its score per element.
- ``screen``: record the person's answers to an instrument; ``points`` when they fall in the same
  band as the author's key; the band of the recorded answers chooses the route.
- ``ending``: the outcome; no way on.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from assessments.engine import scoring
from assessments.engine.instruments import RISK_MESSAGE, SPECS, InstrumentError

KINDS = ("scene", "ask", "recognise", "decide", "identify", "screen", "ending")
SELECT_KINDS = ("ask", "recognise", "identify")
DEFAULT_ELEMENTS = {
    "ask": ("elicit",),
    "recognise": ("recognise-psychological", "recognise-social"),
    "identify": ("identify",),
    "screen": ("recognise-psychological",),
}
DEFAULT_POINTS = 2.0
LONG_PATH = 25


# --------------------------------------------------------------------------------------------
# The graph


@dataclass(frozen=True)
class Option:
    """One choice on a node. ``correct`` means relevant (ask), present (recognise) or helpful
    (identify); ``harmful`` is for identify only; ``target`` and ``scores`` are for decide."""

    id: str
    label: str = ""
    feedback: str = ""
    correct: bool = False
    harmful: bool = False
    answer: str = ""
    target: str | None = None
    scores: Mapping[str, float] = field(default_factory=dict, hash=False)


@dataclass(frozen=True)
class Node:
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
            span = {element: (0.0, float(self.points)) for element in self.scored_elements}
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


# --------------------------------------------------------------------------------------------
# Validation


@dataclass(frozen=True)
class Problem:
    """One finding: the node it concerns (``None`` for the whole graph), a plain message, a
    stable ``code`` for programs and tests, and whether it blocks publishing."""

    node: str | None
    message: str
    level: str = "error"
    code: str = ""

    def __str__(self) -> str:
        return f"{self.node}: {self.message}" if self.node else self.message


@dataclass(frozen=True)
class Report:
    errors: tuple[Problem, ...]
    warnings: tuple[Problem, ...]

    @property
    def ok(self) -> bool:
        return not self.errors

    def for_node(self, node_id: str) -> list[Problem]:
        return [p for p in (*self.errors, *self.warnings) if p.node == node_id]


class GraphError(ValueError):
    """The graph is not a valid vignette (see ``validate``)."""


def validate(graph: Graph) -> Report:
    errors: list[Problem] = []
    warnings: list[Problem] = []

    def error(node, code, message):
        errors.append(Problem(node, message, code=code))

    ids = [n.id for n in graph.nodes]
    if not graph.nodes:
        error(None, "empty", "The vignette has no nodes. Add a scene to start the story.")
        return Report(tuple(errors), ())
    seen: set[str] = set()
    for node_id in ids:
        if not node_id:
            error(None, "no-id", "A node has no id.")
        elif node_id in seen:
            error(
                node_id,
                "duplicate-id",
                f"The id “{node_id}” is used by more than one node. Ids must be unique.",
            )
        seen.add(node_id)

    starts = [n.id for n in graph.nodes if n.start]
    if not starts:
        error(None, "no-start", "No node is marked as the start.")
    for node_id in starts[1:] if len(starts) > 1 else ():
        error(
            node_id,
            "several-starts",
            f"Only one node can be the start; {starts[0]} is already the start.",
        )

    known = sorted(seen)
    for node in graph.nodes:
        _validate_node(node, graph, known, error)

    existing = set(seen)
    succ = {n.id: [t for t in n.targets() if t in existing] for n in graph.nodes}
    cyclic = _cycle_nodes(succ)
    for node_id, cycle in cyclic.items():
        error(
            node_id,
            "cycle",
            "This node is part of a loop: " + " → ".join(cycle) + ". Stories must move forward.",
        )

    reachable = _reach(starts[:1], succ)
    for node in graph.nodes:
        if starts and node.id not in reachable:
            error(node.id, "unreachable", "No path from the start reaches this node.")

    endings = {n.id for n in graph.nodes if n.kind == "ending"}
    pred: dict[str, list[str]] = {n: [] for n in existing}
    for source, targets in succ.items():
        for target in targets:
            pred[target].append(source)
    can_end = _reach(endings, pred)
    for node in graph.nodes:
        if (
            node.id in reachable
            and node.id not in can_end
            and node.kind != "ending"
            and node.targets()
        ):
            error(node.id, "cannot-end", "No path from this node reaches an ending.")
    if not endings:
        error(None, "no-ending", "The vignette has no ending.")

    if errors:
        return Report(tuple(errors), tuple(warnings))

    # Warnings need a sound graph.
    best = best_endings(graph)
    for node in graph.nodes:
        if node.kind == "ending" and node.outcome == "good" and node.id not in best:
            warnings.append(
                Problem(
                    node.id,
                    "The best-scoring choices never lead to this good ending. Check the scores.",
                    "warning",
                    "good-ending-off-best-path",
                )
            )
    scored = set(graph.scored_elements)
    for element in graph.elements:
        if element not in scored:
            warnings.append(
                Problem(
                    None, f"No node scores the element “{element}”.", "warning", "unscored-element"
                )
            )
    longest = _longest_path(graph)
    if longest > LONG_PATH:
        warnings.append(
            Problem(
                None,
                f"The longest path has {longest} steps; more than {LONG_PATH} is tiring to play.",
                "warning",
                "long-path",
            )
        )
    return Report((), tuple(warnings))


def _validate_node(node: Node, graph: Graph, known: list[str], error) -> None:
    if node.kind not in KINDS:
        error(node.id, "unknown-kind", f"Unknown node kind “{node.kind}”.")
        return
    valid = ", ".join(known)

    def check_target(target: str, where: str):
        if graph.get(target) is None:
            error(
                node.id,
                "missing-target",
                f"{where} goes to “{target}”, which is not a node here. Valid ids: {valid}.",
            )
        elif target == node.id:
            error(node.id, "self-loop", f"{where} goes back to this node.")

    option_ids = [o.id for o in node.options]
    for option_id in {i for i in option_ids if option_ids.count(i) > 1}:
        error(
            node.id, "duplicate-option", f"The option id “{option_id}” is used twice on this node."
        )

    if node.kind == "ending":
        return
    if node.kind in ("scene", *SELECT_KINDS):
        if not node.next:
            error(
                node.id, "no-way-out", "This node has no way out: choose the node that comes next."
            )
        else:
            check_target(node.next, "“Next”")
    if node.kind in SELECT_KINDS:
        if not node.options:
            error(node.id, "no-options", "This node has no options.")
        elif not any(o.correct for o in node.options):
            error(node.id, "empty-key", "The key is empty: mark at least one option as right.")
        if node.points <= 0:
            error(node.id, "points", "Points must be above zero.")
    if node.kind == "decide":
        if not node.options:
            error(node.id, "no-way-out", "This decision has no options, so no way out.")
        for option in node.options:
            if not option.target:
                error(node.id, "no-way-out", f"Option “{option.id}” has no target.")
            else:
                check_target(option.target, f"Option “{option.id}”")
            if not option.feedback.strip():
                error(node.id, "no-feedback", f"Option “{option.id}” has no feedback.")
            if any(v < 0 for v in option.scores.values()):
                error(node.id, "negative-score", f"Option “{option.id}” has a negative score.")
    if node.kind == "screen":
        spec = SPECS.get(node.instrument or "")
        if spec is None:
            error(
                node.id,
                "unknown-instrument",
                f"Unknown instrument “{node.instrument}”. Use one of: {', '.join(SPECS)}.",
            )
            return
        try:
            spec.score(node.key)
        except InstrumentError as exc:
            error(node.id, "screen-key", f"The key is not a valid {spec.name} answer set: {exc}")
        missing = [band for band in spec.bands if not node.routes.get(band)]
        if len(missing) == len(spec.bands):
            error(node.id, "no-way-out", "This screen has no routes, so no way out.")
        elif missing:
            error(
                node.id, "screen-routes", "These bands have no route: " + ", ".join(missing) + "."
            )
        for band, target in node.routes.items():
            if band not in spec.bands:
                error(
                    node.id,
                    "screen-routes",
                    f"“{band}” is not a {spec.name} band ({', '.join(spec.bands)}).",
                )
            elif target:
                check_target(target, f"The {band} route")
        if node.points <= 0:
            error(node.id, "points", "Points must be above zero.")


def _reach(sources: Iterable[str], succ: Mapping[str, Sequence[str]]) -> set[str]:
    seen = set(sources)
    stack = list(seen)
    while stack:
        for target in succ.get(stack.pop(), ()):
            if target not in seen:
                seen.add(target)
                stack.append(target)
    return seen


def _cycle_nodes(succ: Mapping[str, Sequence[str]]) -> dict[str, list[str]]:
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


def _topological(graph: Graph) -> list[Node]:
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


# --------------------------------------------------------------------------------------------
# Bounds and the best path


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
    for node in _topological(graph):
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
    order = _topological(graph)
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


def _longest_path(graph: Graph) -> int:
    steps: dict[str, int] = {}
    for node in _topological(graph):
        steps[node.id] = max((1 + steps[t] for t in node.targets()), default=0)
    return steps[graph.start.id]


# --------------------------------------------------------------------------------------------
# Playing


class IllegalMove(ValueError):
    """A response that is not a legal move from the current state."""


@dataclass(frozen=True)
class State:
    node: str
    step: int = 0

    @classmethod
    def initial(cls, graph: Graph) -> State:
        if graph.start is None:
            raise GraphError("The vignette has no single start.")
        return cls(graph.start.id, 0)


@dataclass(frozen=True)
class Response:
    node: str
    choices: tuple[str, ...] = ()
    values: tuple[int, ...] = ()


@dataclass(frozen=True)
class OptionFeedback:
    option: Option
    chosen: bool


@dataclass(frozen=True)
class Step:
    node: Node
    state: State
    scores: dict[str, float]
    maxima: dict[str, float]
    feedback: tuple[OptionFeedback, ...] = ()
    band: str | None = None
    total: int | None = None
    risk: str = ""


def advance(graph: Graph, state: State, response: Response) -> Step:
    """Apply one response to the node the trainee is on. Raises ``IllegalMove`` for a response to
    another node, a choice the node does not offer, the wrong number of choices, or answers that
    do not fit the instrument; the state is never changed by a refused move."""
    node = graph.get(state.node)
    if node is None:
        raise IllegalMove("The attempt is on a node that no longer exists.")
    if response.node != node.id:
        raise IllegalMove(f"That answer is for {response.node}, but the story is at {node.id}.")
    if node.kind == "ending":
        raise IllegalMove("The story has ended.")
    choices = tuple(response.choices)
    if len(set(choices)) != len(choices):
        raise IllegalMove("The same option was chosen twice.")
    for choice in choices:
        if node.option(choice) is None:
            raise IllegalMove(f"“{choice}” is not an option here.")
    maxima = node.step_maxima()
    elements = node.scored_elements

    if node.kind == "scene":
        if choices or response.values:
            raise IllegalMove("A scene only continues.")
        return Step(node, State(node.next, state.step + 1), {}, {})

    if node.kind in SELECT_KINDS:
        if response.values:
            raise IllegalMove("This node takes choices, not answers.")
        offered = [o.id for o in node.options]
        if node.kind == "identify":
            fraction = scoring.rated_selection(
                choices,
                helpful=[o.id for o in node.options if o.correct],
                harmful=[o.id for o in node.options if o.harmful],
                offered=offered,
            )
        else:
            fraction = scoring.selection(
                choices, [o.id for o in node.options if o.correct], offered
            )
        points = scoring.scaled(fraction, float(node.points)).points
        feedback = tuple(OptionFeedback(o, o.id in choices) for o in node.options)
        return Step(
            node,
            State(node.next, state.step + 1),
            dict.fromkeys(elements, points),
            maxima,
            feedback,
        )

    if node.kind == "decide":
        if len(choices) != 1:
            raise IllegalMove("Choose exactly one option.")
        option = node.option(choices[0])
        scores = {e: float(option.scores.get(e, 0.0)) for e in maxima}
        return Step(
            node,
            State(option.target, state.step + 1),
            scores,
            maxima,
            (OptionFeedback(option, True),),
        )

    # screen
    if choices:
        raise IllegalMove("A screen takes answers, not choices.")
    spec = SPECS[node.instrument]
    try:
        result = spec.score(list(response.values))
    except InstrumentError as exc:
        raise IllegalMove(str(exc)) from exc
    got = float(node.points) if result.band == node.key_band() else 0.0
    return Step(
        node,
        State(node.routes[result.band], state.step + 1),
        dict.fromkeys(elements, got),
        maxima,
        band=result.band,
        total=result.total,
        risk=RISK_MESSAGE if result.risk_flag else "",
    )


# --------------------------------------------------------------------------------------------
# Building a graph from plain data (the YAML seed format and the page's StreamField share it)


def graph_from_data(
    nodes: Sequence[Mapping], elements: Sequence[str] = (), labels: Mapping[str, str] | None = None
) -> Graph:
    """Build a ``Graph`` from dicts in the format of ``cases/content/FORMAT.md``. The first node
    is the start unless some node says ``start: true``. ``labels`` names factor and intervention
    slugs (the catalogue), so options read as names rather than slugs."""
    labels = labels or {}
    flagged = any(raw.get("start") for raw in nodes)
    built = []
    for index, raw in enumerate(nodes):
        kind = raw.get("kind", "")
        options = tuple(_option(kind, o, labels) for o in raw.get("options") or ())
        built.append(
            Node(
                id=str(raw.get("id") or "").strip(),
                kind=kind,
                title=raw.get("title") or "",
                body=raw.get("body") or "",
                start=bool(raw.get("start")) if flagged else index == 0,
                next=(raw.get("next") or "").strip() or None,
                options=options,
                elements=tuple(raw.get("elements") or ()),
                points=float(raw.get("points") or DEFAULT_POINTS),
                instrument=raw.get("instrument") or None,
                key=tuple(raw.get("key") or ()),
                routes={band: (t or "").strip() for band, t in (raw.get("routes") or {}).items()},
                outcome=raw.get("outcome") or "",
            )
        )
    return Graph(tuple(built), tuple(elements))


def _option(kind: str, raw: Mapping, labels: Mapping[str, str]) -> Option:
    feedback = raw.get("feedback") or ""
    if kind == "recognise":
        slug = raw.get("factor") or ""
        return Option(slug, labels.get(slug, slug), feedback, correct=bool(raw.get("present")))
    if kind == "identify":
        slug = raw.get("intervention") or ""
        rating = raw.get("rating") or "neutral"
        return Option(
            slug,
            labels.get(slug, slug),
            feedback,
            correct=rating == "helpful",
            harmful=rating == "harmful",
        )
    return Option(
        str(raw.get("id") or ""),
        raw.get("label") or "",
        feedback,
        correct=bool(raw.get("relevant")),
        answer=raw.get("answer") or "",
        target=(raw.get("target") or "").strip() or None,
        scores={e: float(v) for e, v in (raw.get("scores") or {}).items()},
    )

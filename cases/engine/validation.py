"""Whether a graph is a sound vignette: errors that block publishing (each on its node, with a
stable code) and warnings that need a sound graph (a good ending off the best path, an element
no node scores, a tiring longest path).

Called by the editor (``cases.blocks.NodesBlock.clean``), the author's map, the seed check and
the player before it starts a play. Imports ``graph`` and ``bounds``.
"""

from __future__ import annotations

from dataclasses import dataclass

from assessments.engine.instruments import SPECS, InstrumentError

from .bounds import best_endings, longest_path
from .graph import KINDS, SELECT_KINDS, Graph, Node, cycle_nodes, reach

LONG_PATH = 25


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
    cyclic = cycle_nodes(succ)
    for node_id, cycle in cyclic.items():
        error(
            node_id,
            "cycle",
            "This node is part of a loop: " + " → ".join(cycle) + ". Stories must move forward.",
        )

    reachable = reach(starts[:1], succ)
    for node in graph.nodes:
        if starts and node.id not in reachable:
            error(node.id, "unreachable", "No path from the start reaches this node.")

    endings = {n.id for n in graph.nodes if n.kind == "ending"}
    pred: dict[str, list[str]] = {n: [] for n in existing}
    for source, targets in succ.items():
        for target in targets:
            pred[target].append(source)
    can_end = reach(endings, pred)
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
    longest = longest_path(graph)
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

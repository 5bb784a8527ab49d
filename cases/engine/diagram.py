"""The map of a vignette: a layered left-to-right layout of its graph, drawn as SVG by the
template ``cases/includes/diagram.html``. Pure Python: no Django imports.

Columns are the longest distance from the start (so every edge points right on a sound graph);
a graph with loops falls back to the shortest distance; nodes the start cannot reach go in a
last column. Each kind has its own shape and its name written in the box, so nothing depends on
colour alone; nodes with errors carry a warning mark as well as a warning colour.

Called by ``cases.selectors`` for the editor's panel and the author's preview. Imports ``graph``,
``bounds`` and ``validation``; nothing in the engine imports it.
"""

import itertools
from collections import deque
from dataclasses import dataclass

from .bounds import best_path
from .graph import Graph, GraphError, topological
from .validation import Report, validate

BOX_W, BOX_H = 150, 54
COL_W, ROW_H = 210, 78
MARGIN = 20
KIND_NAMES = {
    "scene": "Scene",
    "ask": "Ask",
    "recognise": "Recognise",
    "decide": "Decide",
    "identify": "Identify",
    "screen": "Screen",
    "ending": "Ending",
}


@dataclass(frozen=True)
class Box:
    id: str
    kind: str
    kind_name: str
    label: str
    x: int
    y: int
    best: bool
    problem: bool
    start: bool
    outcome: str

    @property
    def cx(self) -> int:
        return self.x + BOX_W // 2

    @property
    def cy(self) -> int:
        return self.y + BOX_H // 2

    @property
    def shape(self) -> str:
        """Points of the outline, for the kinds drawn as polygons (others are rects/ellipses)."""
        x, y, w, h = self.x, self.y, BOX_W, BOX_H
        if self.kind == "decide":
            return f"{x + w / 2},{y} {x + w},{y + h / 2} {x + w / 2},{y + h} {x},{y + h / 2}"
        if self.kind == "recognise":
            return (
                f"{x + 12},{y} {x + w - 12},{y} {x + w},{y + h / 2} "
                f"{x + w - 12},{y + h} {x + 12},{y + h} {x},{y + h / 2}"
            )
        if self.kind == "screen":
            return f"{x + 14},{y} {x + w},{y} {x + w - 14},{y + h} {x},{y + h}"
        if self.kind == "identify":
            c = 10
            return (
                f"{x + c},{y} {x + w - c},{y} {x + w},{y + c} {x + w},{y + h - c} "
                f"{x + w - c},{y + h} {x + c},{y + h} {x},{y + h - c} {x},{y + c}"
            )
        return ""


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    path: str
    best: bool
    broken: bool


@dataclass(frozen=True)
class Diagram:
    boxes: tuple[Box, ...]
    edges: tuple[Edge, ...]
    width: int
    height: int


def _columns(graph: Graph) -> dict[str, int]:
    try:
        order = topological(graph)
    except GraphError:
        order = None
    column: dict[str, int] = {}
    if order is not None:
        for node in reversed(order):  # the start first
            column.setdefault(node.id, 0)
            for target in node.targets():
                column[target] = max(column.get(target, 0), column[node.id] + 1)
    else:
        start = graph.start or (graph.nodes[0] if graph.nodes else None)
        if start is not None:
            column[start.id] = 0
            queue = deque([start.id])
            while queue:
                node = graph[queue.popleft()]
                for target in node.targets():
                    if graph.get(target) is not None and target not in column:
                        column[target] = column[node.id] + 1
                        queue.append(target)
    last = max(column.values(), default=-1) + 1
    for node in graph.nodes:
        column.setdefault(node.id, last)
    return column


def layout(graph: Graph, report: Report | None = None) -> Diagram:
    report = report or validate(graph)
    problem_nodes = {p.node for p in report.errors if p.node}
    best_nodes: set[str] = set()
    best_edges: set[tuple[str, str]] = set()
    if report.ok:
        path = [node_id for node_id, _ in best_path(graph)]
        best_nodes = set(path)
        best_edges = set(itertools.pairwise(path))
    column = _columns(graph)
    rows: dict[int, int] = {}
    boxes: dict[str, Box] = {}
    for node in graph.nodes:
        if node.id in boxes:
            continue  # a duplicate id: drawn once, reported by validation
        col = column[node.id]
        row = rows.get(col, 0)
        rows[col] = row + 1
        label = node.id if len(node.id) <= 22 else node.id[:21] + "…"
        boxes[node.id] = Box(
            id=node.id,
            kind=node.kind,
            kind_name=KIND_NAMES.get(node.kind, node.kind),
            label=label,
            x=MARGIN + col * COL_W,
            y=MARGIN + row * ROW_H,
            best=node.id in best_nodes,
            problem=node.id in problem_nodes,
            start=node.start,
            outcome=node.outcome,
        )
    edges = []
    for node in graph.nodes:
        source = boxes[node.id]
        for target in node.targets():
            box = boxes.get(target)
            if box is None:
                continue
            x1, y1 = source.x + BOX_W, source.cy
            x2, y2 = box.x, box.cy
            if x2 <= x1:  # a backward edge (a loop): route it below the boxes
                low = max(source.y, box.y) + BOX_H + 12
                path = f"M{x1},{y1} C{x1 + 40},{low} {x2 - 40},{low} {x2},{y2}"
            else:
                mid = (x1 + x2) / 2
                path = f"M{x1},{y1} C{mid},{y1} {mid},{y2} {x2},{y2}"
            edges.append(
                Edge(
                    node.id,
                    target,
                    path,
                    (node.id, target) in best_edges,
                    node.id in problem_nodes,
                )
            )
    width = MARGIN * 2 + (max(column.values(), default=0) + 1) * COL_W - (COL_W - BOX_W)
    height = MARGIN * 2 + max(rows.values(), default=1) * ROW_H - (ROW_H - BOX_H)
    # Best-path edges last, so they are drawn on top.
    edges.sort(key=lambda e: e.best)
    return Diagram(tuple(boxes.values()), tuple(edges), width, height)

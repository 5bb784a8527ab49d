"""Routes through one case: how many plays reached each node, what was chosen at each node,
where unfinished plays stopped, the commonest routes that were not the best one, and the score
per element against the best and worst the case allows. Grouped queries only, as many
whatever the number of plays, nodes and elements."""

from collections import Counter, defaultdict
from dataclasses import dataclass

from django.db.models import Count, Exists, FloatField, OuterRef, Q, StringAgg, Subquery, Sum
from django.db.models import Value as V
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast, Coalesce

from cases import engine
from cases.engine import diagram
from cases.models import CaseVignettePage, VignetteAttempt, VignetteStep
from cases.services import graph_of_page
from competencies.selectors import element_names

ROUTE_SEPARATOR = ">"
TOP_ROUTES = 5


@dataclass(frozen=True)
class NodeRow:
    id: str
    kind: str
    title: str
    reached: int
    stopped: int  # unfinished plays waiting on this node
    options: tuple[tuple[str, int], ...]  # (label, how many plays chose it)


@dataclass(frozen=True)
class ElementRow:
    code: str
    name: str
    worst: float
    best: float
    mean: float | None
    spread: tuple[tuple[float, int], ...]  # (score, how many finished plays)


@dataclass(frozen=True)
class CaseRoutes:
    case: CaseVignettePage
    first_only: bool
    plays: int
    finished: int
    nodes: tuple[NodeRow, ...]
    edges: dict[tuple[str, str], int]
    other_routes: tuple[tuple[tuple[str, ...], int], ...]
    best_route: tuple[str, ...]
    elements: tuple[ElementRow, ...]
    drawing: diagram.Diagram


def _plays(case: CaseVignettePage, *, first_only: bool):
    plays = VignetteAttempt.objects.filter(vignette=case)
    if first_only:
        first = (
            VignetteAttempt.objects.filter(vignette=case, trainee=OuterRef("trainee"))
            .order_by("started_at", "pk")
            .values("pk")[:1]
        )
        plays = plays.filter(pk=Subquery(first))
    return plays


def case_routes(case: CaseVignettePage, *, first_only: bool = True) -> CaseRoutes:
    """The whole report in three queries on the plays whatever the number of plays, nodes and
    elements: the counts per node, the moves and choices, and the finished plays' routes and
    totals per element."""
    graph = graph_of_page(case)  # the live case
    plays = _plays(case, first_only=first_only)
    finished_status = VignetteAttempt.Status.FINISHED
    counts = _counts_per_node(graph, plays, finished_status)
    # Every play starts on the start node; any other node is reached by moving into it.
    if graph.start is not None:
        counts[f"reached_{graph.start.id}"] = counts["plays"]
    edges: Counter = Counter()
    picks: dict[str, Counter] = defaultdict(Counter)
    steps = VignetteStep.objects.filter(attempt__in=plays.values("pk"))
    moves = steps.values("node", "next_node", "choices").annotate(n=Count("pk")).order_by()
    for row in moves:
        edges[row["node"], row["next_node"]] += row["n"]
        for choice in set(row["choices"] or []):
            picks[row["node"]][choice] += row["n"]
    sound = _sound(graph)
    best = tuple(node for node, _ in engine.best_path(graph)) if sound else ()
    routes, spreads = _finished(graph, plays.filter(status=finished_status), sound)
    nodes = tuple(
        NodeRow(
            id=node.id,
            kind=node.kind,
            title=node.title,
            reached=counts.get(f"reached_{node.id}", 0),
            stopped=counts.get(f"stopped_{node.id}", 0),
            options=tuple((o.label or o.id, picks[node.id][o.id]) for o in node.options),
        )
        for node in graph.nodes
    )
    return CaseRoutes(
        case=case,
        first_only=first_only,
        plays=counts["plays"],
        finished=counts["finished"],
        nodes=nodes,
        edges=dict(edges),
        other_routes=_other_routes(graph, routes, best) if best else (),
        best_route=best,
        elements=_elements(graph, spreads) if sound else (),
        drawing=diagram.layout(graph),
    )


def _counts_per_node(graph: engine.Graph, plays, finished_status) -> dict:
    """One query: the plays, the finished ones, and per node the plays that moved into it
    (``reached_<node>``) and the unfinished plays waiting on it (``stopped_<node>``)."""
    per_node = {}
    for node in graph.nodes:
        moved_in = VignetteStep.objects.filter(attempt=OuterRef("pk"), next_node=node.id)
        per_node[f"reached_{node.id}"] = Count("pk", filter=Q(Exists(moved_in)))
        per_node[f"stopped_{node.id}"] = Count(
            "pk", filter=Q(node=node.id) & ~Q(status=finished_status)
        )
    return plays.aggregate(
        plays=Count("pk"), finished=Count("pk", filter=Q(status=finished_status)), **per_node
    )


def _sound(graph: engine.Graph) -> bool:
    return engine.validate(graph).ok


def _finished(graph: engine.Graph, finished, sound: bool) -> tuple[Counter, dict[str, Counter]]:
    """One grouped query over the finished plays: how many took each route (the nodes they
    answered, in no order: SQLite cannot order inside an aggregate) and, per element the case
    assesses, how many reached each total."""
    if not sound:
        return Counter(), {}
    codes = list(engine.score_bounds(graph))
    route = Subquery(
        VignetteStep.objects.filter(attempt=OuterRef("pk"))
        .values("attempt")
        .annotate(r=StringAgg("node", delimiter=V(ROUTE_SEPARATOR)))
        .values("r")[:1]
    )
    totals = {
        f"total_{n}": Coalesce(
            Subquery(
                VignetteStep.objects.filter(attempt=OuterRef("pk"))
                .values("attempt")
                .annotate(s=Sum(Cast(KeyTextTransform(code, "scores"), FloatField())))
                .values("s")[:1],
                output_field=FloatField(),
            ),
            V(0.0),
        )
        for n, code in enumerate(codes)
    }
    routes: Counter = Counter()
    spreads: dict[str, Counter] = {code: Counter() for code in codes}
    grouped = finished.annotate(route=route, **totals).values("route", *totals)
    for row in grouped.annotate(n=Count("pk")).order_by():
        routes[row["route"] or ""] += row["n"]
        for n, code in enumerate(codes):
            spreads[code][round(row[f"total_{n}"], 2)] += row["n"]
    return routes, spreads


def _other_routes(graph: engine.Graph, routes: Counter, best: tuple[str, ...]):
    """The commonest complete routes that are not the best one (nodes in order). A case is a
    directed acyclic graph, so the nodes a play answered fix its route: they are put in story
    order here."""
    order = {node.id: n for n, node in enumerate(reversed(engine.topological(graph)))}
    ordered: Counter = Counter()
    for route, n in routes.items():
        nodes = route.split(ROUTE_SEPARATOR)
        ordered[tuple(sorted(nodes, key=lambda node: order.get(node, len(order))))] += n
    best_steps = best[:-1]  # the ending writes no step
    others = [(nodes, n) for nodes, n in ordered.most_common() if nodes != best_steps]
    return tuple(others[:TOP_ROUTES])


def _elements(graph: engine.Graph, spreads: dict[str, Counter]) -> tuple[ElementRow, ...]:
    """Per element: the spread of finished plays' totals against the case's bounds."""
    names = element_names()
    rows = []
    for code, bounds in engine.score_bounds(graph).items():
        spread = spreads[code]
        n = sum(spread.values())
        mean = sum(score * c for score, c in spread.items()) / n if n else None
        rows.append(
            ElementRow(
                code,
                names.get(code, code),
                bounds.worst,
                bounds.best,
                mean,
                tuple(sorted(spread.items())),
            )
        )
    return tuple(rows)


def cases_with_plays() -> list[dict]:
    """Every case with how many trainees played it and how many plays were finished."""
    return list(
        CaseVignettePage.objects.order_by("path")
        .annotate(
            plays_n=Count("attempts"),
            trainees_n=Count("attempts__trainee", distinct=True),
            finished_n=Count(
                "attempts", filter=Q(attempts__status=VignetteAttempt.Status.FINISHED)
            ),
        )
        .values("pk", "title", "plays_n", "trainees_n", "finished_n")
    )

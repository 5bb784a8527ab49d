"""Routes through one case: how many plays reached each node, what was chosen at each node,
where unfinished plays stopped, the commonest routes that were not the best one, and the score
per element against the best and worst the case allows. Grouped queries only."""

from collections import Counter, defaultdict
from dataclasses import dataclass

from django.db.models import Count, FloatField, OuterRef, Q, StringAgg, Subquery, Sum
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
    graph = graph_of_page(case)  # the live case
    plays = _plays(case, first_only=first_only)
    steps = VignetteStep.objects.filter(attempt__in=plays.values("pk"))
    finished_status = VignetteAttempt.Status.FINISHED
    counts = plays.aggregate(
        plays=Count("pk"), finished=Count("pk", filter=Q(status=finished_status))
    )
    # Every play starts on the start node; any other node is reached by moving into it.
    reached = dict(
        steps.values("next_node")
        .annotate(n=Count("attempt", distinct=True))
        .values_list("next_node", "n")
    )
    if graph.start is not None:
        reached[graph.start.id] = counts["plays"]
    stopped = dict(
        plays.exclude(status=finished_status)
        .values("node")
        .annotate(n=Count("pk"))
        .values_list("node", "n")
    )
    edges = {
        (row["node"], row["next_node"]): row["n"]
        for row in steps.values("node", "next_node").annotate(n=Count("pk"))
    }
    picks: dict[str, Counter] = defaultdict(Counter)
    for row in steps.values("node", "choices").annotate(n=Count("pk")):
        for choice in set(row["choices"] or []):
            picks[row["node"]][choice] += row["n"]
    best = tuple(node for node, _ in engine.best_path(graph)) if _sound(graph) else ()
    nodes = tuple(
        NodeRow(
            id=node.id,
            kind=node.kind,
            title=node.title,
            reached=reached.get(node.id, 0),
            stopped=stopped.get(node.id, 0),
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
        edges=edges,
        other_routes=(
            _other_routes(graph, plays.filter(status=finished_status), best) if best else ()
        ),
        best_route=best,
        elements=_elements(graph, plays.filter(status=finished_status)),
        drawing=diagram.layout(graph),
    )


def _sound(graph: engine.Graph) -> bool:
    return engine.validate(graph).ok


def _other_routes(graph: engine.Graph, finished, best: tuple[str, ...]):
    """The commonest complete routes that are not the best one (nodes in order). A case is a
    directed acyclic graph, so the nodes a play answered fix its route: they are put in story
    order here (SQLite cannot order inside an aggregate)."""
    route = Subquery(
        VignetteStep.objects.filter(attempt=OuterRef("pk"))
        .values("attempt")
        .annotate(r=StringAgg("node", delimiter=V(ROUTE_SEPARATOR)))
        .values("r")[:1]
    )
    order = {node.id: n for n, node in enumerate(reversed(engine.topological(graph)))}
    routes: Counter = Counter()
    for row in finished.annotate(route=route).values("route").annotate(n=Count("pk")):
        nodes = (row["route"] or "").split(ROUTE_SEPARATOR)
        routes[tuple(sorted(nodes, key=lambda node: order.get(node, len(order))))] += row["n"]
    best_steps = best[:-1]  # the ending writes no step
    others = [(nodes, n) for nodes, n in routes.most_common() if nodes != best_steps]
    return tuple(others[:TOP_ROUTES])


def _elements(graph: engine.Graph, finished) -> tuple[ElementRow, ...]:
    """Per element: the spread of finished plays' totals against the case's bounds (one
    grouped query per element the case assesses)."""
    if not _sound(graph):
        return ()
    names = element_names()
    rows = []
    for code, bounds in engine.score_bounds(graph).items():
        total = Subquery(
            VignetteStep.objects.filter(attempt=OuterRef("pk"))
            .values("attempt")
            .annotate(s=Sum(Cast(KeyTextTransform(code, "scores"), FloatField())))
            .values("s")[:1],
            output_field=FloatField(),
        )
        spread = Counter()
        grouped = finished.annotate(total=Coalesce(total, V(0.0))).values("total")
        for row in grouped.annotate(n=Count("pk")):
            spread[round(row["total"], 2)] += row["n"]
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

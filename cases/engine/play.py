"""Playing a vignette: a trainee's place in it (``State``), one answer (``Response``), and
``advance``, which scores one legal step and says where the story goes next.

Called by ``cases.services`` when a step is recorded, and by scripted play in the demo data and
the benchmarks. Imports ``graph``.
"""

from __future__ import annotations

from dataclasses import dataclass

from assessments.engine import scoring
from assessments.engine.instruments import RISK_MESSAGE, SPECS, InstrumentError

from .graph import SELECT_KINDS, Graph, GraphError, Node, Option


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


def _select_points(node: Node, element: str, choices: tuple[str, ...]) -> float:
    """What a pick on an ask, recognise or identify node earns for ``element``: identify by
    ``scoring.rated_selection`` (helpful picks earn, harmful and neutral picks cost), the others
    by ``scoring.selection`` over the options credited to the element (``Node.credited``)."""
    options = node.credited(element)
    offered = [o.id for o in options]
    if node.kind == "identify":
        fraction = scoring.rated_selection(
            choices,
            helpful=[o.id for o in options if o.correct],
            harmful=[o.id for o in options if o.harmful],
            offered=offered,
        )
    else:
        fraction = scoring.selection(choices, [o.id for o in options if o.correct], offered)
    return scoring.scaled(fraction, float(node.points)).points


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
        scores = {e: _select_points(node, e, choices) for e in node.select_elements()}
        feedback = tuple(OptionFeedback(o, o.id in choices) for o in node.options)
        return Step(node, State(node.next, state.step + 1), scores, maxima, feedback)

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

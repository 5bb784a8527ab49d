"""The branching-vignette engine. Pure Python: no Django, no Wagtail, no database.

A vignette is a directed acyclic graph of nodes with stable string ids. The engine validates a
graph, computes the best and worst score achievable for each competency element, finds the best
path, advances an attempt one legal step at a time and lays the graph out as a map. Scoring uses
the shared primitives in ``assessments.engine.scoring`` and the instruments in
``assessments.engine.instruments`` (both pure), so quizzes and vignettes score the same rule the
same way.

Modules, each importing only those listed before it (and ``assessments.engine``):

- ``graph``: the constants, ``Option``, ``Node``, ``Graph``, ``GraphError`` and the traversals
  (``reach``, ``cycle_nodes``, ``topological``);
- ``bounds``: ``score_bounds``, ``best_path``, ``best_decision``, ``best_endings``,
  ``longest_path``, ``answers_in_band``;
- ``validation``: ``validate`` and its ``Report`` of ``Problem`` findings (its warnings use
  ``bounds``);
- ``play``: ``State``, ``Response``, ``Step`` and ``advance`` (``graph`` only);
- ``loading``: ``graph_from_data``, from the YAML seed format or the page's StreamField data
  (``graph`` only);
- ``diagram``: the map's layout for the editor and the preview (``graph``, ``bounds``,
  ``validation``); import it as ``from cases.engine import diagram``.

Callers above (``cases.blocks``, ``cases.content``, ``cases.services``, ``cases.selectors``, the
demo data and the benchmarks) use the names re-exported here: ``from cases import engine``, then
``engine.validate(graph)``.

Node kinds and how a step is scored:

- ``scene``: narrative with one way on (``next``); scores nothing.
- ``ask``: pick any of the questions; each right pick earns ``points / |right|`` for each of the
  node's elements, each other pick costs the same, floored at zero (``scoring.selection``).
- ``recognise``: mark the factors present; scored like ``ask`` against the author's key, but
  *recognise psychological* over the psychological factors only and *recognise social* over the
  social ones only (``Node.credited``); an element with no factor of its kind present on the node
  has a maximum of 0 there (``Node.select_elements``).
- ``identify``: pick interventions rated helpful, neutral or harmful; helpful picks earn a share,
  harmful picks cost one, neutral picks (over-treating) cost half a share
  (``scoring.rated_selection``).
- ``decide``: one option; it names its target, its feedback and its score per element.
- ``screen``: record the person's answers to an instrument; ``points`` when they fall in the same
  band as the author's key; the band of the recorded answers chooses the route.
- ``ending``: the outcome; no way on.
"""

from .bounds import (
    Bounds,
    answers_in_band,
    best_decision,
    best_endings,
    best_path,
    longest_path,
    score_bounds,
)
from .graph import (
    DEFAULT_ELEMENTS,
    DEFAULT_POINTS,
    DOMAIN_ELEMENTS,
    KINDS,
    SELECT_KINDS,
    Graph,
    GraphError,
    Node,
    Option,
    cycle_nodes,
    reach,
    topological,
)
from .loading import graph_from_data
from .play import IllegalMove, OptionFeedback, Response, State, Step, advance
from .validation import LONG_PATH, Problem, Report, validate

__all__ = [
    "DEFAULT_ELEMENTS",
    "DEFAULT_POINTS",
    "DOMAIN_ELEMENTS",
    "KINDS",
    "LONG_PATH",
    "SELECT_KINDS",
    "Bounds",
    "Graph",
    "GraphError",
    "IllegalMove",
    "Node",
    "Option",
    "OptionFeedback",
    "Problem",
    "Report",
    "Response",
    "State",
    "Step",
    "advance",
    "answers_in_band",
    "best_decision",
    "best_endings",
    "best_path",
    "cycle_nodes",
    "graph_from_data",
    "longest_path",
    "reach",
    "score_bounds",
    "topological",
    "validate",
]

"""Building a graph from plain data: the YAML seed format and the page's StreamField share one
shape (``cases/content/FORMAT.md``).

Called by ``cases.content`` (seed files), ``cases.blocks`` (the editor's check) and
``cases.services`` (a page's or a revision's graph). Imports ``graph``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from .graph import DEFAULT_POINTS, Graph, Node, Option


def graph_from_data(
    nodes: Sequence[Mapping],
    elements: Sequence[str] = (),
    labels: Mapping[str, str] | None = None,
    kinds: Mapping[str, str] | None = None,
) -> Graph:
    """Build a ``Graph`` from dicts in the format of ``cases/content/FORMAT.md``. The first node
    is the start unless some node says ``start: true``. ``labels`` names factor and intervention
    slugs (the catalogue), so options read as names rather than slugs; ``kinds`` gives each
    factor's kind (psychological or social), which a recognise node credits by."""
    labels = labels or {}
    kinds = kinds or {}
    flagged = any(raw.get("start") for raw in nodes)
    built = []
    for index, raw in enumerate(nodes):
        kind = raw.get("kind", "")
        options = tuple(_option(kind, o, labels, kinds) for o in raw.get("options") or ())
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


def _option(kind: str, raw: Mapping, labels: Mapping[str, str], kinds: Mapping[str, str]) -> Option:
    feedback = raw.get("feedback") or ""
    if kind == "recognise":
        slug = raw.get("factor") or ""
        return Option(
            slug,
            labels.get(slug, slug),
            feedback,
            correct=bool(raw.get("present")),
            domain=kinds.get(slug, ""),
        )
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

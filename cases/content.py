"""The seeded vignettes, read from ``content/vignettes/*.yaml`` (format in ``content/FORMAT.md``),
and the checks every file must pass before it is imported. No database needed."""

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from home.review import ReviewInvalid, review_from_spec

from . import engine

CONTENT = Path(__file__).resolve().parent / "content"
CATALOGUES = Path(__file__).resolve().parent.parent / "competencies" / "content"
MIN_NODES, MAX_NODES = 8, 20
REQUIRED_KINDS = {"ask", "recognise", "identify"}


@dataclass(frozen=True)
class Catalogue:
    elements: frozenset[str]
    settings: frozenset[str]
    factors: dict[str, str]
    interventions: dict[str, str]
    factor_kinds: dict[str, str]

    @property
    def labels(self) -> dict[str, str]:
        return {**self.factors, **self.interventions}


@cache
def catalogue() -> Catalogue:
    def load(name):
        return yaml.safe_load((CATALOGUES / name).read_text(encoding="utf-8"))

    return Catalogue(
        frozenset(e["code"] for e in load("elements.yaml")),
        frozenset(s["slug"] for s in load("settings.yaml")),
        {f["slug"]: f["name"] for f in load("factors.yaml")},
        {i["slug"]: i["name"] for i in load("interventions.yaml")},
        {f["slug"]: f["kind"] for f in load("factors.yaml")},
    )


def vignette_files() -> list[Path]:
    return sorted((CONTENT / "vignettes").glob("*.yaml"))


def load(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def graph_of(spec: dict) -> engine.Graph:
    cat = catalogue()
    return engine.graph_from_data(
        spec.get("nodes") or [], spec.get("elements") or (), cat.labels, cat.factor_kinds
    )


def problems(spec: dict) -> tuple[list[str], list[str]]:
    """(errors, warnings) for one vignette spec: the engine's validation plus the seed rules
    (catalogue slugs, size, node kinds)."""
    cat = catalogue()
    errors: list[str] = []
    for field in ("title", "slug", "setting", "summary", "nodes", "learning_points"):
        if not spec.get(field):
            errors.append(f"missing {field}")
    try:
        review_from_spec(spec, "review")
    except ReviewInvalid as exc:
        errors.append(str(exc).removeprefix("review: "))
    if spec.get("setting") and spec["setting"] not in cat.settings:
        errors.append(f"unknown setting {spec['setting']}")
    if spec.get("difficulty") not in ("foundation", "intermediate", "advanced"):
        errors.append("difficulty must be foundation, intermediate or advanced")
    for element in spec.get("elements") or ():
        if element not in cat.elements:
            errors.append(f"unknown element {element}")
    nodes = spec.get("nodes") or []
    if not MIN_NODES <= len(nodes) <= MAX_NODES:
        errors.append(f"{len(nodes)} nodes; a seeded vignette has {MIN_NODES}-{MAX_NODES}")
    kinds = {n.get("kind") for n in nodes}
    if missing := REQUIRED_KINDS - kinds:
        errors.append("no " + ", ".join(sorted(missing)) + " node")
    for node in nodes:
        for element in node.get("elements") or ():
            if element not in cat.elements:
                errors.append(f"{node.get('id')}: unknown element {element}")
        for option in node.get("options") or ():
            for element in option.get("scores") or {}:
                if element not in cat.elements:
                    errors.append(f"{node.get('id')}: unknown element {element}")
            if "factor" in option and option["factor"] not in cat.factors:
                errors.append(f"{node.get('id')}: unknown factor {option['factor']}")
            if "intervention" in option and option["intervention"] not in cat.interventions:
                errors.append(f"{node.get('id')}: unknown intervention {option['intervention']}")
            if node.get("kind") in ("ask", "recognise", "identify") and not option.get("feedback"):
                errors.append(f"{node.get('id')}: an option has no feedback")
        if node.get("kind") == "ending" and not node.get("body"):
            errors.append(f"{node.get('id')}: an ending needs a debrief")
    report = engine.validate(graph_of(spec))
    errors += [str(p) for p in report.errors]
    return errors, [str(p) for p in report.warnings]

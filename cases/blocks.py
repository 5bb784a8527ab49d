"""The node blocks of a vignette, and the conversion from stored StreamField data to the plain
dicts that ``engine.graph_from_data`` reads (the same shape as the YAML seed format).

Validation of the whole graph happens in ``NodesBlock.clean``: the engine's errors are shown next
to the node they concern and block saving; a blank node id is filled with a suggestion first.
"""

import re

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from wagtail import blocks
from wagtail.blocks.stream_block import StreamBlockValidationError

from assessments.engine.instruments import SPECS
from competencies.selectors import element_choices, factor_choices, intervention_choices

from . import engine

NODE_ID = RegexValidator(
    r"^[a-z0-9][a-z0-9-]{0,29}$",
    "Use up to 30 lowercase letters, digits and hyphens, starting with a letter or digit.",
)
ALL_BANDS = list(dict.fromkeys(band for spec in SPECS.values() for band in spec.bands))


def target_block(label="Next node id", required=True):
    return blocks.CharBlock(
        label=label,
        required=required,
        max_length=30,
        help_text="The id of a node in this vignette. Checked when you save.",
    )


class NodeBlock(blocks.StructBlock):
    node_id = blocks.CharBlock(
        label="Node id",
        required=False,
        max_length=30,
        validators=[NODE_ID],
        help_text="Short and stable; leave blank and one is suggested when you save. "
        "Do not rename a node once trainees have played the vignette.",
    )
    title = blocks.CharBlock(required=False, max_length=120)
    body = blocks.TextBlock(help_text="Markdown.", required=False)


def elements_block(default_help):
    return blocks.MultipleChoiceBlock(
        choices=element_choices,
        required=False,
        help_text=f"Elements this step scores. {default_help}",
    )


class SceneBlock(NodeBlock):
    next = target_block()

    class Meta:
        icon = "doc-full"
        label = "Scene"


class AskOptionBlock(blocks.StructBlock):
    option_id = blocks.CharBlock(max_length=30, validators=[NODE_ID], label="Option id")
    label = blocks.CharBlock(max_length=300, help_text="The question, in the clinician's words.")
    answer = blocks.TextBlock(help_text="What the person says.")
    relevant = blocks.BooleanBlock(
        required=False, help_text="A question that serves the person here."
    )
    feedback = blocks.TextBlock()


class AskBlock(NodeBlock):
    points = blocks.FloatBlock(default=2, min_value=0.5, max_value=10)
    elements = elements_block("Blank: elicit.")
    options = blocks.ListBlock(AskOptionBlock(), min_num=1)
    next = target_block()

    class Meta:
        icon = "help"
        label = "Ask"


class RecogniseOptionBlock(blocks.StructBlock):
    factor = blocks.ChoiceBlock(choices=factor_choices)
    present = blocks.BooleanBlock(required=False)
    feedback = blocks.TextBlock()


class RecogniseBlock(NodeBlock):
    points = blocks.FloatBlock(default=2, min_value=0.5, max_value=10)
    elements = elements_block("Blank: recognise psychological and social factors.")
    options = blocks.ListBlock(RecogniseOptionBlock(), min_num=1)
    next = target_block()

    class Meta:
        icon = "view"
        label = "Recognise"


class ScoreBlock(blocks.StructBlock):
    element = blocks.ChoiceBlock(choices=element_choices)
    points = blocks.FloatBlock(min_value=0, max_value=10)


class DecideOptionBlock(blocks.StructBlock):
    option_id = blocks.CharBlock(max_length=30, validators=[NODE_ID], label="Option id")
    # A decision is often a whole plan with several parts (who to refer to, what to agree, when
    # to review), and the trainee has to see those parts to tell a matched plan from a near miss:
    # the seeded cases' plans run to about 420 characters.
    label = blocks.CharBlock(
        max_length=500,
        help_text="The choice as the trainee reads it. A plan with several parts may need a few "
        "sentences; keep it under 500 characters.",
    )
    target = target_block("Goes to node id")
    feedback = blocks.TextBlock()
    scores = blocks.ListBlock(ScoreBlock(), required=False, min_num=0)


class DecideBlock(NodeBlock):
    options = blocks.ListBlock(DecideOptionBlock(), min_num=1)

    class Meta:
        icon = "site"
        label = "Decide"


class IdentifyOptionBlock(blocks.StructBlock):
    intervention = blocks.ChoiceBlock(choices=intervention_choices)
    rating = blocks.ChoiceBlock(
        choices=[("helpful", "Helpful"), ("neutral", "Neutral"), ("harmful", "Harmful")]
    )
    feedback = blocks.TextBlock()


class IdentifyBlock(NodeBlock):
    points = blocks.FloatBlock(default=2, min_value=0.5, max_value=10)
    elements = elements_block("Blank: identify.")
    options = blocks.ListBlock(IdentifyOptionBlock(), min_num=1)
    next = target_block()

    class Meta:
        icon = "tick"
        label = "Identify"


class RouteBlock(blocks.StructBlock):
    band = blocks.ChoiceBlock(choices=[(b, b.capitalize()) for b in ALL_BANDS])
    target = target_block("Goes to node id")


class ScreenBlock(NodeBlock):
    instrument = blocks.ChoiceBlock(choices=[(k, s.name) for k, s in SPECS.items()])
    key = blocks.CharBlock(
        max_length=60,
        help_text="The person's answers, in item order, separated by commas "
        "(e.g. 2,2,1,2,1,1,1,0,0).",
    )
    points = blocks.FloatBlock(default=2, min_value=0.5, max_value=10)
    elements = elements_block("Blank: recognise psychological factors.")
    routes = blocks.ListBlock(RouteBlock(), min_num=1, help_text="One route per band.")

    class Meta:
        icon = "list-ol"
        label = "Screen"


class EndingBlock(NodeBlock):
    outcome = blocks.ChoiceBlock(
        choices=[("good", "Good"), ("mixed", "Mixed"), ("poor", "Poor")], default="mixed"
    )

    class Meta:
        icon = "flag"
        label = "Ending"


class NodesBlock(blocks.StreamBlock):
    scene = SceneBlock()
    ask = AskBlock()
    recognise = RecogniseBlock()
    decide = DecideBlock()
    identify = IdentifyBlock()
    screen = ScreenBlock()
    ending = EndingBlock()

    class Meta:
        block_counts = {"ending": {"min_num": 1}}

    def clean(self, value):
        value = super().clean(value)
        used = {child.value.get("node_id") for child in value if child.value.get("node_id")}
        for index, child in enumerate(value):
            if not child.value.get("node_id"):
                child.value["node_id"] = suggest_id(child.block_type, index, used)
                used.add(child.value["node_id"])
        graph = engine.graph_from_data(node_dicts(raw_of(value)))
        report = engine.validate(graph)
        if report.ok:
            return value
        position = {child.value["node_id"]: i for i, child in enumerate(value)}
        block_errors: dict[int, list[str]] = {}
        general = []
        for problem in report.errors:
            if problem.node in position:
                block_errors.setdefault(position[problem.node], []).append(problem.message)
            else:
                general.append(ValidationError(problem.message))
        raise StreamBlockValidationError(
            block_errors={
                i: blocks.StructBlockValidationError(
                    non_block_errors=[ValidationError(m) for m in messages]
                )
                for i, messages in block_errors.items()
            },
            non_block_errors=general,
        )


def suggest_id(kind: str, index: int, used: set[str]) -> str:
    """A short readable id for a new node: its kind and position, made unique."""
    base = f"{kind}-{index + 1}"
    candidate, n = base, 1
    while candidate in used:
        n += 1
        candidate = f"{base}-{n}"
    return candidate


# --- Stored data -> plain dicts ------------------------------------------------------------


def raw_of(stream_value) -> list[dict]:
    """The JSON-ready form of a StreamValue (works on unsaved, cleaned values too)."""
    return stream_value.stream_block.get_prep_value(stream_value)


def _items(value) -> list[dict]:
    """ListBlock data is stored either as plain values or as ``{"type": "item", "value": ...}``."""
    out = []
    for item in value or ():
        if isinstance(item, dict) and item.get("type") == "item" and "value" in item:
            out.append(item["value"])
        else:
            out.append(item)
    return out


def _key(text) -> list[int]:
    if isinstance(text, list):
        return text
    try:
        return [int(part) for part in re.split(r"[,\s]+", str(text or "").strip()) if part]
    except ValueError:
        return [-1]  # the engine reports it as not a valid answer set


def node_dicts(raw: list[dict]) -> list[dict]:
    """Raw StreamField data (as stored in a page or a revision) -> FORMAT.md-shaped node dicts."""
    nodes = []
    for block in raw or ():
        kind = block.get("type")
        value = block.get("value") or {}
        node = {
            "id": (value.get("node_id") or "").strip(),
            "kind": kind,
            "title": value.get("title") or "",
            "body": value.get("body") or "",
            "next": value.get("next"),
            "points": value.get("points"),
            "elements": list(value.get("elements") or ()),
            "outcome": value.get("outcome") or "",
        }
        options = []
        for option in _items(value.get("options")):
            option = dict(option)
            if "option_id" in option:
                option["id"] = option.pop("option_id")
            if "scores" in option:
                option["scores"] = {
                    s["element"]: float(s.get("points") or 0)
                    for s in _items(option["scores"])
                    if s.get("element")
                }
            options.append(option)
        node["options"] = options
        if kind == "screen":
            node["instrument"] = value.get("instrument")
            node["key"] = _key(value.get("key"))
            node["routes"] = {r.get("band"): r.get("target") for r in _items(value.get("routes"))}
        nodes.append(node)
    return nodes


def stream_data(nodes: list[dict]) -> list[dict]:
    """FORMAT.md node dicts -> StreamField data (the YAML importer's direction)."""
    out = []
    for node in nodes:
        kind = node["kind"]
        value = {
            "node_id": node["id"],
            "title": node.get("title") or "",
            "body": (node.get("body") or "").strip(),
        }
        if kind in ("scene", "ask", "recognise", "identify"):
            value["next"] = node.get("next") or ""
        if kind in ("ask", "recognise", "identify", "screen"):
            value["points"] = float(node.get("points") or engine.DEFAULT_POINTS)
            value["elements"] = list(node.get("elements") or ())
        if kind == "ask":
            value["options"] = [
                {
                    "option_id": o["id"],
                    "label": o["label"],
                    "answer": o.get("answer", ""),
                    "relevant": bool(o.get("relevant")),
                    "feedback": o.get("feedback", ""),
                }
                for o in node["options"]
            ]
        elif kind == "recognise":
            value["options"] = [
                {
                    "factor": o["factor"],
                    "present": bool(o.get("present")),
                    "feedback": o["feedback"],
                }
                for o in node["options"]
            ]
        elif kind == "identify":
            value["options"] = [
                {
                    "intervention": o["intervention"],
                    "rating": o["rating"],
                    "feedback": o["feedback"],
                }
                for o in node["options"]
            ]
        elif kind == "decide":
            value["options"] = [
                {
                    "option_id": o["id"],
                    "label": o["label"],
                    "target": o["target"],
                    "feedback": o.get("feedback", ""),
                    "scores": [
                        {"element": e, "points": float(p)}
                        for e, p in (o.get("scores") or {}).items()
                    ],
                }
                for o in node["options"]
            ]
        elif kind == "screen":
            value["instrument"] = node["instrument"]
            value["key"] = ",".join(str(v) for v in node["key"])
            value["routes"] = [{"band": b, "target": t} for b, t in node["routes"].items()]
        elif kind == "ending":
            value["outcome"] = node.get("outcome") or "mixed"
        out.append({"type": kind, "value": value})
    return out

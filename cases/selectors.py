"""Read-side queries for vignettes. Every function returns plain data for a template, and what it
returns about an unanswered node never includes a key, a score, a target or feedback."""

from django.db.models import Count, Q
from django.http import Http404

from assessments.engine import delivery
from assessments.engine.instruments import RISK_MESSAGE, SPECS
from competencies.selectors import element_names

from . import engine
from .engine import diagram
from .models import CaseVignettePage, VignetteAttempt, VignetteStep
from .services import graph_of_attempt, graph_of_page, revision_content


def case_index(*, index_page, user) -> dict:
    vignettes = list(
        CaseVignettePage.objects.live()
        .child_of(index_page)
        .select_related("setting")
        .prefetch_related("elements")
        .order_by("path")
    )
    status: dict[int, dict] = {}
    if user.is_authenticated:
        rows = (
            VignetteAttempt.objects.filter(trainee=user, vignette__in=vignettes)
            .values("vignette_id")
            .annotate(
                finished=Count("id", filter=Q(status=VignetteAttempt.Status.FINISHED)),
                open=Count("id", filter=Q(status=VignetteAttempt.Status.IN_PROGRESS)),
            )
        )
        status = {row["vignette_id"]: row for row in rows}
    settings = sorted({v.setting.name for v in vignettes if v.setting})
    return {
        "vignettes": [
            {
                "page": v,
                "finished": status.get(v.pk, {}).get("finished", 0),
                "in_progress": bool(status.get(v.pk, {}).get("open")),
            }
            for v in vignettes
        ],
        "setting_names": settings,
    }


def vignette_overview(*, page: CaseVignettePage, user) -> dict:
    attempts = []
    if user.is_authenticated:
        attempts = list(VignetteAttempt.objects.filter(trainee=user, vignette=page))
    open_attempt = next((a for a in attempts if a.is_open), None)
    finished = [a for a in attempts if not a.is_open]
    totals = attempt_totals([a.pk for a in finished])
    return {
        "open_attempt": open_attempt,
        "finished_attempts": [{"attempt": a, **totals.get(a.pk, {})} for a in finished],
        "page_elements": list(page.elements.all()),
    }


def attempt_totals(attempt_ids) -> dict[int, dict]:
    """Score and maximum over all elements, per attempt, from the stored steps."""
    steps = VignetteStep.objects.filter(attempt_id__in=attempt_ids)
    return step_totals(steps.values_list("attempt_id", "scores", "maxima"))


def step_totals(steps) -> dict[int, dict]:
    """``attempt_totals`` from (attempt id, scores, maxima) rows of the attempts' steps."""
    out: dict[int, dict] = {}
    for attempt_id, scores, maxima in steps:
        row = out.setdefault(attempt_id, {"score": 0.0, "max_score": 0.0})
        row["score"] += sum(scores.values())
        row["max_score"] += sum(maxima.values())
    for row in out.values():
        row["percent"] = round(100 * row["score"] / row["max_score"]) if row["max_score"] else None
    return out


def attempt_for(*, user, page: CaseVignettePage, attempt_id: int) -> VignetteAttempt:
    """The person's own attempt at this vignette, or 404 (another trainee's included)."""
    attempt = VignetteAttempt.objects.filter(
        pk=attempt_id, vignette=page, trainee_id=getattr(user, "pk", None)
    ).first()
    if attempt is None:
        raise Http404("No such attempt.")
    return attempt


def play_view_options(node: engine.Node, secret: str) -> list[dict]:
    """The node's options in the order drawn for this attempt, each with the opaque value the
    form carries for it (``assessments.engine.delivery``): the author's order (often the right
    answers first) and option ids (``skip-check``) give nothing away."""
    by_id = {o.id: o for o in node.options}
    return [
        {"value": delivery.token(secret, node.id, option_id), "label": by_id[option_id].label}
        for option_id in delivery.order(secret, node.id, by_id)
    ]


def play_view(*, attempt: VignetteAttempt) -> dict:
    """The node the trainee is on, as the page needs it, with nothing that gives the answer."""
    graph = graph_of_attempt(attempt)
    node = graph[attempt.node]
    options = play_view_options(node, attempt.secret)
    instrument = None
    if node.kind == "screen":
        spec = SPECS[node.instrument]
        instrument = {
            "name": spec.name,
            "period": spec.period,
            "items": spec.rows(),
        }
    path_length = len(engine.best_path(graph))
    return {
        "node": {"id": node.id, "kind": node.kind, "title": node.title, "body": node.body},
        "options": options,
        "instrument": instrument,
        # One template per kind fills the answer part of the form: its fields, legend and button.
        "node_template": f"cases/nodes/{node.kind}.html",
        "step_number": attempt.seq + 1,
        "typical_steps": path_length - 1,
    }


def feedback_view(*, attempt: VignetteAttempt, seq: int) -> dict:
    """What the trainee may see after answering step ``seq``: now the feedback can be shown."""
    step = VignetteStep.objects.filter(attempt=attempt, seq=seq).first()
    if step is None or step.kind == "scene":
        raise Http404("No feedback for that step.")
    graph = graph_of_attempt(attempt)
    node = graph[step.node]
    chosen = set(step.choices)
    options = []
    for option in node.options:
        if node.kind == "decide" and option.id not in chosen:
            continue  # other roads stay untravelled until the debrief
        options.append(
            {
                "label": option.label,
                "chosen": option.id in chosen,
                "right": option.correct,
                "harmful": option.harmful,
                "answer": option.answer if option.id in chosen else "",
                "feedback": option.feedback,
            }
        )
    result = None
    if node.kind == "screen":
        spec = SPECS[node.instrument]
        scored = spec.score(step.values)
        key_result = spec.score(list(node.key))
        result = {
            "name": spec.name,
            "total": scored.total,
            "band": scored.band,
            "key_total": key_result.total,
            "key_band": key_result.band,
            "source": spec.source,
            "risk": scored.risk_flag or key_result.risk_flag,
            "risk_message": RISK_MESSAGE,
            "items": [
                {
                    "text": text,
                    "recorded": dict(scale).get(v, v),
                    "expected": dict(scale).get(k, k),
                    "match": v == k,
                }
                for text, scale, v, k in zip(
                    spec.items, spec.scales, step.values, node.key, strict=True
                )
            ],
        }
    next_kind = graph[step.next_node].kind
    return {
        "step": step,
        "node": node,
        "options": options,
        "result": result,
        # One template per kind says what each option was (or, for a screen, the band).
        "feedback_template": f"cases/feedback/{node.kind}.html",
        "scores": _score_rows(step.scores, step.maxima),
        "verdict": _verdict(step.scores, step.maxima),
        "finished": next_kind == "ending",
    }


def _verdict(scores: dict, maxima: dict) -> str:
    """``full``, ``part`` or ``none`` for a scored step (the feedback box's colour and words
    follow it), or ``""`` for a step that scores nothing."""
    out_of = sum(maxima.values())
    if not out_of:
        return ""
    got = sum(scores.values())
    return "full" if got >= out_of - 1e-9 else "part" if got > 0 else "none"


def _score_rows(scores: dict, maxima: dict) -> list[dict]:
    names = element_names() if maxima else {}
    return [
        {"element": names.get(e, e), "score": scores.get(e, 0.0), "max": m}
        for e, m in maxima.items()
    ]


def debrief_view(*, attempt: VignetteAttempt) -> dict:
    graph = graph_of_attempt(attempt)
    steps = list(VignetteStep.objects.filter(attempt=attempt))
    names = element_names()
    totals: dict[str, float] = {}
    taken = []
    for step in steps:
        node = graph[step.node]
        for element, score in step.scores.items():
            totals[element] = totals.get(element, 0.0) + score
        labels = [node.option(c).label for c in step.choices if node.option(c)]
        taken.append(
            {
                "node": node,
                "choices": labels,
                "band": step.band,
                "score": sum(step.scores.values()),
                "max": sum(step.maxima.values()),
            }
        )
    ending = graph[attempt.node]
    bounds = engine.score_bounds(graph)
    elements = [
        {
            "code": code,
            "name": names.get(code, code),
            "score": round(totals.get(code, 0.0), 2),
            "best": b.best,
            "worst": b.worst,
            "percent": round(100 * totals.get(code, 0.0) / b.best) if b.best else None,
        }
        for code, b in bounds.items()
        if b.best > 0
    ]
    best = []
    for node_id, choice in engine.best_path(graph):
        node = graph[node_id]
        if node.kind == "decide":
            best.append({"node": node, "choice": node.option(choice).label})
        elif node.kind == "screen":
            best.append({"node": node, "choice": f"record the answers as given ({choice})"})
        elif node.kind in engine.SELECT_KINDS:
            right = [o.label for o in node.options if o.correct]
            best.append({"node": node, "choice": "; ".join(right)})
    content = revision_content(attempt.revision)
    points = [
        line.strip(" -•")
        for line in (content.get("learning_points") or "").splitlines()
        if line.strip()
    ]
    return {
        "ending": ending,
        "taken": taken,
        "elements": elements,
        "best_path": best,
        "learning_points": points,
        "outcome": _outcome(graph, attempt, steps),
        "recognised": _recognised(graph, steps),
    }


def _outcome(graph, attempt: VignetteAttempt, steps: list[VignetteStep]) -> dict:
    """The ending reached against the best the case offers, and the last decision against the
    best choice at that point: what the debrief's first sentences say."""
    best_ending = graph[engine.best_path(graph)[-1][0]]
    decisions = [s for s in steps if graph[s.node].kind == "decide" and s.choices]
    last = None
    if decisions:
        node = graph[decisions[-1].node]
        chosen, best = decisions[-1].choices[0], engine.best_decision(graph, node.id)
        last = {
            "chosen": node.option(chosen).label if node.option(chosen) else chosen,
            "best": node.option(best).label if best and node.option(best) else "",
            "was_best": chosen == best,
        }
    return {
        "is_best": attempt.node in engine.best_endings(graph),
        "best_ending": best_ending,
        "last_decision": last,
    }


def _recognised(graph, steps: list[VignetteStep]) -> dict | None:
    """How much of what mattered the trainee recognised: the points on the recognise steps of
    this play, and a word for it (``all``, ``most``, ``some``, ``none``). None without one."""
    scored = [s for s in steps if graph[s.node].kind == "recognise"]
    out_of = sum(sum(s.maxima.values()) for s in scored)
    if not out_of:
        return None
    got = sum(sum(s.scores.values()) for s in scored)
    share = got / out_of
    word = "all" if share >= 1 - 1e-9 else "most" if share >= 0.75 else "some" if got else "none"
    return {"score": round(got, 2), "max": round(out_of, 2), "word": word}


def vignette_map(*, page: CaseVignettePage, full: bool = False) -> dict:
    """For authors: the validation report, the drawn diagram, bounds, and (``full``) every node
    with its key. Only ever rendered in the admin editor or the admin preview."""
    graph = graph_of_page(page)
    report = engine.validate(graph)
    drawn = diagram.layout(graph, report)
    bounds = engine.score_bounds(graph) if report.ok else {}
    names = element_names() if bounds else {}
    return {
        "graph": graph,
        "report": report,
        "diagram": drawn,
        "bounds": [
            {"name": names.get(e, e), "worst": b.worst, "best": b.best} for e, b in bounds.items()
        ],
        "map_nodes": graph.nodes if full else (),
        "node_count": len(graph.nodes),
    }

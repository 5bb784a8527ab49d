"""Everything that changes vignette data goes through here: starting and resuming attempts,
recording a step (scored by the engine, stored at once, evidence written in the same
transaction), and importing the seeded vignettes."""

import json

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from assessments import services as assessment_services
from assessments.engine import delivery
from assessments.models import Evidence
from competencies.models import ClinicalSetting, CompetencyElement, Intervention, PsychosocialFactor
from home.caching import content_version, for_content
from home.review import review_from_spec

from . import engine
from .blocks import node_dicts, raw_of, stream_data
from .models import CaseIndexPage, CaseVignettePage, VignetteAttempt, VignetteStep


class VignetteError(Exception):
    """A request the player refuses, with a message for the trainee."""


class NotPublished(VignetteError):
    pass


class AlreadyFinished(VignetteError):
    pass


class StaleStep(VignetteError):
    """The form was for an earlier step (a double click, another tab or a replayed request)."""


class IllegalResponse(VignetteError):
    pass


class NoSuchAttempt(VignetteError):
    """Not an attempt of this person's (on this case)."""


class VignetteInvalid(ValueError):
    """A vignette to import fails the editor's validation; the message names the file (or slug),
    the node and the field, so it can be fixed at the source."""


# --- Graphs ----------------------------------------------------------------------------------


def catalogue_labels() -> dict[str, str]:
    """Names of factors and interventions by slug, until a catalogue next changes."""

    def build() -> dict[str, str]:
        labels = dict(PsychosocialFactor.objects.values_list("slug", "name"))
        labels.update(Intervention.objects.values_list("slug", "name"))
        return labels

    return for_content("cases:labels", build)


def catalogue_factor_kinds() -> dict[str, str]:
    """Each factor's kind (psychological or social) by slug, until a catalogue next changes: a
    recognise node credits each recognise element for the factors of its kind."""
    return for_content(
        "cases:factor-kinds", lambda: dict(PsychosocialFactor.objects.values_list("slug", "kind"))
    )


def graph_of_page(page: CaseVignettePage) -> engine.Graph:
    """The graph as it stands on this page object (a draft, a preview or the live page)."""
    elements = [e.code for e in page.elements.all()] if page.pk else []
    return engine.graph_from_data(
        node_dicts(page.nodes.raw_data), elements, catalogue_labels(), catalogue_factor_kinds()
    )


def revision_content(revision) -> dict:
    content = revision.content
    return json.loads(content) if isinstance(content, str) else content


def graph_of_revision(revision) -> engine.Graph:
    """The graph of a revision (an attempt is pinned to one). See ``graph_of_attempt``."""
    return _graph(revision.pk, lambda: revision)


def graph_of_attempt(attempt) -> engine.Graph:
    """The graph the attempt is pinned to. The revision itself (the whole page, as JSON) is
    read only when the graph is in no cache."""
    return _graph(attempt.revision_id, lambda: attempt.revision)


def _graph(revision_id: int, load_revision) -> engine.Graph:
    """Revisions never change, so graphs are cached by revision, until the catalogues (whose
    labels a graph carries) or other content next change. Each process also keeps the graphs
    it has used: a graph is made of frozen dataclasses that nothing changes, so one object can
    serve every request."""
    version = content_version()
    if _graphs["version"] != version:
        _graphs.update(version=version, by_revision={})
    graph = _graphs["by_revision"].get(revision_id)
    if graph is None:
        graph = for_content(
            f"cases:graph:{revision_id}", lambda: _graph_of_revision(load_revision())
        )
        if len(_graphs["by_revision"]) < 500:
            _graphs["by_revision"][revision_id] = graph
    return graph


_graphs: dict = {"version": None, "by_revision": {}}


def _graph_of_revision(revision) -> engine.Graph:
    content = revision_content(revision)
    raw = content.get("nodes") or []
    if isinstance(raw, str):
        raw = json.loads(raw)
    elements = list(
        CompetencyElement.objects.filter(pk__in=content.get("elements") or []).values_list(
            "code", flat=True
        )
    )
    return engine.graph_from_data(
        node_dicts(raw), elements, catalogue_labels(), catalogue_factor_kinds()
    )


# --- Attempts --------------------------------------------------------------------------------


def vignette_start(*, trainee, vignette: CaseVignettePage) -> VignetteAttempt:
    """Resume the trainee's open attempt, or start one pinned to the live revision."""
    open_attempt = VignetteAttempt.objects.filter(
        trainee=trainee, vignette=vignette, status=VignetteAttempt.Status.IN_PROGRESS
    ).first()
    if open_attempt is not None:
        return open_attempt
    revision = vignette.live_revision
    if not vignette.live or revision is None:
        raise NotPublished("This vignette is not published yet.")
    graph = graph_of_revision(revision)
    if graph.start is None or not engine.validate(graph).ok:
        raise NotPublished("This vignette cannot be played until its errors are fixed.")
    try:
        with transaction.atomic():
            return VignetteAttempt.objects.create(
                trainee=trainee, vignette=vignette, revision=revision, node=graph.start.id
            )
    except IntegrityError:  # a second tab started one at the same moment
        return VignetteAttempt.objects.get(
            trainee=trainee, vignette=vignette, status=VignetteAttempt.Status.IN_PROGRESS
        )


def step_submit(
    *, attempt_id: int, trainee, seq: int, choices=(), values=(), vignette=None, from_form=False
) -> tuple[VignetteAttempt, VignetteStep]:
    """Record the trainee's response to the node they are on, exactly once.

    ``seq`` is the step number the form was rendered for; if the attempt has moved on (a double
    click, a second tab, a replayed POST) the response is refused with ``StaleStep`` and nothing
    is written. The step, the attempt's new position and the evidence land in one transaction.
    ``vignette``, when given, must be the attempt's case (the page the answer was posted to).
    ``choices`` are option ids, or, with ``from_form``, the opaque values the page carried for
    this attempt (``delivery``); the step stores the ids. A value the page did not carry is an
    ``IllegalResponse`` and nothing is written.
    """
    with transaction.atomic():
        attempts = VignetteAttempt.objects.select_for_update()
        if vignette is not None:
            attempts = attempts.filter(vignette=vignette)
        attempt = attempts.filter(pk=attempt_id, trainee=trainee).first()
        if attempt is None:
            raise NoSuchAttempt("No such attempt.")
        if not attempt.is_open:
            raise AlreadyFinished("You have already finished this vignette.")
        if attempt.seq != seq:
            raise StaleStep(
                "That answer was sent from an earlier page (perhaps a second click or another tab) "
                "and was not recorded again. You are here now."
            )
        graph = graph_of_attempt(attempt)
        state = engine.State(attempt.node, attempt.seq)
        if from_form:
            choices = _decoded(graph, attempt, choices)
        try:
            step = engine.advance(
                graph, state, engine.Response(attempt.node, tuple(choices), tuple(values))
            )
        except engine.IllegalMove as exc:
            raise IllegalResponse(str(exc)) from exc
        try:
            with transaction.atomic():
                row = VignetteStep.objects.create(
                    attempt=attempt,
                    seq=attempt.seq,
                    node=step.node.id,
                    kind=step.node.kind,
                    choices=list(choices),
                    values=list(values),
                    scores=step.scores,
                    maxima=step.maxima,
                    band=step.band or "",
                    next_node=step.state.node,
                )
        except IntegrityError as exc:  # the unique (attempt, seq) guard, where locks are weak
            raise StaleStep("That answer was already recorded. You are here now.") from exc
        attempt.node = step.state.node
        attempt.seq = step.state.step
        if graph[attempt.node].kind == "ending":
            attempt.status = VignetteAttempt.Status.FINISHED
            attempt.finished_at = timezone.now()
        attempt.save(update_fields=["node", "seq", "status", "finished_at", "updated_at"])
        assessment_services.evidence_record_many(
            trainee=trainee,
            responses=step_scored(
                vignette_id=attempt.vignette_id,
                node_id=step.node.id,
                scores=step.scores,
                maxima=step.maxima,
                setting_id=(vignette or attempt.vignette).setting_id,
            ),
            source=Evidence.Source.VIGNETTE,
            vignette_attempt=attempt,
        )
    return attempt, row


def _decoded(graph: engine.Graph, attempt: VignetteAttempt, values) -> list[str]:
    node = graph.get(attempt.node)
    ids = [o.id for o in node.options] if node else []
    try:
        return [delivery.decode(attempt.secret, attempt.node, ids, v) for v in values]
    except delivery.UnknownValue as exc:
        raise IllegalResponse(str(exc)) from exc


def step_scored(
    *, vignette_id: int, node_id: str, scores: dict, maxima: dict, setting_id: int | None
) -> list[assessment_services.Scored]:
    """A scored case step as evidence needs it: one response per element the step can score,
    on the item ``case:<vignette id>:<node id>``. Called by ``step_submit`` and by the
    benchmark's data builder, so both name items alike."""
    return [
        assessment_services.Scored(
            (element,),
            scores.get(element, 0.0),
            maximum,
            f"case:{vignette_id}:{node_id}",
            setting_id,
        )
        for element, maximum in maxima.items()
    ]


# --- Import ----------------------------------------------------------------------------------


def case_index_ensure(*, home, title: str, slug: str, intro: str) -> CaseIndexPage:
    index = CaseIndexPage.objects.child_of(home).filter(slug=slug).first()
    if index is None:
        index = CaseIndexPage(title=title, slug=slug, intro=intro)
        home.add_child(instance=index)
        index.save_revision().publish()
    return index


def vignette_nodes_clean(*, data: list[dict], source: str):
    """The nodes of a vignette to import, cleaned exactly as the editor cleans them on Save: every
    block's own rules (lengths, choices, required fields) and then ``NodesBlock.clean``'s check
    of the whole graph. So whatever is imported can be opened and saved unchanged by an
    educator. Raises ``VignetteInvalid`` naming ``source`` and the node."""
    block = CaseVignettePage._meta.get_field("nodes").stream_block
    try:
        return block.clean(block.to_python(data))
    except ValidationError as exc:
        problems = _problem_lines(exc, data) if hasattr(exc, "as_json_data") else exc.messages
        raise VignetteInvalid(f"{source} is not valid: " + "; ".join(problems)) from exc


def _problem_lines(error, data: list[dict]) -> list[str]:
    """The messages of a StreamField validation error, each with the node it concerns and the
    path to the field inside it (``options #1 > label``)."""

    def walk(tree, path):
        for message in tree.get("messages") or ():
            yield path, message
        children = tree.get("blockErrors") or {}
        items = children.items() if isinstance(children, dict) else enumerate(children)
        for key, child in items:
            if child:
                yield from walk(child, (*path, key))

    lines = []
    for path, message in walk(error.as_json_data(), ()):
        if not path:
            lines.append(f"the vignette: {message}")
            continue
        node = data[int(path[0])]
        where = f"node “{node['value'].get('node_id')}” ({node['type']})"
        inside = " > ".join(f"#{int(p) + 1}" if str(p).isdigit() else str(p) for p in path[1:])
        lines.append(f"{where}{', ' + inside if inside else ''}: {message}")
    return lines


def vignette_import(*, index: CaseIndexPage, spec: dict, source: str = "") -> CaseVignettePage:
    """Create or update a vignette page from a FORMAT.md spec and publish it. The nodes pass the
    editor's validation first (``vignette_nodes_clean``); ``source`` (the file) names the
    vignette in its errors. Idempotent: an unchanged spec writes no new revision."""
    setting = ClinicalSetting.objects.get(slug=spec["setting"])
    elements = list(CompetencyElement.objects.filter(code__in=spec.get("elements") or []))
    fields = {
        "title": spec["title"],
        "patient_summary": spec["summary"].strip(),
        "setting": setting,
        "difficulty": spec.get("difficulty", "foundation"),
        "estimated_minutes": spec.get("estimated_minutes", 15),
        "profession": spec.get("profession") or "",
        "content_note": (spec.get("content_note") or "").strip(),
        "learning_points": "\n".join(p.strip() for p in spec["learning_points"]),
        **review_from_spec(spec, source or spec["slug"]),
    }
    nodes = vignette_nodes_clean(data=stream_data(spec["nodes"]), source=source or spec["slug"])
    page = CaseVignettePage.objects.child_of(index).filter(slug=spec["slug"]).first()
    if page is not None:
        page = page.specific
        unchanged = (
            all(getattr(page, k) == v for k, v in fields.items())
            and node_dicts(page.nodes.raw_data) == node_dicts(raw_of(nodes))
            and {e.pk for e in page.elements.all()} == {e.pk for e in elements}
        )
        if unchanged and page.live and not page.has_unpublished_changes:
            return page
        for name, value in fields.items():
            setattr(page, name, value)
        page.nodes = nodes
        page.elements.set(elements)
        page.save_revision().publish()
        return page
    page = CaseVignettePage(slug=spec["slug"], nodes=nodes, **fields)
    page.elements.set(elements)
    index.add_child(instance=page)
    page.save_revision().publish()
    return page

"""Authoring: the node blocks validate the graph on save with messages on the offending node,
suggest ids, draw the map in the editor and the preview; the diagram stays readable at 40 nodes;
importing is idempotent."""

import itertools

import pytest
from wagtail.blocks.stream_block import StreamBlockValidationError
from wagtail.models import Revision

from cases import engine, services
from cases.blocks import NodesBlock, stream_data
from cases.engine import diagram
from cases.models import CaseVignettePage
from home.roles import Role
from tests.factories import make_user

from .conftest import MARKER, build_case, case_spec


def stream(nodes):
    block = NodesBlock()
    return block, block.to_python(stream_data(nodes))


@pytest.mark.django_db
def test_errors_are_attached_to_the_node_and_list_the_valid_ids():
    build_case()
    nodes = case_spec()["nodes"]
    nodes[3]["options"][1]["target"] = "nowhere"  # choose -> a node that does not exist
    block, value = stream(nodes)
    with pytest.raises(StreamBlockValidationError) as caught:
        block.clean(value)
    errors = caught.value.block_errors
    assert list(errors) == [3]
    message = " ".join(str(m) for m in errors[3].non_block_errors.as_data()[0].messages)
    assert "“nowhere”" in message and "Valid ids: ask1, choose, end-good, end-poor" in message
    # end-poor was only reachable through that option... it is still reached from the screen.


@pytest.mark.django_db
def test_graph_wide_errors_and_cycles_are_reported():
    build_case()
    nodes = case_spec()["nodes"]
    nodes[5]["next"] = "start"  # help -> start: a loop
    block, value = stream(nodes)
    with pytest.raises(StreamBlockValidationError) as caught:
        block.clean(value)
    flat = " ".join(
        str(e.non_block_errors.as_data()[0].messages) for e in caught.value.block_errors.values()
    )
    assert "part of a loop" in flat


@pytest.mark.django_db
def test_blank_ids_are_suggested_and_existing_ids_are_kept():
    build_case()
    nodes = case_spec()["nodes"]
    nodes[0]["id"] = ""  # the start has no id yet; nothing points to it
    block, value = stream(nodes)
    cleaned = block.clean(value)
    ids = [child.value["node_id"] for child in cleaned]
    assert ids[0] == "scene-1" and ids[1:] == [n["id"] for n in nodes[1:]]


@pytest.mark.django_db
def test_editor_shows_the_checks_and_the_map(client):
    page = build_case()
    client.force_login(make_user(Role.EDUCATOR, email="ed@example.com"))
    response = client.get(f"/admin/pages/{page.pk}/edit/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "No errors." in html and "<svg" in html and 'data-node="phq"' in html
    assert "Score range over all complete paths" in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    "body",
    [{}, {"title": "Walter", "nodes-count": "many"}],
    ids=["no-stream-counts", "count-not-a-number"],
)
def test_a_damaged_editor_form_is_a_400_and_changes_nothing(client, body):
    """Found by the fuzzing suite: Wagtail reads StreamField counts before validating."""
    page = build_case()
    client.force_login(make_user(Role.EDUCATOR, email="ed@example.com"))
    revisions = Revision.objects.count()
    response = client.post(f"/admin/pages/{page.pk}/edit/", body)
    assert response.status_code == 400
    assert b"incomplete or damaged" in response.content
    assert Revision.objects.count() == revisions


@pytest.mark.django_db
def test_the_author_preview_shows_the_map_and_every_key():
    page = build_case()
    response = page.make_preview_request(preview_mode="map")
    html = response.rendered_content
    assert "<svg" in html and f"{MARKER}-rec-lonely" in html and "[right]" in html
    trainee_view = page.make_preview_request(preview_mode="")
    assert MARKER not in trainee_view.rendered_content


@pytest.mark.django_db
def test_importing_twice_writes_no_new_revision():
    page = build_case()
    before = Revision.objects.filter(object_id=str(page.pk)).count()
    again = services.vignette_import(index=page.get_parent().specific, spec=case_spec())
    assert again.pk == page.pk
    assert Revision.objects.filter(object_id=str(page.pk)).count() == before
    assert CaseVignettePage.objects.count() == 1


def _overlap(a, b) -> bool:
    return not (
        a.x + diagram.BOX_W <= b.x
        or b.x + diagram.BOX_W <= a.x
        or a.y + diagram.BOX_H <= b.y
        or b.y + diagram.BOX_H <= a.y
    )


def forty_nodes() -> engine.Graph:
    """Eight layers of five decisions, each linked to two nodes of the next layer, then endings."""
    nodes = []
    for layer in range(8):
        for k in range(5):
            node_id = f"n{layer}-{k}"
            if layer == 7:
                nodes.append(engine.Node(node_id, "ending", outcome="good"))
                continue
            targets = {f"n{layer + 1}-{k}", f"n{layer + 1}-{(k + 1) % 5}"}
            nodes.append(
                engine.Node(
                    node_id,
                    "decide",
                    options=tuple(
                        engine.Option(t, t, "f", target=t, scores={"identify": i})
                        for i, t in enumerate(sorted(targets))
                    ),
                )
            )
    start = engine.Node(
        "start",
        "decide",
        start=True,
        options=tuple(engine.Option(f"to{k}", "x", "f", target=f"n0-{k}") for k in range(5)),
    )
    return engine.Graph((start, *nodes))


def test_the_diagram_of_forty_nodes_has_no_overlaps_and_fits_its_canvas():
    graph = forty_nodes()
    report = engine.validate(graph)
    assert report.ok
    drawn = diagram.layout(graph, report)
    assert len(drawn.boxes) == 41
    for a, b in itertools.combinations(drawn.boxes, 2):
        assert not _overlap(a, b), (a.id, b.id)
    assert all(
        b.x + diagram.BOX_W <= drawn.width and b.y + diagram.BOX_H <= drawn.height
        for b in drawn.boxes
    )
    # Columns follow story order: every edge points right.
    x = {b.id: b.x for b in drawn.boxes}
    assert all(x[e.source] < x[e.target] for e in drawn.edges)
    best = [e for e in drawn.edges if e.best]
    assert len(best) == len(engine.best_path(graph)) - 1
    # Readable: at most 9 columns of 210 px and 5 rows, labels at 12-13 px.
    assert drawn.width <= 9 * diagram.COL_W + 2 * diagram.MARGIN
    assert drawn.height <= 5 * diagram.ROW_H + 2 * diagram.MARGIN


def test_broken_graphs_are_still_drawn_with_the_problem_marked():
    graph = engine.Graph(
        (
            engine.Node("a", "scene", start=True, next="b"),
            engine.Node("b", "scene", next="a"),
            engine.Node("lost", "ending"),
        )
    )
    drawn = diagram.layout(graph)
    problems = {b.id for b in drawn.boxes if b.problem}
    assert problems == {"a", "b", "lost"}
    assert {b.id for b in drawn.boxes} == {"a", "b", "lost"}

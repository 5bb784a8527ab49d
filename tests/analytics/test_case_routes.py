"""Routes through a case: reach, choices, stops, routes other than the best, and scores per
element against the case's bounds, from grouped queries; first plays by default; educators and
administrators only."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from analytics.selectors import case_routes
from cases import engine, services
from cases.models import CaseVignettePage, VignetteStep
from home.roles import Role
from tests.analytics.queries import page_queries
from tests.cases.conftest import build_case, play_best
from tests.factories import make_user

pytestmark = pytest.mark.django_db

POOR = {"start": (), "ask1": ("bp",), "rec": (), "choose": ("discharge",)}


def play_poor(trainee, vignette):
    attempt = services.vignette_start(trainee=trainee, vignette=vignette)
    while attempt.is_open:
        attempt, _ = services.step_submit(
            attempt_id=attempt.pk,
            trainee=trainee,
            seq=attempt.seq,
            choices=POOR[attempt.node],
            values=(),
        )
    return attempt


@pytest.fixture
def case(db):
    return CaseVignettePage.objects.get(pk=build_case().pk)


def people(n):
    return [make_user(Role.TRAINEE, email=f"r{i}@test.example") for i in range(n)]


def test_reach_choices_stops_and_other_routes(case):
    best1, best2, poor, stopper = people(4)
    play_best(trainee=best1, vignette=case)
    play_best(trainee=best2, vignette=case)
    play_poor(poor, case)
    play_best(trainee=stopper, vignette=case, stop_at="rec")
    routes = case_routes(case)
    nodes = {node.id: node for node in routes.nodes}
    assert (routes.plays, routes.finished) == (4, 3)
    reached = {node_id: node.reached for node_id, node in nodes.items()}
    assert reached == {
        "start": 4, "ask1": 4, "rec": 4, "choose": 3, "phq": 2, "help": 2,
        "end-good": 2, "end-poor": 1,
    }  # fmt: skip
    assert nodes["rec"].stopped == 1 and nodes["choose"].stopped == 0
    assert dict(nodes["choose"].options) == {"Screen his mood": 2, "Discharge today": 1}
    assert dict(nodes["ask1"].options) == {
        "Who is at home?": 3, "How is your mood?": 3, "Any dizziness?": 1,
    }  # fmt: skip
    assert routes.edges[("choose", "end-poor")] == 1 and routes.edges[("choose", "phq")] == 2
    assert routes.other_routes == ((("start", "ask1", "rec", "choose"), 1),)
    assert routes.best_route[-1] == "end-good"


def test_scores_per_element_against_the_bounds(case):
    for person in people(2):
        play_best(trainee=person, vignette=case)
    play_poor(make_user(Role.TRAINEE, email="poor@test.example"), case)
    routes = case_routes(case)
    graph = services.graph_of_page(case)
    bounds = engine.score_bounds(graph)
    assert {row.code for row in routes.elements} == set(bounds) >= {"match-intensity"}
    for row in routes.elements:
        code = row.code
        totals = []
        for attempt_id in case.attempts.values_list("pk", flat=True):
            scores = VignetteStep.objects.filter(attempt_id=attempt_id).values_list(
                "scores", flat=True
            )
            totals.append(sum(s.get(code, 0) for s in scores))
        assert row.best == bounds[code].best and row.worst == bounds[code].worst
        assert row.mean == pytest.approx(sum(totals) / len(totals))
        assert sum(n for _, n in row.spread) == 3
        assert max(score for score, _ in row.spread) <= row.best


def test_first_plays_by_default(case):
    trainee = make_user(Role.TRAINEE, email="again@test.example")
    play_poor(trainee, case)
    play_best(trainee=trainee, vignette=case)  # a replay after the debrief
    assert case_routes(case).finished == 1
    assert case_routes(case).other_routes[0][1] == 1
    every = case_routes(case, first_only=False)
    assert every.finished == 2 and every.other_routes == ((("start", "ask1", "rec", "choose"), 1),)


def _queries(case) -> int:
    with CaptureQueriesContext(connection) as captured:
        case_routes(case)
    return len(captured.captured_queries)


def test_the_query_count_does_not_grow_with_the_plays(client, case):
    """The case assesses five elements and has several nodes: one query per element or node
    would show here. The whole page, sign-in and admin menu included, stays within 15."""
    assert len(engine.score_bounds(services.graph_of_page(case))) > 1
    client.force_login(make_user(Role.EDUCATOR, email="edu@test.example"))
    play_best(trainee=make_user(Role.TRAINEE, email="one@test.example"), vignette=case)
    few, page = (
        _queries(case),
        page_queries(client, reverse("analytics:case_routes", args=[case.pk])),
    )
    for person in people(6):
        play_poor(person, case)
    services.vignette_start(trainee=make_user(Role.TRAINEE, email="w@test.example"), vignette=case)
    assert (
        _queries(case),
        page_queries(client, reverse("analytics:case_routes", args=[case.pk])),
    ) == (few, page)
    assert few <= 6 and page <= 15
    print(f"routes through a case: {few} queries in the selector, {page} for the page")


def test_educators_see_the_map_and_table(client, case):
    play_best(trainee=make_user(Role.TRAINEE, email="one@test.example"), vignette=case)
    client.force_login(make_user(Role.EDUCATOR, email="edu@test.example"))
    index = client.get(reverse("analytics:case_index"))
    assert index.status_code == 200 and case.title in index.content.decode()
    page = client.get(reverse("analytics:case_routes", args=[case.pk]))
    body = page.content.decode()
    assert page.status_code == 200
    assert "Map of Walter after a fall by traffic" in body and "1 reached" in body


def test_others_are_refused_and_unknown_cases_are_404(client, case):
    client.force_login(make_user(Role.TRAINEE, email="t@test.example"))
    assert client.get(reverse("analytics:case_routes", args=[case.pk])).status_code in (
        302, 403, 404,
    )  # fmt: skip
    client.force_login(make_user(Role.ADMINISTRATOR, email="a@test.example", superuser=True))
    assert client.get("/admin/analytics/cases/9223372036854775808/").status_code == 404

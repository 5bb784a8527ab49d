"""The vignette player end to end through HTTP: playing, resuming, replays, tampering, leaks,
pinned revisions and query budgets."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessments.models import ElementMastery, Evidence
from bench.plan import count_queries
from cases import services
from cases.models import VignetteAttempt, VignetteStep
from home.roles import Role
from tests.delivery import case_form
from tests.factories import make_user

from .conftest import MARKER, build_case, case_spec

BEST = {
    "start": {},
    "ask1": {"choice": ["home", "mood"]},
    "rec": {"choice": ["loneliness-isolation", "fear-avoidance"]},
    "choose": {"choice": ["screen"]},
    "phq": {f"item-{i}": str(v) for i, v in enumerate([2, 2, 1, 2, 1, 1, 1, 0, 0])},
    "help": {"choice": ["graded-activity-exposure", "befriending"]},
}


def start(client, page):
    response = client.post(page.url + "start/")
    assert response.status_code == 302
    return response.headers["Location"]


def form(play_url: str, data: dict, node: str | None = None) -> dict:
    """``data`` with its option ids as the page of the attempt at ``play_url`` posts them."""
    attempt = VignetteAttempt.objects.get(pk=int(play_url.rstrip("/").split("/")[-1]))
    return case_form(attempt, data, node)


def seq_of(html: str) -> str:
    return re.search(r'name="seq" value="(\d+)"', html).group(1)


def play_through(client, page, answers=BEST, seen=None):
    """Play from wherever the attempt is to the end, recording every page received."""
    play_url = start(client, page)
    attempt = VignetteAttempt.objects.get(pk=int(play_url.rstrip("/").split("/")[-1]))
    for _ in range(40):
        response = client.get(play_url)
        if response.status_code == 302:
            break
        html = response.content.decode()
        if seen is not None:
            seen.append(("play", attempt.node, html))
        attempt.refresh_from_db()
        data = {"seq": seq_of(html), **case_form(attempt, answers[attempt.node])}
        posted = client.post(play_url, data)
        assert posted.status_code == 302, posted.content.decode()[:2000]
        if "/feedback/" in posted.headers["Location"]:
            feedback = client.get(posted.headers["Location"])
            assert feedback.status_code == 200
            if seen is not None:
                seen.append(("feedback", attempt.node, feedback.content.decode()))
    attempt.refresh_from_db()
    return attempt, play_url


def test_trainee_plays_the_best_route_to_a_debrief_with_evidence(client, case):
    trainee = make_user(Role.TRAINEE, email="t@example.com")
    client.force_login(trainee)
    attempt, play_url = play_through(client, case)
    assert attempt.status == "finished" and attempt.node == "end-good"
    assert list(attempt.steps.values_list("node", flat=True)) == [
        "start",
        "ask1",
        "rec",
        "choose",
        "phq",
        "help",
    ]
    debrief = client.get(play_url + "debrief/")
    html = debrief.content.decode()
    assert debrief.status_code == 200
    assert "Home with support" in html and "This is the best ending this case offers." in html
    # Every element scored its best: 2 of 2 for each, 4 of 4 for recognise-psychological.
    assert re.search(r"Recognise psychological factors</th><td>4</td><td>4</td><td>100%", html)
    assert "Ask about home." in html  # learning points
    rows = Evidence.objects.filter(trainee=trainee, source="vignette")
    assert rows.count() == 6
    assert set(rows.values_list("item_key", flat=True)) == {
        f"case:{case.pk}:{n}" for n in ("ask1", "rec", "choose", "phq", "help")
    }
    assert all(r.score == r.max_score for r in rows)
    assert rows.filter(vignette_attempt=attempt).count() == 6
    mastery = ElementMastery.objects.get(trainee=trainee, element__code="recognise-psychological")
    assert mastery.items == 2 and mastery.mean == pytest.approx(1.0)


def test_a_weaker_route_scores_less_and_ends_elsewhere(client, case):
    trainee = make_user(Role.TRAINEE, email="t@example.com")
    client.force_login(trainee)
    answers = {**BEST, "ask1": {"choice": ["bp"]}, "choose": {"choice": ["discharge"]}}
    attempt, play_url = play_through(client, case, answers)
    assert attempt.node == "end-poor"
    scores = {s.node: s.scores for s in attempt.steps.all()}
    assert scores["ask1"] == {"elicit": 0.0}
    assert scores["choose"] == {"match-intensity": 0.0}
    html = client.get(play_url + "debrief/").content.decode()
    assert "a poor outcome" in html and "Screen his mood" in html  # the best route is shown


def test_resume_after_logging_out_lands_on_the_same_node(client, case):
    trainee = make_user(Role.TRAINEE, email="t@example.com")
    client.force_login(trainee)
    play_url = start(client, case)
    client.post(play_url, {"seq": "0"})
    client.post(play_url, form(play_url, {"seq": "1", **BEST["ask1"]}))
    client.logout()
    assert client.get(play_url).status_code == 302  # logged out: sent to log in
    client.force_login(trainee)
    overview = client.get(case.url).content.decode()
    assert "Resume the case" in overview and play_url in overview
    assert start(client, case) == play_url  # starting again resumes, never a second attempt
    html = client.get(play_url).content.decode()
    assert "What is present?" in html and seq_of(html) == "2"
    assert VignetteAttempt.objects.filter(trainee=trainee).count() == 1


def test_a_double_submit_records_one_step(client, case):
    trainee = make_user(Role.TRAINEE, email="t@example.com")
    client.force_login(trainee)
    play_url = start(client, case)
    client.post(play_url, {"seq": "0"})
    answer = form(play_url, {"seq": "1", **BEST["ask1"]})
    first = client.post(play_url, answer)
    again = client.post(play_url, answer)
    assert first.status_code == 302
    assert again.status_code == 409
    html = again.content.decode()
    assert "not recorded again" in html and "What is present?" in html
    assert VignetteStep.objects.filter(attempt__trainee=trainee, node="ask1").count() == 1
    assert Evidence.objects.filter(trainee=trainee).count() == 1


@pytest.mark.parametrize(
    "data, status",
    [
        ({"seq": "2", "choice": ["not-a-factor"]}, 400),  # an option that does not exist
        ({"seq": "2", "choice": ["home"]}, 400),  # another node's option
        ({"seq": "2", "choice": ["fear-avoidance", "fear-avoidance"]}, 400),  # the same twice
        ({"choice": ["fear-avoidance"]}, 400),  # no sequence token
        ({"seq": "x", "choice": ["fear-avoidance"]}, 400),
        ({"seq": "7", "choice": ["fear-avoidance"]}, 409),  # a future step
        ({"seq": "2", "item-0": "1"}, 400),  # instrument answers on a recognise node
    ],
)
def test_tampered_posts_get_a_4xx_and_change_nothing(client, case, data, status):
    trainee = make_user(Role.TRAINEE, email="t@example.com")
    client.force_login(trainee)
    play_url = start(client, case)
    client.post(play_url, {"seq": "0"})
    client.post(play_url, form(play_url, {"seq": "1", **BEST["ask1"]}))
    before = (VignetteStep.objects.count(), Evidence.objects.count())
    response = client.post(play_url, form(play_url, data))
    assert response.status_code == status
    assert (VignetteStep.objects.count(), Evidence.objects.count()) == before
    attempt = VignetteAttempt.objects.get(trainee=trainee)
    assert (attempt.node, attempt.seq) == ("rec", 2)


@pytest.mark.parametrize(
    "values",
    [
        ["4", "0", "0", "0", "0", "0", "0", "0", "0"],
        ["1", "1"],
        ["a", "1", "1", "1", "1", "1", "1", "1", "1"],
    ],
)
def test_bad_instrument_answers_are_refused(client, case, values):
    trainee = make_user(Role.TRAINEE, email="t@example.com")
    client.force_login(trainee)
    play_url = start(client, case)
    for node, seq in (("start", 0), ("ask1", 1), ("rec", 2), ("choose", 3)):
        client.post(play_url, form(play_url, {"seq": str(seq), **BEST[node]}))
    response = client.post(play_url, {"seq": "4", **{f"item-{i}": v for i, v in enumerate(values)}})
    assert response.status_code == 400
    assert "PHQ-9" in response.content.decode() or "every item" in response.content.decode()
    assert VignetteAttempt.objects.get(trainee=trainee).node == "phq"


def test_another_trainees_attempt_is_not_found(client, case):
    owner = make_user(Role.TRAINEE, email="owner@example.com")
    client.force_login(owner)
    play_url = start(client, case)
    client.post(play_url, {"seq": "0"})
    intruder = make_user(Role.TRAINEE, email="intruder@example.com")
    client.force_login(intruder)
    assert client.get(play_url).status_code == 404
    assert client.post(play_url, form(play_url, {"seq": "1", **BEST["ask1"]})).status_code == 404
    assert client.get(play_url + "feedback/0/").status_code == 404
    assert client.get(play_url + "debrief/").status_code == 404
    assert VignetteStep.objects.count() == 1


def test_visitors_are_sent_to_log_in(client, case):
    for url in (case.url, case.url + "start/"):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response.headers["Location"]
    # The list of cases is public (titles, settings, roles), and carries nothing of the story.
    listing = client.get(case.get_parent().url)
    assert listing.status_code == 200
    assert case.title in listing.content.decode()
    assert MARKER not in listing.content.decode()


def test_keys_scores_and_feedback_never_reach_the_browser_before_answering(client, case):
    trainee = make_user(Role.TRAINEE, email="t@example.com")
    client.force_login(trainee)
    seen = []
    play_through(client, case, seen=seen)
    overview = client.get(case.url).content.decode()
    assert MARKER not in client.get(case.get_parent().url).content.decode()
    assert overview.count(MARKER) == 0
    answered: set[str] = set()
    for kind, node, html in seen:
        markers = set(re.findall(rf"{MARKER}-([a-z0-9-]+?)-", html))
        if kind == "play":
            assert not markers, (node, markers)  # nothing before the answer
            for word in ("present", "helpful", "harmful", "relevant", "correct"):
                assert f"data-{word}" not in html
        else:
            assert markers <= {node}, (node, markers)  # only the node just answered
            answered.add(node)
    assert answered == {"ask1", "rec", "choose", "phq", "help"}
    # The chosen decide option's feedback is shown; the road not taken stays hidden.
    choose_html = next(h for k, n, h in seen if k == "feedback" and n == "choose")
    assert "choose-screen" in choose_html and "choose-discharge" not in choose_html


def test_an_attempt_stays_on_the_revision_it_started_on(client, case):
    trainee = make_user(Role.TRAINEE, email="t@example.com")
    client.force_login(trainee)
    play_url = start(client, case)
    client.post(play_url, {"seq": "0"})
    # The educator rewrites the case: new wording and a node renamed.
    spec = case_spec()
    spec["nodes"][2]["title"] = "Which factors now?"
    spec["nodes"][3]["id"] = "decide-next"
    spec["nodes"][2]["next"] = "decide-next"
    services.vignette_import(index=case.get_parent().specific, spec=spec)
    case.refresh_from_db()
    assert case.live_revision_id != VignetteAttempt.objects.get().revision_id
    attempt, _ = play_through(client, case)
    assert attempt.node == "end-good"
    assert "choose" in attempt.steps.values_list("node", flat=True)
    # A new attempt uses the new revision.
    again = start(client, case)
    html = client.get(again).content.decode()
    assert VignetteAttempt.objects.filter(trainee=trainee).count() == 2 and "The ward" in html


def _step_queries(client, page, trainee):
    client.force_login(trainee)
    play_url = start(client, page)
    client.post(play_url, {"seq": "0"})
    client.get(play_url)  # warm the revision cache, as any second request would
    with CaptureQueriesContext(connection) as get_queries:
        assert client.get(play_url).status_code == 200
    with CaptureQueriesContext(connection) as post_queries:
        assert (
            client.post(play_url, form(play_url, {"seq": "1", **BEST["ask1"]})).status_code == 302
        )
    return count_queries(get_queries), count_queries(post_queries)


def test_query_budget_per_step_does_not_grow_with_the_vignette(client, db):
    small = build_case()
    large = build_case(slug="large-case", title="Large", extra_scenes=30)
    assert len(large.nodes) == len(small.nodes) + 30
    small_counts = _step_queries(client, small, make_user(Role.TRAINEE, email="a@example.com"))
    large_counts = _step_queries(client, large, make_user(Role.TRAINEE, email="b@example.com"))
    assert small_counts == large_counts
    get_count, post_count = small_counts
    # Recording a step (transaction control not counted): the attempt locked, the step row,
    # the attempt, then evidence, item scores and summaries in bulk, whatever the elements.
    assert get_count <= 5 and post_count <= 15, small_counts


def test_my_record_and_dashboard_list_case_plays_for_their_owner_only(client, case):
    trainee = make_user(Role.TRAINEE, email="t@example.com")
    client.force_login(trainee)
    _, play_url = play_through(client, case)
    record = client.get("/dashboard/record/").content.decode()
    assert "Debrief of Walter after a fall" in record and f"{play_url}debrief/" in record
    assert "100%" in record
    dashboard = client.get("/dashboard/").content.decode()
    assert "Case: Walter after a fall: 100%" in dashboard
    client.force_login(make_user(Role.TRAINEE, email="other@example.com"))
    assert "Walter after a fall" not in client.get("/dashboard/record/").content.decode()


def test_next_step_offers_an_unplayed_case_from_a_setting_without_evidence(client, case):
    from competencies.models import CompetencyElement
    from progress import selectors

    trainee = make_user(Role.TRAINEE, email="t@example.com")
    elicit = CompetencyElement.objects.get(code="elicit")
    suggestion = selectors.next_step(user=trainee, element=elicit)
    assert suggestion["page"].id == case.pk and suggestion["new_setting"]
    client.force_login(trainee)
    assert "in a clinical setting you have no evidence from yet (Orthogeriatrics)" in (
        client.get("/dashboard/").content.decode()
    )
    play_through(client, case)
    after = selectors.next_step(user=trainee, element=elicit)
    assert after is None or after["page"].id != case.pk  # a finished case is not offered again

"""The practice instrument block in lessons: scored on the server by the published bands, with
the step-of-care default and its source, the item-9 risk message, and clear 400s."""

import pytest

from assessments.engine.instruments import SPECS
from assessments.models import StepOfCareMapping
from assessments.seed import STEP_SOURCE, STRATIFIED_SOURCE
from curriculum import services
from curriculum.services import stable_block_id
from home.roles import Role
from tests.factories import make_user

from .conftest import build_course, lesson_spec

pytestmark = pytest.mark.django_db

BLOCKS = [
    {"type": "instrument", "value": {"instrument": "phq9", "heading": "Score a PHQ-9"}},
    {"type": "instrument", "value": {"instrument": "start_back", "heading": "Sort back pain"}},
    {"type": "reflection", "value": {"key": "r", "prompt": "Why?"}},
]


@pytest.fixture
def lesson(client):
    _, modules, _ = build_course(modules=1, lessons_per_module=1)
    StepOfCareMapping.objects.create(
        instrument="phq9", band="moderate", step=2, suggestion="Guided CBT.", source=STEP_SOURCE
    )
    StepOfCareMapping.objects.create(
        instrument="start_back",
        band="high risk",
        step=3,
        suggestion="Psychologically informed physiotherapy.",
        source=STRATIFIED_SOURCE,
    )
    page = services.lesson_import(
        module=modules[0], spec=lesson_spec("tools", "Tools", blocks=BLOCKS)
    )
    client.force_login(make_user(Role.TRAINEE, email="t@example.com"))
    return page


def block_ids(page):
    return [b.id for b in page.body][:2]


def answers(values):
    return {f"item-{i}": str(v) for i, v in enumerate(values)}


def test_the_lesson_shows_each_instrument_as_a_form_without_a_result(client, lesson):
    html = client.get(lesson.url).content.decode()
    assert html.count('<fieldset class="instrument-item">') == 9 + 9
    assert "Score a PHQ-9" in html and "Suggested next step" not in html
    assert lesson.body[0].id == stable_block_id("tools", "instrument-0")


def test_a_complete_phq9_is_scored_with_band_step_and_source(client, lesson):
    phq, _ = block_ids(lesson)
    response = client.get(f"{lesson.url}instrument/{phq}/", answers([2, 2, 1, 2, 1, 1, 1, 0, 0]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "PHQ-9 total 10: moderate." in html
    assert "Guided CBT." in html and "NICE NG222 (2022)" in html and "a common convention" in html
    assert "Risk follow-up" not in html
    # The answers stay ticked beside the result.
    assert f'id="{phq}-item-0-2" value="2" checked' in html


def test_item_nine_above_zero_always_brings_the_risk_message(client, lesson):
    phq, _ = block_ids(lesson)
    html = client.get(
        f"{lesson.url}instrument/{phq}/", answers([0, 0, 0, 0, 0, 0, 0, 0, 1])
    ).content.decode()
    assert "PHQ-9 total 1: minimal." in html
    assert "Risk follow-up" in html and "ask about these thoughts directly" in html


def test_start_back_uses_the_psychosocial_subscore(client, lesson):
    _, back = block_ids(lesson)
    html = client.get(
        f"{lesson.url}instrument/{back}/", answers([0, 0, 1, 1, 1, 1, 1, 1, 3])
    ).content.decode()
    assert (
        "STarT Back total 7: high risk." in html and "Psychosocial subscore (items 5-9): 5" in html
    )
    assert "Psychologically informed physiotherapy." in html


@pytest.mark.parametrize(
    "data, message",
    [
        (answers([1, 1, 1]), "item 4, 5, 6, 7, 8, 9"),
        (answers([4, 0, 0, 0, 0, 0, 0, 0, 0]), "whole numbers from 0 to 3"),
        ({**answers([1] * 9), "item-2": "often"}, "item 3"),
    ],
)
def test_incomplete_or_impossible_answers_get_a_400_and_keep_the_rest(
    client, lesson, data, message
):
    phq, _ = block_ids(lesson)
    response = client.get(f"{lesson.url}instrument/{phq}/", data)
    html = response.content.decode()
    assert response.status_code == 400
    assert message in html and "There is a problem" in html
    kept = data["item-1"]  # an answer that was fine stays ticked
    assert f'id="{phq}-item-1-{kept}" value="{kept}" checked' in html


def test_unknown_blocks_and_other_methods_are_refused(client, lesson):
    assert client.get(f"{lesson.url}instrument/nope/").status_code == 404
    reflection_id = lesson.body[2].id
    assert client.get(f"{lesson.url}instrument/{reflection_id}/").status_code == 404
    phq, _ = block_ids(lesson)
    assert client.post(f"{lesson.url}instrument/{phq}/", answers([0] * 9)).status_code == 405


def test_visitors_are_sent_to_log_in(client, lesson):
    client.logout()
    phq, _ = block_ids(lesson)
    response = client.get(f"{lesson.url}instrument/{phq}/", answers([0] * 9))
    assert response.status_code == 302 and "/accounts/login/" in response.headers["Location"]


# The published STarT Back scoring (Hill et al. 2008): items 1-8 disagree 0 / agree 1; item 9
# (bothersomeness) not at all, slightly and moderately 0, very much and extremely 1.
AGREE = [(0, "Disagree", 0), (1, "Agree", 1)]
BOTHER = [
    (0, "Not at all", 0),
    (1, "Slightly", 0),
    (2, "Moderately", 0),
    (3, "Very much", 1),
    (4, "Extremely", 1),
]


def test_start_back_options_carry_the_published_scoring():
    spec = SPECS["start_back"]
    assert len(spec.items) == 9
    assert [spec.options(i) for i in range(9)] == [AGREE] * 8 + [BOTHER]
    # What the form says each answer adds is what the scorer adds.
    for value, _label, points in BOTHER:
        assert spec.score([0] * 8 + [value]).total == points
    for i in range(8):
        answers_ = [0] * 9
        answers_[i] = 1
        assert spec.score(answers_).total == 1


def test_the_start_back_form_labels_each_answer_with_what_it_scores(client, lesson):
    html = client.get(lesson.url).content.decode()
    for label in ("Not at all (0)", "Slightly (0)", "Moderately (0)", "Very much (1)"):
        assert f">{label}</label>" in html
    assert "Extremely (1)" in html and "Disagree (0)" in html and "Agree (1)" in html
    assert "Moderately (2)" not in html and "Extremely (4)" not in html

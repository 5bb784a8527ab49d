"""The case player's STarT Back screen: item 9 (how much the back pain has bothered the person)
is a question of its own with its own five answers, and each answer shows what it adds to the
total, as in the published scoring (only "very much" and "extremely" count, 1 each)."""

import re

import pytest
from django.utils.html import strip_tags

from cases import services
from cases.models import CaseVignettePage
from competencies.seed import load_catalogues
from home.seed import home_page_ensure
from tests.delivery import case_form

from .conftest import case_spec, play_best

pytestmark = pytest.mark.django_db

KEY = [1, 1, 1, 1, 0, 1, 0, 0, 2]  # item 9: "moderately", which adds nothing


@pytest.fixture
def start_back_case():
    spec = case_spec(slug="back-pain", title="Back pain at work")
    screen = next(node for node in spec["nodes"] if node["id"] == "phq")
    screen.update(
        title="STarT Back",
        instrument="start_back",
        key=KEY,
        routes={"low risk": "end-poor", "medium risk": "help", "high risk": "help"},
    )
    load_catalogues()
    index = services.case_index_ensure(
        home=home_page_ensure(), title="Cases", slug="cases", intro="<p>Cases</p>"
    )
    page = services.vignette_import(index=index, spec=spec)
    return CaseVignettePage.objects.get(pk=page.pk)


def text_of(html: str) -> str:
    return " ".join(strip_tags(html).split())


def test_item_nine_is_its_own_question_with_its_own_answers_and_points(
    client, trainee, start_back_case
):
    attempt, _ = play_best(trainee=trainee, vignette=start_back_case, stop_at="phq")
    client.force_login(trainee)
    play_url = client.post(start_back_case.url + "start/").headers["Location"]
    html = client.get(play_url).content.decode()
    fieldsets = re.findall(r"<fieldset class=\"instrument-item\">(.*?)</fieldset>", html, re.S)
    assert len(fieldsets) == 9
    for agree in fieldsets[:8]:
        assert "Disagree (0)" in text_of(agree) and "Agree (1)" in text_of(agree)
    ninth = text_of(fieldsets[8])
    assert ninth.startswith(
        "9. Overall, how much has the back pain bothered the person in the last two weeks?"
    )
    assert re.findall(r"\w[\w ]*? \(\d\)", ninth) == [
        "Not at all (0)",
        "Slightly (0)",
        "Moderately (0)",
        "Very much (1)",
        "Extremely (1)",
    ]
    assert "Agree" not in ninth
    # Items 1 to 8 finish the period's sentence; item 9 is introduced as a question of its own.
    page = text_of(html)
    assert page.index("does the person agree or disagree that") < page.index("1. Their back pain")
    assert page.index("Then a question of its own") > page.index("8. They have not enjoyed")

    # The answers post by value (0-4 for item 9) and the engine scores item 9 as published:
    # the key's total is 5 (four "agree" among items 1-4, item 6, and 0 for "moderately").
    attempt.refresh_from_db()
    data = {f"item-{i}": str(v) for i, v in enumerate(KEY)}
    seq = re.search(r'name="seq" value="(\d+)"', html).group(1)
    posted = client.post(play_url, {"seq": seq, **case_form(attempt, data)})
    assert posted.status_code == 302
    feedback = text_of(client.get(posted.headers["Location"]).content.decode())
    assert "Moderately" in feedback and "medium risk" in feedback.lower()
    assert re.search(r"\b5\b", feedback)

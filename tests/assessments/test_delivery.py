"""Delivery without cues: each attempt draws its own order of the options and carries opaque
values for them; the server maps them back to the authored keys, and refuses any other value."""

import re
from collections import Counter

import pytest
from bs4 import BeautifulSoup

from assessments import services
from assessments.engine import delivery
from assessments.engine.quiz_logic import Option, QuestionSpec
from assessments.models import AttemptStatus, QuizAnswer, QuizAttempt
from tests.assessments.conftest import ALL_RIGHT
from tests.delivery import quiz_form

TOKEN = re.compile(r"^v[0-9a-f]{12}$")
AUTHORED = {
    "ask", "refer", "push", "a", "b", "c", "f0-loneliness", "f1-low-mood", "f2-financial-strain",
    "p0-loneliness", "p1-low-mood", "befriending", "behavioural-activation", "cbt",
    "screen", "offer", "review",
}  # fmt: skip


def _spec(kind="single", n=4):
    options = tuple(
        Option(key=f"k{i}", label=f"Option {i}", correct=i == 0, feedback="") for i in range(n)
    )
    return QuestionSpec("q1", kind, "Stem", 1.0, "", "", (), None, options)


def test_the_correct_option_lands_in_every_position_across_attempts():
    spec = _spec(n=4)
    seen = Counter()
    for n in range(400):
        rows = delivery.question_form(spec, f"secret-{n}")
        seen[[r.option.key for r in rows].index("k0")] += 1
    assert set(seen) == {0, 1, 2, 3}
    assert min(seen.values()) > 60  # about 100 each: no position is favoured


def test_the_order_is_the_same_for_an_attempt_and_differs_between_attempts():
    spec = _spec(n=5)
    first = [r.token for r in delivery.question_form(spec, "one")]
    assert first == [r.token for r in delivery.question_form(spec, "one")]
    others = {tuple(r.option.key for r in delivery.question_form(spec, f"s{n}")) for n in range(30)}
    assert len(others) > 10
    assert all(TOKEN.match(t) for t in first)
    assert not set(first) & set(delivery.question_form(spec, "two")[0].token)


def test_ordering_items_never_start_in_the_correct_order():
    spec = _spec(kind="ordering", n=3)
    for n in range(200):
        shown = [r.option.key for r in delivery.question_form(spec, f"s{n}")]
        assert shown != ["k0", "k1", "k2"]


def test_forms_round_trip_and_unknown_values_are_refused():
    spec = _spec(kind="multiple")
    posted = delivery.encode_form(spec, "s", {"choices": ["k1", "k3"]})
    assert all(TOKEN.match(v) for v in posted["choices"])
    assert delivery.decode_form(spec, "s", posted) == {"choices": ["k1", "k3"]}
    with pytest.raises(delivery.UnknownValue):
        delivery.decode_form(spec, "other secret", posted)  # another attempt's values
    with pytest.raises(delivery.UnknownValue):
        delivery.decode_form(spec, "s", {"choices": ["k1"]})  # the authored key itself


def _start(client, quiz):
    assert client.post(quiz.url + "start/").status_code == 302
    return QuizAttempt.objects.get(quiz=quiz, status=AttemptStatus.IN_PROGRESS)


def _page(client, quiz, attempt, index) -> str:
    response = client.get(f"{quiz.url}attempt/{attempt.pk}/?q={index}")
    assert response.status_code == 200
    return response.content.decode()


def _controls(html: str) -> list[tuple[str, str]]:
    """(attribute, value) of every name, value, id and for in the question's answer."""
    answer = BeautifulSoup(html, "html.parser").find(id="answer")
    found = []
    for tag in answer.find_all(["input", "select", "option", "label", "textarea"]):
        for attribute in ("name", "value", "id", "for"):
            if tag.get(attribute) is not None:
                found.append((attribute, tag[attribute]))
    return found


@pytest.mark.django_db
def test_question_pages_carry_no_authored_key_position_or_id(client, quiz, trainee):
    client.force_login(trainee)
    attempt = _start(client, quiz)
    for index in range(5):  # every auto-scored kind
        html = _page(client, quiz, attempt, index)
        controls = _controls(html)
        assert controls
        for attribute, value in controls:
            bare = re.sub(r"^(choice|match|position)-", "", value)
            assert bare not in AUTHORED, (index, attribute, value)
            assert not re.search(r"\bf\d-|\bp\d-", value), (index, attribute, value)
            if attribute == "value":
                assert value == "" or TOKEN.match(value) or value.isdigit(), (index, value)
        assert controls == _controls(_page(client, quiz, attempt, index))  # same order on reload


@pytest.mark.django_db
def test_matching_selects_are_shuffled_per_factor_and_opaque(client, quiz, trainee):
    client.force_login(trainee)
    attempt = _start(client, quiz)
    spec = next(s for s in services.attempt_questions(attempt) if s.key == "q-match")
    orders = set()
    for n in range(40):
        for row in delivery.question_form(spec, f"s{n}"):
            orders.add(tuple(name for _, name in row.choices))
            assert all(TOKEN.match(value) for value, _ in row.choices)
    assert len(orders) == 6  # every order of the three interventions occurs


@pytest.mark.django_db
def test_an_opaque_answer_is_stored_with_its_authored_keys(client, quiz, trainee):
    client.force_login(trainee)
    attempt = _start(client, quiz)
    for index, key in enumerate(["q-single", "q-multiple", "q-factors", "q-match", "q-order"]):
        html = _page(client, quiz, attempt, index)
        data = quiz_form(attempt, key, ALL_RIGHT[key])
        for value in data.values():
            for one in value if isinstance(value, list) else [value]:
                assert one in html  # what is posted is what the page carried
        response = client.post(
            f"{quiz.url}attempt/{attempt.pk}/", {"question": key, "q": index, **data}
        )
        assert response.status_code == 302
    responses = {a.question_key: a.response for a in QuizAnswer.objects.filter(attempt=attempt)}
    assert responses["q-single"] == {"choice": "ask"}
    assert sorted(responses["q-factors"]["choices"]) == ["f0-loneliness", "f1-low-mood"]
    assert responses["q-match"] == {
        "matches": {"p0-loneliness": "befriending", "p1-low-mood": "behavioural-activation"}
    }
    assert responses["q-order"] == {"order": ["screen", "offer", "review"]}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "key, index, data",
    [
        ("q-single", 0, {"choice": "ask"}),  # the authored key
        ("q-single", 0, {"choice": "v000000000000"}),  # a made-up value
        ("q-multiple", 1, {"choices": ["a"]}),
        ("q-match", 3, {"match-p0-loneliness": "befriending"}),
        ("q-order", 4, {"position-screen": "1", "position-offer": "2", "position-review": "3"}),
    ],
)
def test_a_forged_value_is_a_400_and_saves_nothing(client, quiz, trainee, key, index, data):
    client.force_login(trainee)
    attempt = _start(client, quiz)
    response = client.post(
        f"{quiz.url}attempt/{attempt.pk}/", {"question": key, "q": index, **data}
    )
    assert response.status_code == 400
    assert "did not offer" in response.content.decode()
    assert not QuizAnswer.objects.filter(attempt=attempt).exists()


@pytest.mark.django_db
def test_another_attempts_values_are_refused(client, quiz, trainee):
    client.force_login(trainee)
    attempt = _start(client, quiz)
    spec = services.attempt_questions(attempt)[0]
    data = delivery.encode_form(spec, "another attempt's secret", {"choice": "ask"})
    response = client.post(f"{quiz.url}attempt/{attempt.pk}/", {"question": "q-single", **data})
    assert response.status_code == 400
    assert not QuizAnswer.objects.filter(attempt=attempt).exists()


@pytest.mark.django_db
def test_an_attempt_started_before_secrets_keeps_working(client, quiz, trainee):
    client.force_login(trainee)
    attempt = _start(client, quiz)
    QuizAttempt.objects.filter(pk=attempt.pk).update(delivery_secret="")  # as migrated
    attempt.refresh_from_db()
    assert attempt.secret and attempt.secret == QuizAttempt.objects.get(pk=attempt.pk).secret
    assert _controls(_page(client, quiz, attempt, 0)) == _controls(_page(client, quiz, attempt, 0))
    data = quiz_form(attempt, "q-single", {"choice": "ask"})
    response = client.post(f"{quiz.url}attempt/{attempt.pk}/", {"question": "q-single", **data})
    assert response.status_code == 302
    assert QuizAnswer.objects.get(attempt=attempt).response == {"choice": "ask"}


@pytest.mark.django_db
def test_new_attempts_draw_their_own_secret(quiz, trainee):
    first = services.attempt_start(trainee=trainee, quiz=quiz)
    QuizAttempt.objects.filter(pk=first.pk).update(status=AttemptStatus.SUBMITTED)
    second = services.attempt_start(trainee=trainee, quiz=quiz)
    assert len(first.delivery_secret) == 32 and first.delivery_secret != second.delivery_secret

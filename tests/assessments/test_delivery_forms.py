"""The quiz forms' encoding, kind by kind, without a database: what a page posts for every
question kind decodes to the authored answer, anything the page did not carry is refused, and
the values an attempt's page carries stay the same across a deploy (an attempt in progress
must still decode after an upgrade)."""

import pytest

from assessments.engine import delivery
from assessments.engine.quiz_logic import Option, QuestionSpec


def _spec(kind: str, options: tuple[Option, ...]) -> QuestionSpec:
    return QuestionSpec("q1", kind, "Stem", 1.0, "", "", (), None, options)


def _choices(kind: str, n: int = 4) -> QuestionSpec:
    return _spec(kind, tuple(Option(f"k{i}", f"Option {i}", i == 0, "") for i in range(n)))


MATCHING = _spec(
    "intervention_matching",
    (
        Option("p0", "", True, "", factor="Loneliness", intervention="befriending",
               intervention_name="Befriending"),
        Option("p1", "", True, "", factor="Low mood", intervention="cbt", intervention_name="CBT"),
        Option("p2", "", True, "", factor="Worry", intervention="cbt", intervention_name="CBT"),
    ),
)  # fmt: skip


def test_values_and_orders_are_stable_across_releases():
    """Pinned outputs: changing the hash, the separator, the truncation or the prefix would
    make every attempt in progress refuse its own page's answers."""
    assert delivery.token("s", "q", "a") == "v8c13d9dd6944"
    assert len(delivery.token("s", "q", "a")) == 1 + delivery.TOKEN_LENGTH == 13
    assert delivery.order("s", "q", ["a", "b", "c", "d"]) == ["d", "b", "c", "a"]
    assert delivery.token("s", "q", "a") != delivery.token("s", "qa", "")  # scope and key apart
    assert delivery.order("s", "q", []) == []


def test_decode_names_the_problem_in_plain_words():
    with pytest.raises(delivery.UnknownValue) as refused:
        delivery.decode("s", "q", ["a"], "v000000000000")
    assert str(refused.value) == delivery.FORGED
    assert delivery.FORGED.startswith("That answer includes a choice this page did not offer.")
    assert delivery.decode("s", "q", ["a", "b"], delivery.token("s", "q", "b")) == "b"
    assert delivery.codebook("s", "q", ["a"]) == {delivery.token("s", "q", "a"): "a"}


def test_single_choice_round_trips_and_an_empty_answer_is_left_for_the_rules():
    spec = _choices("single")
    posted = delivery.encode_form(spec, "s", {"choice": "k2"})
    assert posted == {"choice": delivery.token("s", "q1", "k2")}
    assert delivery.decode_form(spec, "s", posted) == {"choice": "k2"}
    assert delivery.decode_form(spec, "s", {}) == {"choice": None}
    assert delivery.decode_form(spec, "s", {"choice": ""}) == {"choice": None}
    with pytest.raises(delivery.UnknownValue):
        delivery.decode_form(spec, "s", {"choice": "k2"})


class _QueryDict(dict):
    """Like Django's request.POST: ``get`` gives the last of a repeated name, ``getlist`` all."""

    def get(self, name, default=None):
        values = super().get(name)
        return values[-1] if values else default

    def getlist(self, name):
        return super().get(name, [])


@pytest.mark.parametrize("kind", ["multiple", "factor_recognition"])
def test_several_choices_round_trip_from_a_list_a_single_value_or_a_form(kind):
    spec = _choices(kind)
    posted = delivery.encode_form(spec, "s", {"choices": ["k1", "k3"]})
    assert delivery.decode_form(spec, "s", posted) == {"choices": ["k1", "k3"]}
    one = delivery.token("s", "q1", "k1")
    assert delivery.decode_form(spec, "s", {"choices": one}) == {"choices": ["k1"]}
    both = _QueryDict(choices=[one, delivery.token("s", "q1", "k3")])
    assert delivery.decode_form(spec, "s", both) == {"choices": ["k1", "k3"]}
    assert delivery.decode_form(spec, "s", _QueryDict()) == {"choices": []}
    assert delivery.decode_form(spec, "s", {}) == {"choices": []}


def test_matching_round_trips_and_refuses_a_pair_or_intervention_it_did_not_offer():
    answer = {"match-p0": "befriending", "match-p1": "cbt", "match-p2": ""}
    posted = delivery.encode_form(MATCHING, "s", answer)
    assert posted[f"match-{delivery.token('s', 'q1', 'p2')}"] == ""
    assert delivery.decode_form(MATCHING, "s", posted) == answer
    extra = {**posted, "csrfmiddlewaretoken": "x"}  # other fields are not the question's
    assert delivery.decode_form(MATCHING, "s", extra) == answer
    with pytest.raises(delivery.UnknownValue):
        delivery.decode_form(MATCHING, "s", {"match-p0": posted[next(iter(posted))]})
    pair = next(iter(posted))
    with pytest.raises(delivery.UnknownValue):
        delivery.decode_form(MATCHING, "s", {pair: "befriending"})  # the slug itself


def test_the_matching_form_shuffles_each_select_and_its_values_decode():
    rows = delivery.question_form(MATCHING, "s")
    assert sorted(r.option.key for r in rows) == ["p0", "p1", "p2"]
    slugs = delivery.codebook("s", "q1\x1fintervention", ["befriending", "cbt"])
    for row in rows:
        assert row.token == delivery.token("s", "q1", row.option.key)
        assert sorted(name for _, name in row.choices) == ["Befriending", "CBT"]
        assert {slugs[value] for value, _ in row.choices} == {"befriending", "cbt"}
    assert delivery.intervention_token(MATCHING, "s", "cbt") == delivery.token(
        "s", "q1\x1fintervention", "cbt"
    )
    orders = {tuple(n for _, n in delivery.question_form(MATCHING, f"s{i}")[0].choices)
              for i in range(20)}  # fmt: skip
    assert len(orders) == 2  # both orders of the two interventions occur


def test_ordering_round_trips_and_refuses_an_item_it_did_not_offer():
    spec = _choices("ordering", 3)
    answer = {"position-k0": "1", "position-k1": "2", "position-k2": "3"}
    posted = delivery.encode_form(spec, "s", answer)
    assert delivery.decode_form(spec, "s", posted) == answer
    assert delivery.decode_form(spec, "s", {"note": "x"}) == {}
    with pytest.raises(delivery.UnknownValue):
        delivery.decode_form(spec, "s", {"position-k0": "1"})
    one = delivery.question_form(_choices("ordering", 1), "s")
    assert [r.option.key for r in one] == ["k0"]  # one item cannot be out of order


def test_reflection_text_passes_through():
    spec = _spec("reflection", ())
    assert delivery.encode_form(spec, "s", {"text": "My answer"}) == {"text": "My answer"}
    assert delivery.decode_form(spec, "s", {"text": "My answer"}) == {"text": "My answer"}
    assert delivery.decode_form(spec, "s", {}) == {"text": None}


def test_other_kinds_show_every_option_once_with_its_own_value():
    spec = _choices("multiple", 5)
    rows = delivery.question_form(spec, "s")
    assert sorted(r.option.key for r in rows) == [f"k{i}" for i in range(5)]
    assert [r.option.key for r in rows] == delivery.order("s", "q1", [f"k{i}" for i in range(5)])
    assert all(r.choices == () for r in rows)
    assert len({r.token for r in rows}) == 5

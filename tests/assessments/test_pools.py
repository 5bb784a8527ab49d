"""Item pools: one variant per slot in each attempt, a retake preferring variants not yet seen,
the draw fixed for the attempt, and variants that cannot stand in for each other refused by the
editor and the import alike."""

import copy
from collections import Counter

import pytest

from assessments import importing, services
from assessments.engine import pools
from assessments.engine.quiz_logic import QuestionSpec
from assessments.models import AttemptStatus, Evidence, QuizAttempt, QuizPage
from tests.editor import form_errors, form_post_data

from .conftest import MARKER, build_quiz, quiz_spec


def _spec(key, slot="", kind="single", elements=("elicit",), points=1.0):
    return QuestionSpec(key, kind, "", points, "", "", elements, None, slot=slot)


BANK = [
    _spec("a"),
    _spec("a-b", "a"),
    _spec("a-c", "a"),
    _spec("lone"),
    _spec("z", "zed"),
    _spec("z-b", "zed"),
]


# --- The rule (no database) ------------------------------------------------------------------


@pytest.mark.nodb
def test_each_attempt_draws_one_variant_per_slot_in_authored_order():
    drawn = pools.draw(BANK, shown={}, secret="s1")
    assert len(drawn) == 3
    assert drawn[0] in {"a", "a-b", "a-c"} and drawn[1] == "lone" and drawn[2] in {"z", "z-b"}
    assert pools.draw(BANK, shown={}, secret="s1") == drawn  # the same on every reload


@pytest.mark.nodb
def test_the_secret_spreads_first_attempts_over_the_variants():
    firsts = Counter(pools.draw(BANK, shown={}, secret=f"secret-{n}")[0] for n in range(300))
    assert set(firsts) == {"a", "a-b", "a-c"}
    assert min(firsts.values()) > 60  # about 100 each


@pytest.mark.nodb
def test_a_retake_prefers_what_was_shown_least():
    for n in range(50):
        secret = f"s{n}"
        assert pools.draw(BANK, shown={"a": 1, "z": 1}, secret=secret)[0] in {"a-b", "a-c"}
        assert pools.draw(BANK, shown={"a": 1, "a-c": 1, "z": 1}, secret=secret) == [
            "a-b", "lone", "z-b",
        ]  # fmt: skip
        # Every variant seen: the ones seen least often come back first.
        assert pools.draw(BANK, shown={"a": 2, "a-b": 1, "a-c": 2}, secret=secret)[0] == "a-b"


@pytest.mark.nodb
def test_attempts_from_before_pools_show_every_question():
    assert pools.drawn(BANK, []) == BANK
    assert [s.key for s in pools.drawn(BANK, ["z-b", "a"])] == ["a", "z-b"]


@pytest.mark.nodb
def test_variants_must_share_kind_elements_and_points():
    def variant(key, slot, **kw):
        fields = {"kind": "single", "elements": frozenset({"e"}), "points": 1.0} | kw
        return pools.Variant(key=key, slot=slot, **fields)

    same = [variant("a", "a"), variant("a-b", "a"), variant("x", "x", kind="multiple")]
    assert pools.variant_problem(same) is None
    key, message = pools.variant_problem([*same, variant("a-c", "a", points=2.0)])
    assert key == "a-c" and "points" in message and "“a”" in message
    key, message = pools.variant_problem(
        [variant("a", "a"), variant("b", "a", kind="ordering", points=2.0)]
    )
    assert message == (
        "Variants of slot “a” must be interchangeable as evidence: the same kind, competency "
        "elements and points as “a” (kind and points differ)."
    )
    key, message = pools.variant_problem([variant("a", "a"), variant("b", "a", kind="ordering")])
    assert key == "b" and "kind differ" in message
    assert (
        "elements"
        in pools.variant_problem([variant("a", "a"), variant("b", "a", elements=frozenset({"f"}))])[
            1
        ]
    )


# --- Attempts on a pooled quiz ---------------------------------------------------------------


def pooled_spec(slug="pooled-quiz"):
    """The test quiz with its single-choice question in a slot of three variants."""
    spec = quiz_spec(slug=slug)
    first = spec["questions"][0]
    first["slot"] = "walk"
    variants = []
    for suffix in ("b", "c"):
        variant = copy.deepcopy(first)
        variant["key"] = f"q-single-{suffix}"
        variant["stem"] = f"Variant {suffix}: Mrs Osei turns down her exercises. What first?"
        variants.append(variant)
    spec["questions"][1:1] = variants
    return spec


@pytest.fixture
def pooled(db):
    module = build_quiz().get_parent()
    return importing.quiz_import(module=module, spec=pooled_spec())


VARIANTS = {"q-single", "q-single-b", "q-single-c"}


def _take(client, quiz, trainee):
    client.force_login(trainee)
    assert client.post(quiz.url + "start/").status_code == 302
    attempt = QuizAttempt.objects.get(quiz=quiz, trainee=trainee, status=AttemptStatus.IN_PROGRESS)
    return attempt


def test_retakes_show_unseen_variants_and_each_counts_once(client, pooled, trainee):
    seen = []
    for _ in range(3):
        attempt = _take(client, pooled, trainee)
        keys = [s.key for s in services.attempt_questions(attempt)]
        assert len(keys) == 6 and len(set(keys) & VARIANTS) == 1
        assert attempt.question_keys == keys
        seen.append(next(iter(set(keys) & VARIANTS)))
        page = client.get(f"{pooled.url}attempt/{attempt.pk}/?q=0").content.decode()
        shown = services.attempt_questions(attempt)[0]
        assert shown.stem.split(":")[0] in page and MARKER not in page
        assert client.post(f"{pooled.url}attempt/{attempt.pk}/submit/").status_code == 302
    assert set(seen) == VARIANTS  # three attempts, three different variants
    items = Evidence.objects.filter(trainee=trainee, item_key__startswith="quiz:q-single")
    assert {e.item_key for e in items} == {f"quiz:{k}" for k in VARIANTS}


def test_an_attempt_from_before_pools_still_shows_every_question(pooled, trainee):
    attempt = services.attempt_start(trainee=trainee, quiz=pooled)
    QuizAttempt.objects.filter(pk=attempt.pk).update(question_keys=[])  # as migration 0015 left it
    legacy = QuizAttempt.objects.get(pk=attempt.pk)
    assert len(services.attempt_questions(legacy)) == 8  # the six slots' questions, all variants
    # It answered nothing, so nothing counts as shown: the retake draws one variant per slot.
    services.attempt_submit(attempt_id=legacy.pk, trainee=trainee)
    retake = services.attempt_start(trainee=trainee, quiz=pooled)
    assert len(set(retake.question_keys) & VARIANTS) == 1


def test_the_quiz_page_counts_slots_not_variants(client, pooled, trainee):
    client.force_login(trainee)
    assert "<li>6 questions</li>" in client.get(pooled.url).content.decode()


def test_a_question_the_attempt_did_not_draw_cannot_be_answered(client, pooled, trainee):
    attempt = _take(client, pooled, trainee)
    other = next(iter(VARIANTS - set(attempt.question_keys)))
    response = client.post(
        f"{pooled.url}attempt/{attempt.pk}/", {"question": other, "q": 0, "choice": "x"}
    )
    assert response.status_code == 400
    assert "not part of this quiz" in response.content.decode()
    assert not attempt.answers.exists()


def test_the_review_shows_only_the_drawn_variant(client, pooled, trainee):
    attempt = _take(client, pooled, trainee)
    client.post(f"{pooled.url}attempt/{attempt.pk}/submit/")
    review = client.get(f"{pooled.url}attempt/{attempt.pk}/review/").content.decode()
    drawn = next(iter(VARIANTS & set(attempt.question_keys)))
    for key in VARIANTS - {drawn}:
        assert f"Variant {key[-1]}:" not in review
    if drawn != "q-single":
        assert f"Variant {drawn[-1]}:" in review


# --- Authoring: the import and the editor ----------------------------------------------------


@pytest.mark.django_db
def test_the_import_refuses_variants_that_cannot_stand_in_for_each_other():
    module = build_quiz().get_parent()
    spec = pooled_spec("broken-pool")
    spec["questions"][2]["points"] = 2
    with pytest.raises(importing.QuizInvalid) as caught:
        importing.quiz_import(module=module, spec=spec, source="99-pool.yaml")
    assert str(caught.value).startswith("99-pool.yaml is not valid: question “q-single-c”")
    assert "points differ" in str(caught.value)
    assert not QuizPage.objects.filter(slug="broken-pool").exists()


def _edit(client, quiz, change):
    url = f"/admin/pages/{quiz.pk}/edit/"
    data = form_post_data(client.get(url).context["form"])
    index = {data[f"questions-{i}-key"]: i for i in range(int(data["questions-TOTAL_FORMS"]))}
    change(data, index)
    return client.post(url, {key: data.getlist(key) for key in data})


def test_the_editor_refuses_variants_that_differ_with_a_form_error(client, pooled, educator):
    client.force_login(educator)

    def more_points(data, index):
        data[f"questions-{index['q-single-b']}-points"] = "3"

    response = _edit(client, pooled, more_points)
    assert response.status_code == 200
    errors = form_errors(response.context["form"])
    assert any("questions[" in e and "slot" in e and "points differ" in e for e in errors), errors
    assert pooled.get_latest_revision().content["questions"][1]["points"] == 1


def test_the_editor_saves_a_slot(client, pooled, educator):
    client.force_login(educator)

    def own_slot(data, index):
        data[f"questions-{index['q-multiple']}-slot"] = "socials"

    response = _edit(client, pooled, own_slot)
    assert response.status_code == 302, form_errors(response.context["form"])
    questions = QuizPage.objects.get(pk=pooled.pk).get_latest_revision().content["questions"]
    assert {q["key"]: q["slot"] for q in questions}["q-multiple"] == "socials"

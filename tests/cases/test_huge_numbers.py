"""A questionnaire answer or a step number of thousands of digits is a 400 with a message, not
a 500 (Python's int() refuses more than 4,300 digits with a ValueError), and nothing changes."""

import pytest

from assessments.models import Evidence
from cases.models import CaseVignettePage, VignetteStep
from home.numbers import bounded_int
from home.roles import Role
from tests.factories import make_user

from .conftest import build_case, play_best

KEY = [2, 2, 1, 2, 1, 1, 1, 0, 0]


def _answers(**changed) -> dict:
    data = {f"item-{i}": str(v) for i, v in enumerate(KEY)}
    return data | changed


@pytest.mark.parametrize(
    "change",
    [
        {"item-3": "9" * 5_000},
        {"item-0": "-" + "1" * 4_400},
        {"item-8": "1" * 40},
        {"item-2": "\u00b2"},
        {"seq": "9" * 5_000},
        {"seq": "1" * 40},
    ],
    ids=["huge", "huge-negative", "past-64-bits", "superscript", "huge-seq", "seq-past-64-bits"],
)
def test_huge_numbers_on_a_questionnaire_step_are_refused(client, db, change):
    case = CaseVignettePage.objects.get(pk=build_case().pk)
    trainee = make_user(Role.TRAINEE, email="digits@test.example")
    attempt, _ = play_best(trainee=trainee, vignette=case, stop_at="phq")
    client.force_login(trainee)
    before = (VignetteStep.objects.count(), Evidence.objects.count())
    url = case.url + f"play/{attempt.pk}/"
    response = client.post(url, {"seq": str(attempt.seq), **_answers(**change)})
    assert response.status_code in (400, 409)
    assert b"Record an answer" in response.content or b"step number" in response.content
    assert (VignetteStep.objects.count(), Evidence.objects.count()) == before
    attempt.refresh_from_db()
    assert attempt.node == "phq"
    # The right answers are still taken.
    ok = client.post(url, {"seq": str(attempt.seq), **_answers()})
    assert ok.status_code == 302


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("12", 12),
        (" -3 ", -3),
        ("+4", 4),
        ("1001", None),
        ("9" * 5_000, None),
        ("1.5", None),
        ("\uff11", None),
        ("", None),
        (None, None),
        (True, None),
    ],
)
def test_bounded_int(raw, expected):
    assert bounded_int(raw, low=-1000, high=1000) == expected

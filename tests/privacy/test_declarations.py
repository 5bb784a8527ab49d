"""The download and the erasure follow the declarations of personal data: one section per
declared export, each holding the person's rows only; an erasure reports what it removed,
table by table; and the download keeps its address and its old name."""

import json

import pytest
from django.urls import resolve, reverse

from home.personal_data import declared
from privacy.selectors import personal_data_for
from privacy.services import account_erase
from tests.history import NAME, build_history

pytestmark = pytest.mark.django_db


def test_the_download_has_a_section_for_each_declared_table_with_the_persons_rows_only():
    history = build_history()
    data = personal_data_for(user=history.trainee)
    expected = {d.export.section for _, d in declared() if d.export is not None}
    assert set(data) == expected
    assert data["profile"]["display_name"] == NAME and data["profile"]["roles"] == ["Trainees"]
    assert [row["text"] for row in data["reflections"]] == [f"I am {NAME}; I forgot to ask."]
    assert len(data["sign_offs"]) == 2 and len(data["supervisors"]) == 1
    assert any(NAME in json.dumps(row["response"]) for row in data["quiz_answers"])
    # The supervisor's own download holds none of the trainee's rows (only their own).
    theirs = personal_data_for(user=history.supervisor)
    assert theirs["sign_offs"] == [] and theirs["supervisors"] == []
    assert NAME not in json.dumps(theirs, default=str)


def test_an_erasure_reports_what_it_removed_for_each_declared_table():
    from allauth.mfa.models import Authenticator

    history = build_history()
    Authenticator.objects.create(
        user=history.trainee, type=Authenticator.Type.RECOVERY_CODES, data={"seed": "00" * 20}
    )
    report = account_erase(user=history.trainee, by=history.administrator)
    removed = {label: n for label, n in report.removed.items() if n}
    assert removed == {
        "reflections": 1,
        "sign-off request messages": 1,
        "reflective quiz answers": 1,
        "names on sign-off records": 2,  # one for each record of the history
        "email addresses": 1,
        "authenticators": 1,
        "admin log entries relabelled": 2,
    }


def test_the_download_keeps_its_address(client, trainee):
    assert reverse("privacy:my_data") == "/account/my-data.json"
    assert resolve("/account/my-data.json").view_name == "privacy:my_data"
    client.force_login(trainee)
    response = client.get(reverse("privacy:my_data"))
    assert response.status_code == 200 and json.loads(response.content)["profile"]

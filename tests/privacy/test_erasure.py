"""Account erasure: after an administrator erases a trainee with a full history, a search of every
text column of every table finds neither their name nor their email; what is kept (attempts,
evidence, sign-off records, the audit log) is still whole and anonymous; the chains verify, the
supervisor's screens still work and show the pseudonym; and the person cannot log in."""

import io

import pytest
from django.core.management import CommandError, call_command

from assessments.models import Evidence, QuizAttempt
from cases.models import VignetteAttempt
from home.models import AuditEvent, User
from privacy.selectors import mentions_find, personal_terms
from privacy.services import ErasureError, account_erase
from supervision.models import SignOffRecord
from supervision.services import sign_off_chains_verify
from tests.factories import PASSWORD
from tests.history import EMAIL, NAME, build_history

pytestmark = pytest.mark.django_db

KEPT = (QuizAttempt, VignetteAttempt, Evidence, SignOffRecord)


@pytest.fixture
def history(client):
    history = build_history()
    trainee = history.trainee
    # Failed logins (django-axes records them with the email), then a real login: a session.
    for _ in range(2):
        client.post("/accounts/login/", {"login": EMAIL, "password": "not-my-password"})
    client.post("/accounts/login/", {"login": EMAIL, "password": PASSWORD})
    assert client.session.get("_auth_user_id") == str(trainee.pk)
    assert client.get("/account/my-data.json").status_code == 200  # audited
    client.logout()
    client.force_login(trainee)  # a session that stays in the database

    from allauth.mfa.models import Authenticator

    Authenticator.objects.create(
        user=trainee, type=Authenticator.Type.RECOVERY_CODES, data={"seed": "00" * 20}
    )
    return history


def test_erasure_leaves_the_name_and_email_nowhere_and_keeps_the_anonymous_records(client, history):
    trainee = history.trainee
    terms = personal_terms(trainee)
    assert {NAME, EMAIL, "Quillfeather"} <= set(terms)
    # The search works: before the erasure it finds the person in many places (any case).
    before = {hit.split(" ")[0] for hit in mentions_find(terms=[t.upper() for t in terms])}
    assert {
        "home_user.email",
        "home_user.display_name",
        "account_emailaddress.email",
        "curriculum_reflectionanswer.text",
        "assessments_signoffrequest.message",
        "assessments_quizanswer.response",
        "axes_accessattempt.username",
        "axes_accesslog.username",
        "wagtailcore_modellogentry.label",
        "django_admin_log.object_repr",
    } <= before, before
    kept = {model: model.objects.filter(trainee=trainee).count() for model in KEPT}

    out = io.StringIO()
    call_command(
        "erase_account", EMAIL.upper(), by=history.administrator.email, no_input=True, stdout=out
    )

    assert mentions_find(terms=terms) == []
    assert "found the former name and email nowhere" in out.getvalue()
    trainee = User.objects.get(pk=trainee.pk)
    pseudonym = f"Erased person #{trainee.pk}"
    assert trainee.name == pseudonym and not trainee.is_active
    assert not trainee.has_usable_password() and trainee.email.endswith(".invalid")
    assert {model: model.objects.filter(trainee=trainee).count() for model in KEPT} == kept
    assert sign_off_chains_verify() == {}

    # The erasure is audited: by the administrator, about the account id, nothing more.
    event = AuditEvent.objects.get(action="account_erased")
    assert event.actor == history.administrator
    assert (event.target_type, event.target_id, event.detail) == ("home.User", str(trainee.pk), {})

    # The supervisor still sees the anonymous record, under the pseudonym.
    client.force_login(history.supervisor)
    for url in ("/supervision/", f"/supervision/trainees/{trainee.pk}/"):
        response = client.get(url)
        assert response.status_code == 200
        page = response.content.decode()
        assert pseudonym in page and NAME not in page

    # The person's old session is gone and they cannot log in again.
    client.logout()
    for login in (EMAIL, trainee.email):
        client.post("/accounts/login/", {"login": login, "password": PASSWORD})
        assert "_auth_user_id" not in client.session


def test_only_another_administrator_can_erase_and_only_once(trainee, supervisor, administrator):
    with pytest.raises(ErasureError, match="Only an administrator"):
        account_erase(user=trainee, by=supervisor)
    with pytest.raises(ErasureError, match="their own account"):
        account_erase(user=administrator, by=administrator)
    assert User.objects.get(pk=trainee.pk).email == trainee.email  # nothing changed
    account_erase(user=trainee, by=administrator)
    with pytest.raises(ErasureError, match="already been erased"):
        account_erase(user=User.objects.get(pk=trainee.pk), by=administrator)


def test_the_command_asks_for_the_address_again(trainee, administrator, monkeypatch):
    monkeypatch.setattr("builtins.input", lambda prompt: "someone-else@example.org")
    with pytest.raises(CommandError, match="does not match; nothing was changed"):
        call_command("erase_account", trainee.email, by=administrator.email)
    assert User.objects.get(pk=trainee.pk).display_name == "Tara Trainee"

"""A trainee is never told their sign-off request was emailed when it was not: with a mail
backend that raises, the request is stored, the trainee is told the email could not be sent,
and the supervisor still finds the request on their page. Names with line breaks or other
control characters are refused wherever a name is set."""

import smtplib

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.mail.backends.base import BaseEmailBackend

from home import services as home_services
from home.roles import Role
from supervision import services as supervision_services
from supervision import sign_off_requests
from supervision.models import SignOffRequest
from tests.factories import PASSWORD, make_user

# Real commits: the email goes out on commit, before the view chooses its message.
# serialized_rollback as every other transactional test (see tests/home/test_records_cache.py).
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


class RaisingBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise smtplib.SMTPServerDisconnected("mail server down")


@pytest.fixture
def ready_pair(monkeypatch):
    supervisor = make_user(Role.SUPERVISOR, email="boss@test.example", display_name="Sam Boss")
    trainee = make_user(Role.TRAINEE, email="ready@test.example", display_name="Ria Ready")
    supervision_services.supervisor_assign(supervisor=supervisor, trainee=trainee)
    monkeypatch.setattr(sign_off_requests, "trainee_progress", lambda user: {"ready": True})
    return supervisor, trainee


def _request(client, trainee):
    client.force_login(trainee)
    response = client.post("/dashboard/request-sign-off/", {"message": "Please"})
    assert response.status_code == 302
    return [str(m) for m in response.wsgi_request._messages]


def test_a_failed_email_is_told_and_the_request_is_kept(client, ready_pair, settings):
    supervisor, trainee = ready_pair
    settings.MAILERS = {"default": {"BACKEND": f"{__name__}.RaisingBackend"}}
    told = _request(client, trainee)
    assert any("could not be sent" in m for m in told), told
    assert not any("has been sent" in m for m in told), told
    assert SignOffRequest.objects.filter(trainee=trainee).count() == 1
    client.force_login(supervisor)
    assert "Ria Ready" in client.get("/supervision/").content.decode()


def test_a_sent_email_is_told_as_sent(client, ready_pair):
    supervisor, trainee = ready_pair
    told = _request(client, trainee)
    assert any("has been sent" in m for m in told), told
    assert [m.to for m in mail.outbox] == [[supervisor.email]]


@pytest.mark.parametrize(
    "name", ["Ria\nReady", "Ria\r\nBcc: x@evil.example", "Ria\tReady", "Ria\u202eydaeR", "\x00"]
)
def test_names_with_control_characters_are_refused_everywhere(client, name):
    person = make_user(Role.TRAINEE, email="named@test.example", display_name="Fine Name")
    with pytest.raises(ValidationError):
        home_services.profile_update(user=person, display_name=name)
    with pytest.raises(ValidationError):
        home_services.user_create(email="x@test.example", password=PASSWORD, role=Role.TRAINEE,
                                  display_name=name)  # fmt: skip
    client.force_login(person)
    settings_page = client.post(
        "/account/profile/",
        {"display_name": name, "profession": "nurse", "speciality": "", "organisation": ""},
    )
    assert settings_page.status_code in (200, 400)
    refused = (b"invisible characters", b"Null characters")
    assert any(word in settings_page.content for word in refused)
    client.logout()
    signup = client.post(
        "/accounts/signup/",
        {
            "email": "newname@test.example",
            "display_name": name,
            "profession": "nurse",
            "password1": "correct horse battery staple",
            "password2": "correct horse battery staple",
        },
    )
    assert signup.status_code in (200, 400)
    assert any(word in signup.content for word in refused)
    person.refresh_from_db()
    assert person.display_name == "Fine Name"

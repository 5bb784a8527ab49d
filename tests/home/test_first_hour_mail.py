"""The demo's inbox and the product's voice in email (issue 18): in the demo, email is written to
a folder as readable UTF-8 files and listed at /demo/mail/ (a 404 anywhere DEMO_MAIL is off);
every email greets the person by name or address, never by the generated username or the host."""

import re

import pytest
from django.conf import settings
from django.core import mail
from django.test import override_settings

from home import demo_mail
from home.models import User
from tests.factories import PASSWORD
from tests.home.test_accounts import SIGNUP

pytestmark = pytest.mark.django_db


def _signup(client):
    assert client.post("/accounts/signup/", SIGNUP).status_code == 302
    return User.objects.get(email=SIGNUP["email"])


def test_the_verification_email_speaks_in_the_products_voice(client):
    user = _signup(client)
    message = mail.outbox[-1]
    assert message.subject == "[Psychosocial competency] Confirm your email address"
    body = message.body
    assert body.startswith("Dear Nia Newperson,")
    assert "Psychosocial competency" in body
    assert user.username not in body.replace(user.email, "") and "user " not in body
    assert "testserver" not in body.split("http")[0]  # the host only inside the link
    assert "Hello from" not in body and "!" not in body
    assert re.search(r"^https?://\S+/accounts/confirm-email/\S+/$", body, re.MULTILINE)


def test_the_password_reset_email_names_no_username(client, trainee):
    client.post("/accounts/password/reset/", {"email": trainee.email})
    body = mail.outbox[-1].body
    assert body.startswith(f"Dear {trainee.name},")
    assert trainee.username not in body.replace(trainee.email, "")
    assert "/accounts/password/reset/key/" in body
    assert mail.outbox[-1].subject.endswith("Reset your password")


def test_an_unknown_address_is_greeted_by_the_address(client):
    client.post("/accounts/password/reset/", {"email": "nobody@test.example"})
    body = mail.outbox[-1].body
    assert body.startswith("Dear nobody@test.example,")
    assert "/accounts/signup/" in body


def test_the_backend_writes_whole_utf8_files(tmp_path):
    long_link = "https://127.0.0.1:8101/accounts/confirm-email/" + "Mg" * 60 + "/"
    message = mail.EmailMessage(
        "Confirm your address, Zoë",
        f"Dear Zoë,\n\n{long_link}\n",
        "from@test.example",
        ["z@t.example"],
    )
    backend = demo_mail.DemoMailBackend(directory=tmp_path)
    assert backend.send_messages([message]) == 1
    [path] = tmp_path.glob("*.eml")
    text = path.read_text(encoding="utf-8")
    assert "Content-Transfer-Encoding: 8bit" in text
    assert long_link in text.splitlines()  # one whole line: not quoted-printable
    assert "Dear Zoë," in text
    [read] = demo_mail.inbox(tmp_path)
    assert read.subject == "Confirm your address, Zoë"
    assert read.headers["To"] == "z@t.example"


def test_the_inbox_page_is_a_404_without_demo_mail(client, administrator):
    assert settings.DEMO_MAIL is False
    assert client.get("/demo/mail/").status_code == 404
    client.force_login(administrator)
    assert client.get("/demo/mail/").status_code == 404


def test_the_inbox_page_shows_the_demos_email_to_visitors(client, tmp_path):
    demo_settings = {
        "DEMO_MAIL": True,
        "DEMO_MAIL_DIR": tmp_path,
        "MAILERS": {
            "default": {
                "BACKEND": "home.demo_mail.DemoMailBackend",
                "OPTIONS": {"directory": str(tmp_path)},
            }
        },
    }
    with override_settings(**demo_settings):
        empty = client.get("/demo/mail/")
        assert empty.status_code == 200
        assert "No email has been sent yet" in empty.content.decode()
        _signup(client)
        client.logout()
        response = client.get("/demo/mail/")
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    html = response.content.decode()
    assert "only in the local demo" in html
    assert "Confirm your email address" in html and SIGNUP["email"] in html
    link = re.search(r'<a href="(https?://[^"]+/accounts/confirm-email/[^"]+/)"', html)
    assert link, html
    assert client.post(link.group(1).split("testserver", 1)[1]).status_code == 302
    assert User.objects.get(email=SIGNUP["email"]).emailaddress_set.get().verified


def test_production_settings_have_no_demo_inbox():
    from psycomp.settings import base

    assert base.DEMO_MAIL is False
    source = (settings.BASE_DIR / "psycomp" / "settings" / "production.py").read_text()
    assert "DEMO_MAIL" not in source and "demo_mail" not in source


def test_allauth_names_people_by_name_not_by_username(client, trainee):
    response = client.post(
        "/accounts/login/", {"login": trainee.email, "password": PASSWORD}, follow=True
    )
    html = response.content.decode()
    assert "You are logged in as Tara Trainee." in html
    assert f"logged in as {trainee.username}" not in html

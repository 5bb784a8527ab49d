"""A trainee without a supervisor is shown the way to one (issue 18), and the demo seeds a cohort
with a known invite code that `demo_accounts` prints."""

import io

import pytest
from django.core import mail
from django.core.management import call_command

from home.demo import DEMO_COHORT
from supervision import seed, services
from supervision.models import Cohort, SignOffRequest

pytestmark = pytest.mark.django_db


def test_a_trainee_without_a_supervisor_sees_how_to_get_one(client, trainee):
    client.force_login(trainee)
    html = client.get("/dashboard/").content.decode()
    assert "You have no supervisor assigned yet." in html
    assert 'href="/cohorts/join/"' in html
    assert "invite code" in html


def test_a_supervised_trainee_still_has_the_link(client, trainee, supervisor):
    services.supervisor_assign(supervisor=supervisor, trainee=trainee)
    client.force_login(trainee)
    html = client.get("/dashboard/").content.decode()
    assert "Your supervisor: Sita Supervisor." in html
    assert 'href="/cohorts/join/"' in html


def test_cohort_ensure_is_idempotent():
    first = services.cohort_ensure(name="Demo cohort", invite_code="CODE-1")
    again = services.cohort_ensure(name="Demo cohort", invite_code="CODE-1")
    assert first.pk == again.pk and Cohort.objects.count() == 1
    changed = services.cohort_ensure(name="Demo cohort", invite_code="CODE-2")
    assert changed.pk == first.pk and changed.invite_code == "CODE-2"


def test_the_demo_cohort_is_seeded_printed_and_joinable(client, trainee):
    seed.run(lambda message: None)
    seed.run(lambda message: None)  # twice: still one
    cohort = Cohort.objects.get(name=DEMO_COHORT["name"])
    assert cohort.invite_code == DEMO_COHORT["invite_code"]
    out = io.StringIO()
    call_command("demo_accounts", stdout=out)
    assert DEMO_COHORT["invite_code"] in out.getvalue()
    assert "/demo/mail/" in out.getvalue()
    client.force_login(trainee)
    response = client.post("/cohorts/join/", {"code": DEMO_COHORT["invite_code"]})
    assert response.status_code == 302
    assert trainee.cohort_memberships.filter(cohort=cohort).exists()


def test_the_supervisors_notice_greets_them_by_name(trainee, supervisor):
    services.supervisor_assign(supervisor=supervisor, trainee=trainee)
    request = SignOffRequest.objects.create(trainee=trainee)
    assert services._notify_supervisors(request) == 1
    message = mail.outbox[-1]
    assert message.subject == "[Psychosocial competency] Tara Trainee asks for sign-off"
    assert message.body.startswith("Dear Sita Supervisor,\n\nTara Trainee has asked you")
    assert f"user {trainee.username}" not in message.body

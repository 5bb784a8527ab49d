"""The sign-off loop, repaired: requests have a state (open, decided, withdrawn) and a trainee has
one open request at a time; after a "not yet" or a revocation the dashboard shows the outcome and
the request returns with new evidence; one decision per request; certificates carry the name
that was signed off, frozen inside the hash; /verify/ certifies only competent, unrevoked
decisions."""

import re
import time

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from assessments.models import MasteryPolicy
from cases.models import CaseVignettePage
from curriculum.models import LessonPage
from curriculum.services import lesson_complete
from supervision import chain
from supervision import services as supervision_services
from supervision.models import SignedName, SignOffRecord, SignOffRequest
from tests.cases.conftest import build_case, play_best
from tests.curriculum.conftest import build_course
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def ready(supervisor, trainee):
    """A trainee who is ready (one case played well and every lesson done, under a policy that
    one case satisfies), assigned to the supervisor; and the case, to play again."""
    policy = MasteryPolicy.load()
    policy.min_items, policy.min_settings, policy.threshold_percent = 1, 1, 50
    policy.save()
    build_course(modules=1, lessons_per_module=1)
    case = CaseVignettePage.objects.get(pk=build_case().pk)
    for lesson in LessonPage.objects.live():
        lesson_complete(user=trainee, lesson=lesson)
    play_best(trainee=trainee, vignette=case)
    supervision_services.supervisor_assign(supervisor=supervisor, trainee=trainee)
    return supervisor, trainee, case


def decide(supervisor, trainee, decision="not_yet", **extra):
    fields = {
        "feedback": "Asks about home; not yet about work.",
        "next_steps": "Play two more cases and ask about work each time.",
        "level": 2,
    }
    return supervision_services.sign_off_record(
        supervisor=supervisor,
        trainee=trainee,
        decision=decision,
        reauthenticated_at=time.time(),
        **{**fields, **extra},
    )


def dashboard(client, person) -> str:
    client.force_login(person)
    return client.get("/dashboard/").content.decode()


def test_three_posts_send_one_request_and_one_email(
    client, ready, django_capture_on_commit_callbacks
):
    supervisor, trainee, _ = ready
    client.force_login(trainee)
    with django_capture_on_commit_callbacks(execute=True):
        responses = [
            client.post("/dashboard/request-sign-off/", {"message": "Please look at my cases."})
            for _ in range(3)
        ]
    assert all(r.status_code == 302 for r in responses)
    request = SignOffRequest.objects.get()
    assert (request.status, request.message) == ("open", "Please look at my cases.")
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == [supervisor.email] and trainee.name in sent.subject
    assert trainee.name in sent.body and "Please look at my cases." in sent.body
    assert f"http://127.0.0.1:8000/supervision/trainees/{trainee.pk}/" in sent.body
    # The supervisor's page about the trainee shows the message.
    client.force_login(supervisor)
    page = client.get(f"/supervision/trainees/{trainee.pk}/").content.decode()
    assert "Please look at my cases." in page and "Asked for sign-off" in page


def test_the_database_refuses_a_second_open_request(ready):
    _, trainee, _ = ready
    SignOffRequest.objects.create(trainee=trainee)
    with pytest.raises(IntegrityError), transaction.atomic():
        SignOffRequest.objects.create(trainee=trainee)
    # Withdrawn and decided requests do not count.
    SignOffRequest.objects.update(status="withdrawn")
    SignOffRequest.objects.create(trainee=trainee)
    assert SignOffRequest.objects.filter(status="open").count() == 1


def test_the_service_turns_a_lost_race_into_a_clear_message(ready, monkeypatch):
    """Two posts at once both pass the check; the index refuses the second, which is told."""
    _, trainee, _ = ready
    SignOffRequest.objects.create(trainee=trainee)
    real_filter = SignOffRequest.objects.filter

    def blind(*args, **kwargs):  # the check sees nothing, as the second of two racing posts
        return real_filter(*args, **kwargs).none()

    monkeypatch.setattr(SignOffRequest.objects, "filter", blind)
    with pytest.raises(ValidationError, match="already asked"):
        supervision_services.sign_off_request(trainee=trainee)
    monkeypatch.undo()
    assert SignOffRequest.objects.count() == 1


def test_a_message_over_the_limit_is_refused_and_nothing_is_sent(client, ready):
    _, trainee, _ = ready
    with pytest.raises(ValidationError, match="under 2,000 characters"):
        supervision_services.sign_off_request(trainee=trainee, message="x" * 2001)
    assert not SignOffRequest.objects.exists()


def test_a_trainee_withdraws_their_open_request_and_can_ask_again(client, ready):
    _, trainee, _ = ready
    client.force_login(trainee)
    client.post("/dashboard/request-sign-off/", {"message": "First go"})
    page = dashboard(client, trainee)
    assert "You asked for sign-off on" in page and "First go" in page
    assert "Withdraw my request" in page and "Request sign-off</button>" not in page
    response = client.post("/dashboard/request-sign-off/withdraw/")
    assert response.status_code == 302
    request = SignOffRequest.objects.get()
    assert request.status == "withdrawn" and request.closed_at is not None
    assert "Request sign-off</button>" in dashboard(client, trainee)
    # Nothing left to withdraw: a clear message, nothing changed.
    client.post("/dashboard/request-sign-off/withdraw/")
    assert SignOffRequest.objects.get().status == "withdrawn"
    client.post("/dashboard/request-sign-off/", {"message": "Second go"})
    assert SignOffRequest.objects.filter(status="open").get().message == "Second go"


def test_not_yet_shows_the_outcome_and_the_request_returns_with_new_evidence(client, ready):
    supervisor, trainee, case = ready
    supervision_services.sign_off_request(trainee=trainee, message="Ready, I think")
    record = decide(supervisor, trainee)
    request = SignOffRequest.objects.get()
    assert (request.status, request.decision) == ("decided", record)

    page = dashboard(client, trainee)
    assert "Not yet competent" in page and supervisor.name in page
    assert "Asks about home; not yet about work." in page
    assert "Play two more cases and ask about work each time." in page
    assert "You can ask again once you have new evidence" in page
    assert "Request sign-off</button>" not in page
    # Asking anyway (a crafted post) is refused with the same rule.
    with pytest.raises(ValidationError, match="new evidence since the decision"):
        supervision_services.sign_off_request(trainee=trainee)

    play_best(trainee=trainee, vignette=case)  # new evidence since the decision
    page = dashboard(client, trainee)
    assert "You have new evidence since that decision" in page
    assert "Request sign-off</button>" in page
    client.post("/dashboard/request-sign-off/", {"message": "Two more cases played"})
    assert SignOffRequest.objects.filter(status="open").get().message == "Two more cases played"


def test_competent_then_revoked_shows_the_reason_and_asks_for_new_evidence(client, ready):
    supervisor, trainee, case = ready
    competent = decide(supervisor, trainee, "competent", level=3, next_steps="")
    page = dashboard(client, trainee)
    assert "signed you off as competent" in page and "Request sign-off</button>" not in page
    with pytest.raises(ValidationError, match="signed off as competent"):
        supervision_services.sign_off_request(trainee=trainee)

    supervision_services.sign_off_revoke(
        supervisor=supervisor,
        record=competent,
        reason="A concern about a patient was raised.",
        reauthenticated_at=time.time(),
    )
    page = dashboard(client, trainee)
    assert "Your sign-off was revoked" in page
    assert "A concern about a patient was raised." in page
    assert "Request sign-off</button>" not in page
    play_best(trainee=trainee, vignette=case)
    assert "Request sign-off</button>" in dashboard(client, trainee)
    assert supervision_services.sign_off_request(trainee=trainee).status == "open"


def test_one_decision_per_request_even_when_the_form_is_posted_twice(client, ready):
    supervisor, trainee, _ = ready
    supervision_services.sign_off_request(trainee=trainee)
    client.force_login(supervisor)
    url = f"/supervision/trainees/{trainee.pk}/sign-off/"
    page = client.get(url).content.decode()
    request_id = re.search(r'name="request_id" value="(\d+)"', page).group(1)
    after = re.search(r'name="after" value="(\d+)"', page).group(1)
    form = {
        "decision": "competent",
        "level": "3",
        "feedback": "Asks about home, work and mood every time.",
        "request_id": request_id,
        "after": after,
        "password": PASSWORD,
    }
    assert client.post(url, form).status_code == 302
    again = client.post(url, form)
    assert again.status_code == 409
    assert "already been decided" in again.content.decode()
    assert SignOffRecord.objects.count() == 1
    assert SignOffRequest.objects.get().decision == SignOffRecord.objects.get()


def test_a_decision_without_a_request_is_still_made_once(ready):
    supervisor, trainee, _ = ready
    decide(supervisor, trainee, after_record_id=0)
    with pytest.raises(supervision_services.AlreadyDecided):
        decide(supervisor, trainee, after_record_id=0)
    assert SignOffRecord.objects.count() == 1


def test_a_wrong_password_keeps_the_supervisors_work_and_saves_nothing(client, ready):
    supervisor, trainee, _ = ready
    client.force_login(supervisor)
    url = f"/supervision/trainees/{trainee.pk}/sign-off/"
    form = {
        "decision": "not_yet",
        "level": "2",
        "feedback": "A long paragraph of careful feedback.",
        "next_steps": "Observe two clinics.",
        "after": "0",
        "password": "not-it",
    }
    response = client.post(url, form)
    page = response.content.decode()
    assert response.status_code == 403 and not SignOffRecord.objects.exists()
    assert "That password or code is not right." in page
    assert "A long paragraph of careful feedback." in page and "Observe two clinics." in page
    assert "not-it" not in page


# --- Certificates: the name signed off ----------------------------------------------------------


def test_the_certificate_and_verify_show_the_name_that_was_signed_off(client, ready):
    supervisor, trainee, _ = ready
    signed_as = trainee.name
    record = decide(supervisor, trainee, "competent", level=3)
    assert SignedName.objects.get(record=record).name == signed_as
    assert record.name_commitment == chain.name_commitment(
        signed_as, SignedName.objects.get(record=record).salt
    )
    trainee.display_name = "Someone Else Entirely"
    trainee.save()
    client.force_login(trainee)
    certificate = client.get(f"/dashboard/sign-offs/{record.pk}/certificate/").content.decode()
    assert signed_as in certificate and "Someone Else Entirely" not in certificate
    client.logout()
    public = client.get(f"/verify/{record.verification_code}/").content.decode()
    assert signed_as in public and "Someone Else Entirely" not in public
    assert supervision_services.sign_off_chains_verify() == {}
    # A changed name beside the record no longer matches the hash inside it.
    SignedName.objects.filter(record=record).update(name="Someone Else Entirely")
    problems = supervision_services.sign_off_chains_verify()
    assert problems == {trainee.pk: [f"record {record.pk}: the name signed off has changed"]}


def test_no_name_means_no_email_on_the_certificate(client, ready):
    supervisor, trainee, _ = ready
    trainee.display_name, trainee.first_name, trainee.last_name = "", "", ""
    trainee.save()
    record = decide(supervisor, trainee, "competent", level=3)
    client.logout()
    public = client.get(f"/verify/{record.verification_code}/").content.decode()
    assert "Name not recorded" in public and trainee.email not in public


def _old_style_record(supervisor, trainee, previous: str, **fields) -> SignOffRecord:
    """A record as the code before frozen names sealed it: these hashed fields exactly, no
    name commitment, no SignedName (the hash a stored chain holds today)."""
    record = SignOffRecord(
        trainee=trainee,
        supervisor=supervisor,
        level=3,
        feedback="Before names were frozen.",
        snapshot={"ready": True},
        **fields,
    )
    old_fields = {
        "trainee": trainee.pk,
        "supervisor": supervisor.pk,
        "competency": record.competency,
        "decision": record.decision,
        "level": record.level,
        "feedback": record.feedback,
        "next_steps": record.next_steps,
        "justification": record.justification,
        "revokes": None,
        "reason": record.reason,
        "verification_code": record.verification_code,
        "created_at": record.created_at.isoformat(),
    }
    record.snapshot_hash = chain.digest(record.snapshot)
    record.previous_hash = previous
    record.record_hash = chain.record_digest(old_fields, record.snapshot_hash, previous)
    record.save()
    return record


def test_chains_written_before_frozen_names_still_verify_and_continue(client, ready):
    supervisor, trainee, _ = ready
    old = _old_style_record(supervisor, trainee, chain.GENESIS, decision="competent")
    assert supervision_services.sign_off_chains_verify() == {}
    new = decide(supervisor, trainee)  # a new record continues the old chain, with a name
    assert new.previous_hash == old.record_hash and new.name_commitment
    assert supervision_services.sign_off_chains_verify() == {}
    # The old certificate shows the trainee's name (never the email): it had none frozen.
    client.logout()
    public = client.get(f"/verify/{old.verification_code}/").content.decode()
    assert trainee.display_name in public and trainee.email not in public


@pytest.mark.parametrize("kind", ["not_yet", "revocation"])
def test_verify_certifies_only_a_competent_decision(client, ready, kind):
    supervisor, trainee, _ = ready
    if kind == "not_yet":
        record = decide(supervisor, trainee)
    else:
        competent = decide(supervisor, trainee, "competent", level=3)
        record = supervision_services.sign_off_revoke(
            supervisor=supervisor, record=competent, reason="Error.", reauthenticated_at=time.time()
        )
    response = client.get(f"/verify/{record.verification_code}/")
    page = response.content.decode()
    assert response.status_code == 404
    assert "No valid certificate has the code" in page and trainee.name not in page


def test_a_revoked_certificate_is_not_shown_as_one(client, ready):
    supervisor, trainee, _ = ready
    competent = decide(supervisor, trainee, "competent", level=3)
    supervision_services.sign_off_revoke(
        supervisor=supervisor, record=competent, reason="Error.", reauthenticated_at=time.time()
    )
    response = client.get(f"/verify/{competent.verification_code}/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "was revoked on" in page and "no longer valid" in page
    assert trainee.name not in page and "Entrustment level" not in page


def test_revoking_confirms_the_password_inline_and_keeps_the_reason(client, ready):
    supervisor, trainee, _ = ready
    competent = decide(supervisor, trainee, "competent", level=3)
    client.force_login(supervisor)
    page = client.get(f"/supervision/trainees/{trainee.pk}/").content.decode()
    assert f'id="password-{competent.pk}"' in page  # not confirmed lately: asked inline
    url = f"/supervision/sign-offs/{competent.pk}/revoke/"
    wrong = client.post(url, {"reason": "Concerns raised in clinic.", "password": "nope"})
    page = wrong.content.decode()
    assert wrong.status_code == 403 and not SignOffRecord.objects.filter(revokes=competent)
    assert "That password or code is not right." in page and "Concerns raised in clinic." in page
    missing = client.post(url, {"reason": "", "password": PASSWORD})
    assert missing.status_code == 400 and not SignOffRecord.objects.filter(revokes=competent)
    assert 'name="password"' not in missing.content.decode()  # confirmed now
    done = client.post(url, {"reason": "Concerns raised in clinic."})
    assert done.status_code == 302
    assert SignOffRecord.objects.get(revokes=competent).reason == "Concerns raised in clinic."

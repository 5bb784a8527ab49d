"""Two supervisors for a sign-off (``MasteryPolicy.supervisors_needed`` and ``sign_off_rule``):
each records their own decision on the trainee's request, once; with "all must agree" it takes
two competent decisions from two current supervisors (a "not yet" from either closes the request),
with "the lead decides" the lead's decision counts and the other's is advice. Only the outcome is
a certificate; either supervisor can revoke it; the rule is shown on the record; the chain keeps
verifying."""

import datetime
import time

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from assessments.models import MasteryPolicy
from home.roles import Role
from supervision import services as supervision_services
from supervision.models import SignOffRecord, SignOffRequest, SupervisorAssignment
from tests.factories import make_user
from tests.supervision.test_sign_off_loop import dashboard, decide, ready  # noqa: F401

pytestmark = pytest.mark.django_db

COMPETENT = {"next_steps": "", "level": 3, "feedback": "Asks about home and work every time."}


@pytest.fixture
def two(ready):  # noqa: F811  (the fixture imported above)
    """A ready trainee with two current supervisors (the first assigned is the lead), an open
    request, and a policy that asks for both."""
    lead, trainee, case = ready
    other = make_user(Role.SUPERVISOR, email="second@test.example", display_name="Omar Other")
    supervision_services.supervisor_assign(supervisor=other, trainee=trainee)
    policy = MasteryPolicy.load()
    policy.supervisors_needed = 2
    policy.save()
    supervision_services.sign_off_request(trainee=trainee)
    return lead, other, trainee, case


def set_rule(rule: str) -> None:
    policy = MasteryPolicy.load()
    policy.sign_off_rule = rule
    policy.save()


def the_request() -> SignOffRequest:
    return SignOffRequest.objects.order_by("-id").first()


def test_one_supervisor_is_the_default_and_records_as_before(ready):  # noqa: F811
    supervisor, trainee, _ = ready
    assert MasteryPolicy.load().supervisors_needed == 1
    supervision_services.sign_off_request(trainee=trainee)
    record = decide(supervisor, trainee, "competent", **COMPETENT)
    assert (record.rule, record.is_result, record.sign_off_request_id) == (None, None, None)
    assert record.counts and "rule" not in record.hashed_fields()
    assert "supervisors_needed" not in record.snapshot["policy"]
    assert the_request().status == "decided"


def test_all_must_agree_waits_for_the_second_competent_decision(client, two):
    lead, other, trainee, _ = two
    first = decide(lead, trainee, "competent", **COMPETENT)
    assert (first.rule, first.is_result, first.counts) == ("all_agree", False, False)
    assert the_request().status == "open"
    # Not yet a certificate, anywhere.
    assert supervision_services.latest_decision(trainee=trainee) is None
    client.force_login(trainee)
    assert client.get(f"/dashboard/sign-offs/{first.pk}/certificate/").status_code == 404
    assert client.get(f"/verify/{first.verification_code}/").status_code == 404
    page = dashboard(client, trainee)
    assert "1 of 2 supervisors has decided." in page
    assert "signed you off as competent" not in page
    client.force_login(other)
    page = client.get(f"/supervision/trainees/{trainee.pk}/").content.decode()
    assert "1 of 2 supervisors has decided." in page
    box = client.get("/supervision/").content.decode()
    assert "(1 of 2 supervisors has decided)" in box

    second = decide(other, trainee, "competent", **COMPETENT)
    assert (second.rule, second.is_result) == ("all_agree", True)
    asked = the_request()
    assert (asked.status, asked.decision) == ("decided", second)
    assert supervision_services.latest_decision(trainee=trainee) == second
    said = "Signed off by Sita Supervisor and Omar Other; both had to agree."
    client.force_login(trainee)
    certificate = client.get(f"/dashboard/sign-offs/{second.pk}/certificate/").content.decode()
    assert said in certificate
    assert client.get(f"/verify/{second.verification_code}/").status_code == 200
    assert said in dashboard(client, trainee)
    client.force_login(lead)
    assert said in client.get(f"/supervision/trainees/{trainee.pk}/").content.decode()
    assert supervision_services.sign_off_chains_verify() == {}
    # The rule, the part the record played and its request are sealed in its hash.
    fields = second.hashed_fields()
    assert (fields["rule"], fields["is_result"], fields["request"]) == ("all_agree", True, asked.pk)


@pytest.mark.parametrize("first_says", ["competent", "not_yet"])
def test_all_must_agree_a_not_yet_from_either_closes_the_request(client, two, first_says):
    lead, other, trainee, _ = two
    extra = COMPETENT if first_says == "competent" else {}
    first = decide(lead, trainee, first_says, **extra)
    closing = decide(other, trainee, "not_yet") if first_says == "competent" else first
    assert closing.is_result is True and closing.decision == "not_yet"
    assert (the_request().status, the_request().decision) == ("decided", closing)
    page = dashboard(client, trainee)
    assert "Not yet competent" in page
    assert "Both supervisors had to agree, so one decision of not yet closed" in page
    assert "Play two more cases" in page  # the next steps
    # Nobody decides on a closed request.
    with pytest.raises(supervision_services.SignOffError):
        decide(other if first_says == "not_yet" else lead, trainee, "competent", **COMPETENT)


def test_one_supervisor_never_counts_twice(two):
    lead, _, trainee, _ = two
    decide(lead, trainee, "competent", **COMPETENT)
    with pytest.raises(supervision_services.AlreadyDecided, match="already recorded your"):
        decide(lead, trainee, "competent", **COMPETENT)
    assert the_request().status == "open"
    assert SignOffRecord.objects.filter(trainee=trainee).count() == 1


def test_the_database_refuses_a_second_decision_by_the_same_supervisor(two):
    lead, _, trainee, _ = two
    first = decide(lead, trainee, "competent", **COMPETENT)
    twin = SignOffRecord(
        trainee=trainee,
        supervisor=lead,
        decision="competent",
        level=3,
        feedback="Again.",
        snapshot={},
        rule="all_agree",
        is_result=True,
        sign_off_request=first.sign_off_request,
    )
    twin.seal("f" * 64)
    with pytest.raises(IntegrityError), transaction.atomic():
        twin.save()


def test_a_supervisor_whose_assignment_ended_does_not_count(two):
    lead, other, trainee, _ = two
    decide(lead, trainee, "competent", **COMPETENT)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    assignment = SupervisorAssignment.objects.get(supervisor=lead, trainee=trainee)
    SupervisorAssignment.objects.filter(pk=assignment.pk).update(starts_on=yesterday)
    SupervisorAssignment.objects.filter(pk=assignment.pk).update(ends_on=yesterday)
    second = decide(other, trainee, "competent", **COMPETENT)
    assert second.is_result is False and the_request().status == "open"


def test_two_supervisors_decide_on_a_request_only(two):
    lead, _, trainee, _ = two
    supervision_services.sign_off_request_withdraw(trainee=trainee)
    with pytest.raises(supervision_services.SignOffError, match="no open request"):
        decide(lead, trainee, "competent", **COMPETENT)


def test_the_lead_decides_and_the_other_decision_is_advice(client, two):
    lead, other, trainee, _ = two
    set_rule("lead_decides")
    advice = decide(other, trainee, "competent", **COMPETENT)
    assert (advice.rule, advice.is_result) == ("lead_decides", False)
    assert the_request().status == "open"
    assert "1 of 2 supervisors has decided." in dashboard(client, trainee)
    outcome = decide(lead, trainee, "not_yet")
    assert (outcome.is_result, the_request().decision) == (True, outcome)
    assert supervision_services.latest_decision(trainee=trainee) == outcome
    page = dashboard(client, trainee)
    assert "Decided by Sita Supervisor, the lead supervisor" in page
    assert "Omar Other\u2019s decision (competent) was advice" in page


def test_the_lead_deciding_first_closes_the_request(two):
    lead, other, trainee, _ = two
    set_rule("lead_decides")
    outcome = decide(lead, trainee, "competent", **COMPETENT)
    assert outcome.is_result is True and the_request().status == "decided"
    with pytest.raises(supervision_services.SignOffError):
        decide(other, trainee, "competent", **COMPETENT)


def test_the_rule_of_a_request_stays_the_one_its_first_decision_was_made_under(two):
    lead, other, trainee, _ = two
    decide(lead, trainee, "competent", **COMPETENT)
    set_rule("lead_decides")  # changed while the request is open
    second = decide(other, trainee, "competent", **COMPETENT)
    assert (second.rule, second.is_result) == ("all_agree", True)


def test_either_supervisor_revokes_the_outcome_but_not_a_part_of_it(client, two):
    lead, other, trainee, _ = two
    first = decide(lead, trainee, "competent", **COMPETENT)
    outcome = decide(other, trainee, "competent", **COMPETENT)
    with pytest.raises(supervision_services.SignOffError, match="not the outcome"):
        supervision_services.sign_off_revoke(
            supervisor=other, record=first, reason="No.", reauthenticated_at=time.time()
        )
    revocation = supervision_services.sign_off_revoke(
        supervisor=lead,
        record=outcome,
        reason="A concern was raised.",
        reauthenticated_at=time.time(),
    )
    assert revocation.revokes == outcome
    assert supervision_services.latest_decision(trainee=trainee) == revocation
    client.force_login(trainee)
    assert "no longer valid" in client.get(f"/verify/{outcome.verification_code}/").content.decode()
    page = dashboard(client, trainee)
    assert "Your sign-off was revoked" in page and "A concern was raised." in page
    assert supervision_services.sign_off_chains_verify() == {}


def test_records_made_by_one_supervisor_keep_their_meaning_when_two_are_asked_for(
    client,
    ready,  # noqa: F811
):
    supervisor, trainee, _ = ready
    supervision_services.sign_off_request(trainee=trainee)
    record = decide(supervisor, trainee, "competent", **COMPETENT)
    policy = MasteryPolicy.load()
    policy.supervisors_needed = 2
    policy.save()
    assert record.rule is None and record.counts
    assert supervision_services.latest_decision(trainee=trainee) == record
    client.force_login(trainee)
    assert client.get(f"/dashboard/sign-offs/{record.pk}/certificate/").status_code == 200
    assert client.get(f"/verify/{record.verification_code}/").status_code == 200
    assert "signed you off as competent" in dashboard(client, trainee)
    assert supervision_services.sign_off_chains_verify() == {}

"""One decision per request when the sign-off form is posted several times at once (a double
click, two tabs) on PostgreSQL: the request row is locked while a decision is recorded, so
exactly one records it and the others are told it was decided. Marked ``postgres`` as
``tests/assessments/test_concurrency.py`` is (SQLite has one writer at a time; the same rule is
covered sequentially in ``test_sign_off_loop.py``)."""

import threading
import time

import pytest
from django.db import connection, connections

from assessments.models import MasteryPolicy
from home.roles import Role
from supervision import services as supervision_services
from supervision.models import SignOffRecord, SignOffRequest
from tests.factories import make_user

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def post_at_once(supervisors, *, trainee, request_id, after=None) -> list[str]:
    """Each supervisor posts a competent decision, all at the same moment (one thread each):
    "recorded" or "already" (refused as decided) per post."""
    confirmed_at = time.time()
    outcomes, barrier = [], threading.Barrier(len(supervisors))

    def post(supervisor):
        barrier.wait()
        try:
            supervision_services.sign_off_record(
                supervisor=supervisor,
                trainee=trainee,
                decision="competent",
                level=3,
                feedback="Asks about home and work every time.",
                justification="Observed in clinic.",
                reauthenticated_at=confirmed_at,
                request_id=request_id,
                after_record_id=after,
            )
            outcomes.append("recorded")
        except supervision_services.AlreadyDecided:
            outcomes.append("already")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=post, args=(s,)) for s in supervisors]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


@pytest.mark.parametrize(
    "with_request, after",
    [(True, None), (False, 0)],
    ids=["the request row lock alone", "the latest-record check alone"],
)
def test_concurrent_decisions_record_exactly_one(with_request, after):
    assert connection.vendor == "postgresql", "run with DATABASE_URL set to PostgreSQL"
    supervisor = make_user(Role.SUPERVISOR, email="sup@test.example")
    trainee = make_user(Role.TRAINEE, email="tara@test.example")
    supervision_services.supervisor_assign(supervisor=supervisor, trainee=trainee)
    asked = SignOffRequest.objects.create(trainee=trainee) if with_request else None
    outcomes = post_at_once(
        [supervisor] * 5, trainee=trainee, request_id=asked.pk if asked else None, after=after
    )
    assert sorted(outcomes) == ["already"] * 4 + ["recorded"]
    assert SignOffRecord.objects.filter(trainee=trainee).count() == 1
    if asked:
        asked.refresh_from_db()
        assert asked.status == "decided" and asked.decision == SignOffRecord.objects.get()
    assert supervision_services.sign_off_chains_verify() == {}


@pytest.mark.parametrize("same_supervisor", [True, False], ids=["one supervisor", "two"])
def test_two_supervisors_at_once_each_count_once(same_supervisor):
    """Where two supervisors must agree, posts at the same moment: one supervisor posting five
    times counts once (the request stays open, waiting for the other); two supervisors posting
    at once both count, and exactly one of their records is the outcome that closes it."""
    assert connection.vendor == "postgresql", "run with DATABASE_URL set to PostgreSQL"
    policy = MasteryPolicy.load()
    policy.supervisors_needed = 2
    policy.save()
    trainee = make_user(Role.TRAINEE, email="tara@test.example")
    supervisors = [make_user(Role.SUPERVISOR, email=f"sup{n}@test.example") for n in range(2)]
    for supervisor in supervisors:
        supervision_services.supervisor_assign(supervisor=supervisor, trainee=trainee)
    asked = SignOffRequest.objects.create(trainee=trainee)
    posters = [supervisors[0]] * 5 if same_supervisor else supervisors
    outcomes = post_at_once(posters, trainee=trainee, request_id=asked.pk)
    records = SignOffRecord.objects.filter(trainee=trainee).order_by("id")
    asked.refresh_from_db()
    if same_supervisor:
        assert sorted(outcomes) == ["already"] * 4 + ["recorded"]
        assert [r.is_result for r in records] == [False]
        assert asked.status == "open"
    else:
        assert outcomes == ["recorded", "recorded"]
        assert [r.is_result for r in records] == [False, True]
        assert (asked.status, asked.decision) == ("decided", records[1])
    assert supervision_services.sign_off_chains_verify() == {}

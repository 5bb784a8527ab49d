"""The demo's past (``supervision.demo_history``): what a person exploring the demo finds, all
of it dated in the past weeks, written through the services with the sign-off chain intact, and
seeded once."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone
from django.utils.html import strip_tags

from assessments.models import Evidence, Observation, QuizAttempt
from cases.models import VignetteAttempt
from curriculum.models import LessonCompletion, ReflectionAnswer
from home.models import User
from progress.selectors import trainee_progress
from supervision import services
from supervision.models import ObservationRequest, SignOffRecord, SignOffRequest

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db):
    with open("/dev/null", "w") as devnull:
        call_command("seed_demo", stdout=devnull)
    return {
        "tamsin": User.objects.get(email="trainee@example.com"),
        "jonah": User.objects.get(email="trainee2@example.com"),
        "sam": User.objects.get(email="supervisor@example.com"),
    }


def history(person) -> dict:
    return {
        "lessons": list(LessonCompletion.objects.filter(user=person).values_list("id", flat=True)),
        "quizzes": list(
            QuizAttempt.objects.filter(trainee=person).values_list("id", "score", "submitted_at")
        ),
        "cases": list(
            VignetteAttempt.objects.filter(trainee=person).values_list("id", "node", "finished_at")
        ),
        "evidence": list(Evidence.objects.filter(trainee=person).values_list("id", flat=True)),
        "records": list(SignOffRecord.objects.filter(trainee=person).values_list("record_hash")),
        "requests": list(SignOffRequest.objects.filter(trainee=person).values_list("id")),
        "observations": list(Observation.objects.filter(trainee=person).values_list("id")),
        "asks": list(ObservationRequest.objects.filter(trainee=person).values_list("id")),
        "reflections": list(
            ReflectionAnswer.objects.filter(user=person).values_list("id", "text", "shared")
        ),
    }


def test_tamsin_has_weeks_of_mixed_work_a_shared_reflection_and_a_not_yet(demo, client):
    tamsin, sam = demo["tamsin"], demo["sam"]
    now = timezone.now()
    evidence = Evidence.objects.filter(trainee=tamsin)
    days = {e.created_at.date() for e in evidence}
    assert len(days) >= 6
    assert min(days) <= (now - datetime.timedelta(weeks=5)).date()
    assert max(e.created_at for e in evidence) < now
    quizzes = QuizAttempt.objects.filter(trainee=tamsin)
    assert {True, False} <= set(quizzes.values_list("passed", flat=True))  # mixed results
    assert VignetteAttempt.objects.filter(trainee=tamsin, status="finished").count() >= 3
    assert ReflectionAnswer.objects.filter(user=tamsin, shared=True).exists()
    decision = SignOffRecord.objects.get(trainee=tamsin)
    assert decision.decision == SignOffRecord.Decision.NOT_YET
    assert decision.feedback and decision.next_steps
    assert (
        now - datetime.timedelta(weeks=3) < decision.created_at < now - datetime.timedelta(days=7)
    )
    # Work after the decision: new evidence since, as the loop expects.
    assert evidence.filter(created_at__gt=decision.created_at).exists()
    assert not trainee_progress(user=tamsin)["ready"]
    observation = Observation.objects.get(trainee=tamsin)
    assert observation.observed_on < timezone.localdate()
    assert ObservationRequest.objects.get(trainee=tamsin, supervisor=sam).state == "open"

    client.force_login(sam)
    page = " ".join(
        strip_tags(client.get(f"/supervision/trainees/{tamsin.pk}/").content.decode()).split()
    )
    assert "Not yet competent" in page or "Not yet" in page
    assert "asked you to observe them" in page
    assert "afternoon session" in page  # the reflection she shared


def test_jonah_is_ready_and_his_request_waits_in_the_supervisors_box(demo, client):
    jonah, sam = demo["jonah"], demo["sam"]
    assert trainee_progress(user=jonah)["ready"]
    request = SignOffRequest.objects.get(trainee=jonah)
    assert request.status == SignOffRequest.Status.OPEN
    assert request.created_at < timezone.now() - datetime.timedelta(hours=1)
    assert not SignOffRecord.objects.filter(trainee=jonah).exists()
    client.force_login(sam)
    html = client.get("/supervision/").content.decode()
    box = html[html.index('id="requests-title"') :]
    assert "Jonah Mensah" in box[: box.index("</section>")]


def test_the_past_is_sealed_as_written_and_seeding_again_adds_nothing(demo):
    assert services.sign_off_chains_verify() == {}
    before = {name: history(person) for name, person in demo.items()}
    with open("/dev/null", "w") as devnull:
        call_command("seed_demo", stdout=devnull)
    assert {name: history(person) for name, person in demo.items()} == before

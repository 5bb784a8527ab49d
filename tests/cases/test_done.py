"""What "done" means for the seeded product: a trainee who completes the course and plays every
seeded case well reaches "ready" under the default policy, and every number behind it comes
from stored evidence."""

import pytest
from django.core.management import call_command
from django.db.models import Sum

from assessments.models import Evidence, MasteryPolicy
from cases.models import CaseVignettePage
from curriculum.models import LessonPage
from curriculum.services import lesson_complete
from home.roles import Role
from progress import selectors
from tests.cases.conftest import play_best
from tests.factories import make_user


@pytest.fixture
def seeded_site(db):
    with open("/dev/null", "w") as devnull:
        call_command("seed_demo", stdout=devnull)


def test_course_and_every_seeded_case_played_well_make_a_trainee_ready(seeded_site):
    trainee = make_user(Role.TRAINEE, email="done@example.com")
    for lesson in LessonPage.objects.live():
        lesson_complete(user=trainee, lesson=lesson)
    vignettes = list(CaseVignettePage.objects.live())
    assert len(vignettes) >= 12
    for vignette in vignettes:
        attempt, graph = play_best(trainee=trainee, vignette=vignette)
        assert graph[attempt.node].outcome == "good"
    progress = selectors.trainee_progress(user=trainee)
    policy = MasteryPolicy.load()
    assert progress["ready"], progress["missing"]
    for row in progress["elements"]:
        mastery = row["mastery"]
        assert mastery.status == "met"
        assert mastery.items >= policy.min_items and mastery.settings >= policy.min_settings
    # Traceable: each element's evidence sums to the best achievable over the cases played.
    evidence = Evidence.objects.filter(trainee=trainee, source="vignette")
    totals = evidence.values("element__code").annotate(s=Sum("score"), m=Sum("max_score"))
    assert all(row["s"] == pytest.approx(row["m"]) for row in totals)

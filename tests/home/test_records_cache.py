"""Views of a person's records are cached until those records change (``home.caching``):
every kind of change must show at once. Which tables are a person's records is declared on
the models (``personal_data``); tests/home/test_personal_data.py proves none is forgotten."""

import pytest
from django.db import transaction

from assessments import services as assessment_services
from assessments.models import MasteryPolicy
from cases import services as case_services
from cases.models import CaseVignettePage
from curriculum.models import LessonPage
from curriculum.services import lesson_complete
from home import caching
from home.roles import Role
from supervision import services as supervision_services
from tests.assessments.conftest import build_quiz
from tests.cases.conftest import build_case
from tests.factories import make_user
from tests.progress.test_dashboard import _take

pytestmark = pytest.mark.django_db


def _dashboard(client) -> str:
    response = client.get("/dashboard/")
    assert response.status_code == 200
    return response.content.decode()


def test_the_trainee_dashboard_follows_every_change_at_once(client, trainee):
    quiz = build_quiz()
    vignette = CaseVignettePage.objects.get(pk=build_case().pk)
    client.force_login(trainee)
    html = _dashboard(client)
    assert "You have completed 0 of" in html
    assert "No quizzes taken yet." in html and "No cases played yet." in html

    lesson = LessonPage.objects.live().order_by("path").first()
    lesson_complete(user=trainee, lesson=lesson)
    assert "You have completed 1 of" in _dashboard(client)

    _take(trainee, quiz)
    html = _dashboard(client)
    assert "No quizzes taken yet." not in html and "100%, passed" in html

    case_services.vignette_start(trainee=trainee, vignette=vignette)
    assert f"Case: {vignette.title}: in progress" in _dashboard(client)

    # A stricter policy (an administrator's setting, not the trainee's records) shows too.
    policy = MasteryPolicy.load()
    policy.threshold_percent = 95
    policy.save()
    assert "(threshold 95%" in _dashboard(client)

    # Content: a new lesson published in the module counts at once.
    from curriculum import services as curriculum_services
    from tests.curriculum.conftest import lesson_spec

    curriculum_services.lesson_import(
        module=lesson.get_parent().specific, spec=lesson_spec("late-addition", "Late addition")
    )
    total = LessonPage.objects.live().count()
    assert f"You have completed 1 of {total} core lessons" in _dashboard(client)


def test_bulk_evidence_moves_the_version_on(trainee, other_trainee):
    """``evidence_record_many`` writes with bulk inserts, which send no model signals."""
    build_quiz()
    mine, theirs = caching.records_versions([trainee.pk, other_trainee.pk]).values()
    scored = assessment_services.Scored(
        item_key="q-bulk", points=1, max_points=1, element_codes=("elicit",), setting_id=None
    )
    assessment_services.evidence_record_many(trainee=trainee, responses=[scored], source="quiz")
    after = caching.records_versions([trainee.pk, other_trainee.pk])
    assert after[trainee.pk] != mine
    assert after[other_trainee.pk] == theirs


# serialized_rollback as every other transactional test: a flush without it re-creates the
# content types, and the next test that restores the serialized data would meet them twice.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_version_moves_again_when_the_transaction_commits():
    """A real commit (this test's transactions are not rolled back): the version moves at the
    write, and once more when the transaction commits, once however many writes there were."""
    from home.models import User

    person = User.objects.create(email="committed@test.example", username="committed")
    before = caching.records_versions([person.pk])[person.pk]
    with transaction.atomic():
        caching.records_changed(person.pk)
        at_once = caching.records_versions([person.pk])[person.pk]
        caching.records_changed(person.pk)
        second = caching.records_versions([person.pk])[person.pk]
        sets_before_commit = _count_version_writes(person.pk)
    committed = caching.records_versions([person.pk])[person.pk]
    assert len({before, at_once, second, committed}) == 4
    assert _count_version_writes(person.pk) == sets_before_commit + 1
    # A rolled-back transaction takes its waiting bump with it; the next one gets its own.
    with pytest.raises(RuntimeError), transaction.atomic():
        caching.records_changed(person.pk)
        raise RuntimeError
    with transaction.atomic():
        caching.records_changed(person.pk)
        inside = caching.records_versions([person.pk])[person.pk]
    assert caching.records_versions([person.pk])[person.pk] != inside


_writes: dict[int, int] = {}


def _count_version_writes(person_id: int) -> int:
    return _writes.get(person_id, 0)


@pytest.fixture(autouse=True)
def _count_bumps(monkeypatch):
    original = caching.records._bump

    def counting(user_ids):
        for user_id in user_ids:
            _writes[user_id] = _writes.get(user_id, 0) + 1
        original(user_ids)

    monkeypatch.setattr(caching.records, "_bump", counting)
    _writes.clear()


def test_a_cached_view_is_kept_per_person(trainee, other_trainee):
    built = []

    def build_many(ids):
        built.extend(ids)
        return {pk: f"view of {pk}" for pk in ids}

    ids = [trainee.pk, other_trainee.pk]
    assert caching.for_records_many(ids, "v", build_many) == {
        trainee.pk: f"view of {trainee.pk}",
        other_trainee.pk: f"view of {other_trainee.pk}",
    }
    caching.records_changed(other_trainee.pk)
    caching.for_records_many(ids, "v", build_many)
    assert built == [trainee.pk, other_trainee.pk, other_trainee.pk]


def test_a_supervisor_assignment_and_a_name_change_move_the_version(trainee):
    supervisor = make_user(Role.SUPERVISOR, email="sup@test.example")
    before = caching.records_versions([trainee.pk])[trainee.pk]
    supervision_services.supervisor_assign(supervisor=supervisor, trainee=trainee)
    assigned = caching.records_versions([trainee.pk])[trainee.pk]
    assert assigned != before
    trainee.display_name = "Tara Renamed"
    trainee.save()
    assert caching.records_versions([trainee.pk])[trainee.pk] != assigned


def test_a_supervisors_new_name_shows_on_their_trainees_dashboards(client, trainee):
    supervisor = make_user(Role.SUPERVISOR, email="named@test.example", display_name="Sam Old")
    supervision_services.supervisor_assign(supervisor=supervisor, trainee=trainee)
    client.force_login(trainee)
    assert "Your supervisor: Sam Old." in _dashboard(client)
    supervisor.display_name = "Sam <New>"
    supervisor.save()
    html = _dashboard(client)
    assert "Your supervisor: Sam &lt;New&gt;." in html and "Sam Old" not in html

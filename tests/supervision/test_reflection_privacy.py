"""Privacy of reflections: a lesson reflection is private unless its author shares it with their
supervisors (their choice, per reflection; existing ones stay private), the labels say exactly
who can read it, and the supervisor's page shows only shared ones. A reflective quiz answer,
which the quiz says the supervisor reads, is on the supervisor's page with the guidance for the
supervisor."""

import pytest

from assessments import services as assessment_services
from curriculum.models import ReflectionAnswer
from curriculum.services import reflection_block_ids, reflection_save
from home.roles import Role
from supervision import services as supervision_services
from tests.assessments.conftest import ALL_RIGHT, MARKER, build_quiz
from tests.curriculum.conftest import build_course
from tests.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def lesson_and_block(supervisor, trainee):
    supervision_services.supervisor_assign(supervisor=supervisor, trainee=trainee)
    lesson = build_course()[2][0]
    return lesson, sorted(reflection_block_ids(lesson))[0]


def test_a_reflection_is_private_unless_shared(client, supervisor, trainee, lesson_and_block):
    lesson, block_id = lesson_and_block
    url = f"{lesson.url}reflect/{block_id}/"
    client.force_login(trainee)
    page = client.get(lesson.url).content.decode()
    assert "Only you can read this" in page and "Your supervisors can read this" in page
    assert f'id="reflection-{block_id}-private" name="readers" value="private" checked' in page

    saved = client.post(url, {"text": "I rushed past her worry about money."}, follow=True)
    assert "Only you can read it." in saved.content.decode()
    assert ReflectionAnswer.objects.get().shared is False
    client.force_login(supervisor)
    theirs = client.get(f"/supervision/trainees/{trainee.pk}/").content.decode()
    assert "I rushed past her worry about money." not in theirs and "None shared." in theirs

    client.force_login(trainee)
    shared = client.post(
        url, {"text": "I rushed past her worry about money.", "readers": "supervisors"}, follow=True
    )
    assert "Your supervisors can read it." in shared.content.decode()
    page = client.get(lesson.url).content.decode()
    assert 'value="supervisors" checked' in page
    client.force_login(supervisor)
    theirs = client.get(f"/supervision/trainees/{trainee.pk}/").content.decode()
    assert "I rushed past her worry about money." in theirs

    # Made private again: gone from the supervisor's page at once (the page is cached).
    client.force_login(trainee)
    client.post(url, {"text": "I rushed past her worry about money.", "readers": "private"})
    client.force_login(supervisor)
    theirs = client.get(f"/supervision/trainees/{trainee.pk}/").content.decode()
    assert "I rushed past her worry about money." not in theirs


def test_reflections_saved_before_the_choice_stay_private(supervisor, trainee, lesson_and_block):
    """The column's default (and so migration curriculum 0005's) is private; a save that does
    not say otherwise is private too."""
    lesson, block_id = lesson_and_block
    answer = reflection_save(user=trainee, lesson=lesson, block_id=block_id, text="Old words.")
    assert answer.shared is False
    assert ReflectionAnswer._meta.get_field("shared").default is False


def test_another_supervisor_never_reads_a_shared_reflection(
    client, trainee, lesson_and_block, other_trainee
):
    lesson, block_id = lesson_and_block
    reflection_save(user=trainee, lesson=lesson, block_id=block_id, text="Shared.", shared=True)
    stranger = make_user(Role.SUPERVISOR, email="stranger@test.example")
    client.force_login(stranger)
    assert client.get(f"/supervision/trainees/{trainee.pk}/").status_code == 404


def test_a_reflective_quiz_answer_is_on_the_supervisors_page_with_its_guidance(
    client, supervisor, trainee
):
    supervision_services.supervisor_assign(supervisor=supervisor, trainee=trainee)
    quiz = build_quiz()
    attempt = assessment_services.attempt_start(trainee=trainee, quiz=quiz)
    for key, data in ALL_RIGHT.items():
        if key == "q-reflect":
            data = {"text": "I would ask who is at home in the evenings."}
        assessment_services.answer_save(
            attempt_id=attempt.pk, trainee=trainee, question_key=key, data=data
        )
    client.force_login(supervisor)
    before = client.get(f"/supervision/trainees/{trainee.pk}/").content.decode()
    assert "who is at home in the evenings" not in before  # not submitted yet
    assessment_services.attempt_submit(attempt_id=attempt.pk, trainee=trainee)
    page = client.get(f"/supervision/trainees/{trainee.pk}/").content.decode()
    assert "I would ask who is at home in the evenings." in page
    assert "What would you do differently?" in page  # the question
    assert f"{MARKER} guidance" in page  # what a good answer covers, for the supervisor

"""A trainee with a whole history, built through the product's services: a small course and quiz,
a case played to the end, a lesson reflection, a sign-off request, a chain of two sign-off
records, admin log entries about the account, and a file in MEDIA_ROOT.
Used by the backup round trip and the account erasure tests."""

import time
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from assessments import services as assessments
from curriculum import services as curriculum
from curriculum.models import LessonPage
from home.roles import Role
from supervision import services as supervision_services
from supervision.models import SignOffRequest
from tests.assessments.conftest import ALL_RIGHT, build_quiz
from tests.cases.conftest import build_case, play_best
from tests.factories import make_user

NAME = "Zephyrine Quillfeather"
EMAIL = "zephyrine.quillfeather@hospital.example"


@dataclass
class History:
    trainee: object
    supervisor: object
    administrator: object
    quiz: object
    records: list


def build_history() -> History:
    quiz = build_quiz()
    lesson = LessonPage.objects.order_by("path").first()
    vignette = build_case()
    vignette.refresh_from_db()  # the import publishes a copy; this object predates it
    trainee = make_user(Role.TRAINEE, email=EMAIL, display_name=NAME)
    trainee.first_name, trainee.last_name = NAME.split()
    trainee.organisation = f"{NAME.split()[1]} Rehabilitation Unit"
    trainee.save()
    supervisor = make_user(Role.SUPERVISOR, email="sup@hospital.example", display_name="Sam Sup")
    administrator = make_user(
        Role.ADMINISTRATOR, email="adm@hospital.example", display_name="Ann Adm", superuser=True
    )

    attempt = assessments.attempt_start(trainee=trainee, quiz=quiz)
    for key, data in ALL_RIGHT.items():
        if key == "q-reflect":
            data = {"text": f"As {NAME} I would ask about home first."}
        assessments.answer_save(attempt_id=attempt.pk, trainee=trainee, question_key=key, data=data)
    assessments.attempt_submit(attempt_id=attempt.pk, trainee=trainee)
    play_best(trainee=trainee, vignette=vignette)
    block_id = sorted(curriculum.reflection_block_ids(lesson))[0]
    curriculum.reflection_save(
        user=trainee, lesson=lesson, block_id=block_id, text=f"I am {NAME}; I forgot to ask."
    )
    SignOffRequest.objects.create(trainee=trainee, message=f"Please review me. {NAME}")

    supervision_services.supervisor_assign(
        supervisor=supervisor, trainee=trainee, actor=administrator
    )
    common = {"supervisor": supervisor, "trainee": trainee, "reauthenticated_at": time.time()}
    records = [
        supervision_services.sign_off_record(
            **common,
            decision="not_yet",
            level=2,
            feedback="Asks about home; not yet about work.",
            next_steps="Two more cases.",
        ),
        supervision_services.sign_off_record(
            **common,
            decision="competent",
            level=3,
            feedback="Asks about home and work every time.",
            justification="Observed in clinic on four occasions.",
        ),
    ]

    from django.contrib.admin.models import CHANGE, LogEntry
    from wagtail.log_actions import log

    log(instance=trainee, action="wagtail.edit", user=administrator)
    LogEntry.objects.log_actions(
        user_id=administrator.pk, queryset=[trainee], action_flag=CHANGE, change_message="[]"
    )
    default_storage.save("documents/handout.txt", ContentFile(b"A handout for the course.\n"))
    return History(trainee, supervisor, administrator, quiz, records)

"""Make a used site with the code before the moves (commit cc73cbc) and back it up: the archive
the upgrade rehearsal restores with the new code (tests/home/test_upgrade_rehearsal.py).

Run with the OLD code, from the root of a checkout of it (its modules are imported from the
current directory), on an empty database; ``scripts/rehearse-upgrade.sh`` does all of this:

    git worktree add /tmp/rehearsal-old cc73cbc && cd /tmp/rehearsal-old
    DJANGO_SETTINGS_MODULE=psycomp.settings.dev DATABASE_URL=sqlite:////tmp/old.sqlite3 \\
        /path/to/.venv/bin/python /path/to/new/scripts/rehearsal/make_old_backup.py \\
        --output /path/to/new/tests/home/data/upgrade-cc73cbc/sqlite.tar.gz

It runs ``migrate``, ``createcachetable`` and ``seed_demo``, then, through the old code's
services, activity in every table whose model later moved and in what points at their content
types: lesson completions and a reflection, quiz attempts with evidence, case plays (one left
open), a second trainee and supervisor, assignments, a cohort with two members, sign-off
requests, two or three sign-off records per trainee with a revocation, admin and Wagtail log
entries about moved models, and a moved model's permission given to a person directly (the
groups' permissions on them come from the migrations). No moved model keeps revisions; page
revisions, which name catalogue rows by id, come with the seeded pages. Then a trainee and a
supervisor open their pages, so that the cache (a table of the database here) holds what the
old code put there. It writes the archive (``manage.py backup``) and, beside it,
``<archive name>.json``: each table's rows and checksum, every content type, the permissions
held on the moved models, the sign-off records per trainee, a catalogue row and the triggers,
which ``tests/upgrade.py`` compares with the upgraded database.
"""

import argparse
import datetime
import json
import os
import sys
import time
from pathlib import Path

MOVED = {
    "curriculum": ["competencyelement", "clinicalsetting", "psychosocialfactor", "intervention"],
    "assessments": [
        "cohort",
        "cohortmembership",
        "supervisorassignment",
        "signoffrequest",
        "signoffrecord",
    ],
}
PASSWORD = "rehearsal-password-not-secret"  # noqa: S105 - throwaway accounts in test data


def setup() -> None:
    """Import the code of the checkout we are in, not the code beside this script."""
    sys.path.insert(0, os.getcwd())
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "psycomp.settings.dev")
    os.environ.pop("REDIS_URL", None)  # the cache lives in the database, and so in the archive
    import django

    django.setup()
    from django.apps import apps

    if apps.is_installed("competencies") or not apps.is_installed("assessments"):
        sys.exit("Run this from a checkout of the code before the moves (e.g. cc73cbc).")


def build_database() -> None:
    from django.core.management import call_command
    from django.db import connection

    if connection.introspection.table_names():
        sys.exit(f"{connection.settings_dict['NAME']} is not empty: give a fresh database.")
    call_command("migrate", verbosity=0)
    call_command("createcachetable")
    call_command("seed_demo")


def right_answer(spec) -> dict:
    """The answer a careful trainee gives, in the form the quiz page posts."""
    if spec.kind == "single":
        return {"choice": next(o.key for o in spec.options if o.correct)}
    if spec.kind in ("multiple", "factor_recognition"):
        return {"choices": [o.key for o in spec.options if o.correct]}
    if spec.kind == "intervention_matching":
        return {f"match-{pair.key}": pair.intervention for pair in spec.pairs}
    if spec.kind == "ordering":
        return {f"position-{o.key}": str(n) for n, o in enumerate(spec.options, start=1)}
    return {"text": "I would ask about home and work, then agree a plan with them."}


def take_quiz(trainee, quiz) -> None:
    from assessments import services

    attempt = services.attempt_start(trainee=trainee, quiz=quiz)
    for spec in services.attempt_questions(attempt):
        services.answer_save(
            attempt_id=attempt.pk, trainee=trainee, question_key=spec.key, data=right_answer(spec)
        )
    services.attempt_submit(attempt_id=attempt.pk, trainee=trainee)


def play_case(trainee, vignette, *, steps: int | None = None) -> None:
    """The best route through a case (or its first ``steps`` steps, leaving it open)."""
    from cases import engine, services

    attempt = services.vignette_start(trainee=trainee, vignette=vignette)
    graph = services.graph_of_revision(attempt.revision)
    best = dict(engine.best_path(graph))
    while attempt.is_open and (steps is None or attempt.seq < steps):
        node = graph[attempt.node]
        choices = (
            (best[node.id],)
            if node.kind == "decide"
            else tuple(o.id for o in node.options if o.correct)
        )
        attempt, _ = services.step_submit(
            attempt_id=attempt.pk,
            trainee=trainee,
            seq=attempt.seq,
            choices=choices,
            values=node.key if node.kind == "screen" else (),
        )


def add_activity() -> None:
    from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
    from django.contrib.auth.models import Permission
    from wagtail.log_actions import log

    from assessments import services as assessments
    from assessments.models import Cohort, QuizPage, SignOffRequest
    from cases.models import CaseVignettePage
    from curriculum import services as curriculum
    from curriculum.models import ClinicalSetting, CompetencyElement, LessonPage
    from home.models import User
    from home.roles import Role
    from home.services import user_create

    trainee = User.objects.get(email="trainee@example.com")
    supervisor = User.objects.get(email="supervisor@example.com")
    admin = User.objects.get(email="admin@example.com")
    second = user_create(
        email="rowan.trainee@example.com",
        password=PASSWORD,
        role=Role.TRAINEE,
        display_name="Rowan Trainee",
        profession="physiotherapist",
    )
    second_supervisor = user_create(
        email="morgan.supervisor@example.com",
        password=PASSWORD,
        role=Role.SUPERVISOR,
        display_name="Morgan Supervisor",
        profession="psychologist",
    )
    # Given directly, not through a group: user_permissions points at the moved content type too.
    second_supervisor.user_permissions.add(
        Permission.objects.get(content_type__app_label="assessments", codename="view_cohort")
    )

    lessons = list(LessonPage.objects.live().order_by("path"))
    for lesson in lessons:
        curriculum.lesson_complete(user=trainee, lesson=lesson)
    for lesson in lessons[:3]:
        curriculum.lesson_complete(user=second, lesson=lesson)
    reflective = next(lesson for lesson in lessons if curriculum.reflection_block_ids(lesson))
    curriculum.reflection_save(
        user=trainee,
        lesson=reflective,
        block_id=sorted(curriculum.reflection_block_ids(reflective))[0],
        text="I forgot to ask about caring for her husband.",
    )

    quizzes = list(QuizPage.objects.live().order_by("path"))
    for quiz in quizzes:
        take_quiz(trainee, quiz)
    take_quiz(second, quizzes[0])
    vignettes = list(CaseVignettePage.objects.live().order_by("path"))
    for vignette in vignettes[:4]:
        play_case(trainee, vignette)
    play_case(second, vignettes[0])
    play_case(second, vignettes[1], steps=1)  # left part-way: an open attempt

    cohort = Cohort.objects.create(
        name="Rehearsal cohort", starts_on=datetime.date(2026, 9, 1), invite_code="REHEARSE-2026"
    )
    for person in (trainee, second):
        assessments.cohort_join(trainee=person, code=cohort.invite_code)
    assessments.supervisor_assign(supervisor=supervisor, trainee=second, actor=admin)
    assessments.supervisor_assign(supervisor=second_supervisor, trainee=second, actor=admin)
    # The readiness rule decides whether the service lets a trainee ask; the rehearsal needs a
    # request whatever the demo's evidence says, so these are stored as the service stores them.
    SignOffRequest.objects.create(trainee=trainee, message="Please review my evidence.")
    SignOffRequest.objects.create(trainee=second, message="Ready when you are.")

    sign_offs(supervisor, trainee, second_supervisor, second)

    # Entries about moved models, in the two logs that point at content types.
    LogEntry.objects.log_actions(
        user_id=admin.pk, queryset=[cohort], action_flag=ADDITION, change_message="[]"
    )
    setting = ClinicalSetting.objects.order_by("pk").first()
    LogEntry.objects.log_actions(
        user_id=admin.pk, queryset=[setting], action_flag=CHANGE, change_message="[]"
    )
    log(instance=cohort, action="wagtail.create", user=admin)
    for instance in (setting, CompetencyElement.objects.order_by("pk").first()):
        log(instance=instance, action="wagtail.edit", user=admin)


def sign_offs(supervisor, trainee, second_supervisor, second) -> None:
    """Two records and a revocation for the demo trainee, two for the second trainee (one by
    each of their supervisors): every chain has more than one link."""
    from assessments import services

    def record(by, whom, decision, level, **text):
        return services.sign_off_record(
            supervisor=by,
            trainee=whom,
            decision=decision,
            level=level,
            reauthenticated_at=time.time(),
            **text,
        )

    record(
        supervisor,
        trainee,
        "not_yet",
        2,
        feedback="Asks about home; not yet about work.",
        next_steps="Two more observed cases.",
    )
    competent = record(
        supervisor,
        trainee,
        "competent",
        3,
        feedback="Asks about home and work every time.",
        justification="Observed in clinic on four occasions.",
    )
    services.sign_off_revoke(
        supervisor=supervisor,
        record=competent,
        reason="Signed off against the wrong trainee's observations.",
        reauthenticated_at=time.time(),
    )
    record(
        supervisor,
        second,
        "not_yet",
        1,
        feedback="A good start.",
        next_steps="Finish the core lessons.",
    )
    record(
        second_supervisor,
        second,
        "competent",
        4,
        feedback="Confident and kind.",
        justification="Observed weekly on the ward since September.",
    )


def browse() -> None:
    """A trainee and a supervisor look at their pages, as they would just before the upgrade:
    the cache (a table of the database when there is no Redis, as here) then holds what the old
    code put there, pickled model instances among it, for the new code to meet."""
    from django.core.cache import cache
    from django.test import Client

    from assessments.models import QuizPage
    from cases.models import CaseVignettePage
    from curriculum.models import CurriculumIndexPage, LessonPage
    from home.models import User

    trainee = User.objects.get(email="trainee@example.com")
    pages = [
        "/dashboard/",
        "/dashboard/sign-offs/",
        CurriculumIndexPage.objects.get().url,
        LessonPage.objects.live().order_by("path").first().url,
        QuizPage.objects.live().order_by("path").first().url,
        CaseVignettePage.objects.live().order_by("path").first().url,
    ]
    supervisor = User.objects.get(email="supervisor@example.com")
    cache.clear()  # what the seeding cached lies under content versions long gone
    for person, urls in (
        (trainee, pages),
        (supervisor, ["/supervision/", f"/supervision/trainees/{trainee.pk}/"]),
    ):
        client = Client(HTTP_HOST="localhost")
        client.force_login(person)
        for url in urls:
            status = client.get(url).status_code
            if status != 200:
                sys.exit(f"{url} answered {status} for {person.email}; expected 200.")


def expectations(output: Path) -> dict:
    """What the upgraded database must still hold, measured after the backup."""
    from django.contrib.auth.models import Group
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection

    from assessments.models import SignOffRecord
    from curriculum.models import CompetencyElement
    from home.backup import app_version, measure
    from home.models import User

    content_types = {
        f"{ct.app_label}.{ct.model}": ct.pk
        for app, models in MOVED.items()
        for ct in ContentType.objects.filter(app_label=app, model__in=models)
    }
    moved = ContentType.objects.filter(pk__in=content_types.values())
    group_permissions = sorted(
        [group.name, f"{p.content_type.app_label}.{p.content_type.model}", p.codename]
        for group in Group.objects.all()
        for p in group.permissions.filter(content_type__in=moved).select_related("content_type")
    )
    user_permissions = sorted(
        [user.email, f"{p.content_type.app_label}.{p.content_type.model}", p.codename]
        for user in User.objects.all()
        for p in user.user_permissions.filter(content_type__in=moved).select_related("content_type")
    )
    records = {}
    for record in SignOffRecord.objects.select_related("trainee").order_by("id"):
        records[record.trainee.email] = records.get(record.trainee.email, 0) + 1
    element = CompetencyElement.objects.order_by("pk").first()
    return {
        "made_by": app_version(),
        "made_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "vendor": connection.vendor,
        "archive": output.name,
        "content_types": dict(sorted(content_types.items())),
        "all_content_types": {
            str(ct.pk): f"{ct.app_label}.{ct.model}" for ct in ContentType.objects.order_by("pk")
        },
        "group_permissions": group_permissions,
        "user_permissions": user_permissions,
        "sign_off_records": records,
        "revocations": SignOffRecord.objects.filter(decision="revoked").count(),
        "element": {"pk": element.pk, "code": element.code, "name": element.name},
        "tables": measure.table_sums(connection),
        "triggers": measure.triggers(connection),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--output", required=True, type=Path, help="the archive to write")
    args = parser.parse_args()
    output = args.output.resolve()
    setup()
    from django.db import transaction

    from home.backup import backup_create

    build_database()
    with transaction.atomic():
        add_activity()
    browse()
    backup_create(output=output)
    expected = expectations(output)
    output.with_name(output.name.removesuffix(".tar.gz") + ".json").write_text(
        json.dumps(expected, indent=1, sort_keys=True) + "\n", encoding="utf-8"
    )
    print(f"{output}: {output.stat().st_size:,} bytes; {len(expected['tables'])} tables")


if __name__ == "__main__":
    main()

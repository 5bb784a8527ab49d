"""A believable past for the demo's trainees, so that a person exploring the demo meets a platform
in use: Tamsin Okafor, several weeks into the course, with mixed results, a reflection shared
with her supervisor, an observation, a "not yet" decision with next steps and an open request to
be observed; and Jonah Mensah, who has done everything, is ready and has asked for sign-off.

Called by ``supervision.seed``. Every write goes through the product's services; the past is
made by running each one under ``home.demo.demo_clock`` set to the day it happened, so every
stored time (evidence, attempts, the hash-chained sign-off record) is as the service wrote it
and nothing is changed afterwards. Idempotent: a trainee who already has evidence keeps the
history they have. Deterministic: the answers come from a seeded random generator.
"""

import datetime
import random
import time

from django.utils import timezone

from assessments import services as assessment_services
from assessments.models import Evidence, QuizPage
from assessments.sample_answers import form_answer
from assessments.services import QuizError
from cases import engine
from cases import services as case_services
from cases.models import CaseVignettePage
from competencies.models import ClinicalSetting, CompetencyElement
from curriculum import services as curriculum_services
from curriculum.models import LessonPage
from home.demo import demo_clock

from . import services
from .models import SupervisorAssignment

HISTORY_START = 56  # days ago: the first thing either trainee did

# What the people in the story write.
WORDS = {
    "reflection": (
        "A man on the stroke ward kept refusing his afternoon session. I had written him down as "
        "unmotivated. When I asked what the afternoons were like, he told me his wife visits "
        "then and he does not want her to see him struggle. We moved his session to the "
        "morning. I want to ask that kind of question sooner."
    ),
    "observation": {
        "activity": "First assessment of a patient after a stroke, on the rehabilitation ward.",
        "went_well": "A warm, unhurried start; you asked about sleep and mood without being "
        "prompted.",
        "next_steps": "When the patient mentioned money, you moved on to the exercises. Stay "
        "with it: ask what worries them and who they can turn to.",
    },
    "observation_reflection": (
        "I heard the worry about money and did not know what to offer, so I changed the "
        "subject. Next time I will ask more and look up the welfare rights service first."
    ),
    "not_yet": {
        "feedback": "Your reflection on the afternoon sessions shows real curiosity, and you ask "
        "about mood without being prompted. You have met only some of the elements so far, and "
        "in your cases you often move on when money, work or housing come up.",
        "next_steps": "Finish modules 5 to 8. Play two more cases from settings you have not "
        "tried, asking about work and money each time. Then ask me to observe an assessment.",
    },
    "quiz_answers": [
        "I would ask what a normal day looks like now compared with before, and who helps.",
        "I would check what they believe is causing the pain before suggesting any exercise.",
        "I would ask about money and work: both came up and I moved past them too quickly.",
        "I would say back what I heard about the worry and ask what would help most this week.",
        "I would ask the carer how they are sleeping, and whether they get any time to themselves.",
        "I would use the PHQ-9 and then talk through the answers rather than just score them.",
    ],
    "observation_request": (
        "I have a first assessment in outpatients on Thursday morning, if you are free."
    ),
    "sign_off_request": (
        "I have finished the course and played every case. Could we look at my evidence "
        "together at supervision next week?"
    ),
}


def _at(days_ago: float, hour: int = 10) -> datetime.datetime:
    """A moment ``days_ago`` days before today, at ``hour`` o'clock local time."""
    day = timezone.localdate() - datetime.timedelta(days=int(days_ago))
    naive = datetime.datetime.combine(day, datetime.time(hour, 0))
    return timezone.make_aware(naive) + datetime.timedelta(minutes=round((days_ago % 1) * 120))


# --- The trainee's actions, each through the product's service ---------------------------------


def _quiz(trainee, quiz: QuizPage, rng: random.Random, skill: float):
    """One complete attempt at ``quiz``, submitted; None if no attempt is left."""
    try:
        attempt = assessment_services.attempt_start(trainee=trainee, quiz=quiz)
    except QuizError:
        return None
    for spec in assessment_services.attempt_questions(attempt):
        assessment_services.answer_save(
            attempt_id=attempt.pk,
            trainee=trainee,
            question_key=spec.key,
            data=form_answer(rng, spec, skill, text=rng.choice(WORDS["quiz_answers"])),
        )
    return assessment_services.attempt_submit(attempt_id=attempt.pk, trainee=trainee)


def _play(trainee, vignette: CaseVignettePage, rng: random.Random, skill: float):
    """One play of ``vignette`` to its end: the best choice with probability ``skill``."""
    attempt = case_services.vignette_start(trainee=trainee, vignette=vignette)
    graph = case_services.graph_of_revision(attempt.revision)
    while attempt.is_open:
        node = graph[attempt.node]
        choices, values = (), ()
        if node.kind == "decide":
            best = engine.best_decision(graph, node.id)
            ids = [o.id for o in node.options]
            choices = (best if best and rng.random() < skill else rng.choice(ids),)
        elif node.kind in engine.SELECT_KINDS:
            choices = tuple(o.id for o in node.options if (rng.random() < skill) == bool(o.correct))
        elif node.kind == "screen":
            values = tuple(node.key)
        attempt, _ = case_services.step_submit(
            attempt_id=attempt.pk, trainee=trainee, seq=attempt.seq, choices=choices, values=values
        )
    return attempt


class _Course:
    """The published course as the history uses it: lessons, quizzes and cases in order."""

    def __init__(self):
        self.lessons = list(LessonPage.objects.live().order_by("path"))
        self.quizzes = list(QuizPage.objects.live().order_by("path"))
        self.cases = list(CaseVignettePage.objects.live().order_by("path"))

    def module_lessons(self, quiz: QuizPage) -> list[LessonPage]:
        """The lessons of the module ``quiz`` belongs to."""
        return [lesson for lesson in self.lessons if lesson.path.startswith(quiz.path[:-4])]


# --- The two stories ----------------------------------------------------------------------------


def _tamsin(trainee, supervisor, course: _Course, rng: random.Random) -> None:
    """Six weeks in: four modules done (by the "not yet" two weeks ago), each quiz passed
    within a few tries, cases with mixed results, a reflection shared, an observation, and
    since the decision two more cases, a quiz not yet passed and an open request to be
    observed."""
    day = 44.0
    for m, quiz in enumerate(course.quizzes[:4]):
        for lesson in course.module_lessons(quiz):
            with demo_clock(_at(day, 19)):
                curriculum_services.lesson_complete(user=trainee, lesson=lesson)
            day -= 0.8
        # A first try that falls short now and then, then tries until passed.
        for skill in (0.45, 0.8, 0.95) if m % 2 == 0 else (0.8, 0.95):
            with demo_clock(_at(day, 20)):
                attempt = _quiz(trainee, quiz, rng, skill)
            day -= 1.2
            if attempt is None or attempt.passed:
                break
        if m < len(course.cases):
            with demo_clock(_at(day, 13)):
                _play(trainee, course.cases[m], rng, 0.55 + 0.1 * m)
            day -= 1.0
    lesson = next(
        (lsn for lsn in course.lessons[4:] if curriculum_services.reflection_block_ids(lsn)), None
    )
    if lesson is not None:
        with demo_clock(_at(30, 21)):
            curriculum_services.reflection_save(
                user=trainee,
                lesson=lesson,
                block_id=sorted(curriculum_services.reflection_block_ids(lesson))[0],
                text=WORDS["reflection"],
                shared=True,
            )
    elements = list(CompetencyElement.objects.order_by("order"))
    setting = ClinicalSetting.objects.filter(slug="stroke-rehab").first()
    with demo_clock(_at(24, 16)):
        observation = services.observation_record(
            supervisor=supervisor,
            trainee=trainee,
            observed_on=timezone.localdate(),
            setting=setting,
            ratings={e.pk: level for e, level in zip(elements[:3], (3, 2, 2), strict=False)},
            **WORDS["observation"],
        )
    with demo_clock(_at(23, 20)):
        services.observation_reflect(
            trainee=trainee,
            observation=observation,
            text=WORDS["observation_reflection"],
        )
    with demo_clock(_at(14, 15)):
        services.sign_off_record(
            supervisor=supervisor,
            trainee=trainee,
            decision="not_yet",
            level=2,
            **WORDS["not_yet"],
            reauthenticated_at=time.time(),
        )
    for n, case in enumerate(course.cases[4:6]):
        with demo_clock(_at(9 - 3 * n, 14)):
            _play(trainee, case, rng, 0.8)
    if len(course.quizzes) > 4:
        with demo_clock(_at(5, 20)):
            _quiz(trainee, course.quizzes[4], rng, 0.75)
    with demo_clock(_at(2, 9)):
        services.observation_ask(
            trainee=trainee,
            supervisor=supervisor,
            note=WORDS["observation_request"],
        )


def _jonah(trainee, supervisor, course: _Course, rng: random.Random) -> None:
    """Eight weeks of steady work: every lesson, every quiz passed, every case played well,
    then a request for sign-off yesterday."""
    day = float(HISTORY_START)
    step = (day - 2) / (len(course.lessons) + 2 * len(course.quizzes) + len(course.cases))
    for quiz in course.quizzes:
        for lesson in course.module_lessons(quiz):
            with demo_clock(_at(day, 18)):
                curriculum_services.lesson_complete(user=trainee, lesson=lesson)
            day -= step
        for skill in (0.9, 1.0):
            with demo_clock(_at(day, 19)):
                attempt = _quiz(trainee, quiz, rng, skill)
            day -= step
            if attempt is None or attempt.passed:
                break
    done = set(trainee.lesson_completions.values_list("lesson_id", flat=True))
    for lesson in course.lessons:  # lessons outside a module with a quiz
        if lesson.pk not in done:
            with demo_clock(_at(day, 18)):
                curriculum_services.lesson_complete(user=trainee, lesson=lesson)
    for case in course.cases:
        with demo_clock(_at(day, 12)):
            _play(trainee, case, rng, 1.0)
        day -= step
    with demo_clock(_at(1, 17)):
        services.sign_off_request(
            trainee=trainee,
            message=WORDS["sign_off_request"],
        )


def run(log, *, supervisor, tamsin, jonah) -> None:
    """Give each demo trainee their history, unless they already have evidence."""
    course = None
    for trainee, story in ((tamsin, _tamsin), (jonah, _jonah)):
        if trainee is None or Evidence.objects.filter(trainee=trainee).exists():
            continue
        assigned = (
            SupervisorAssignment.objects.current()
            .filter(supervisor=supervisor, trainee=trainee)
            .order_by("starts_on")
            .first()
        )
        if assigned is None or assigned.starts_on > _at(HISTORY_START).date():
            # Supervised only lately (a database seeded before the demo had a past): a past
            # with this supervisor in it would contradict the assignment, so none is made.
            continue
        course = course or _Course()
        if not course.quizzes or not course.cases:
            return
        # A fixed seed: the same demo every time (nothing secret is drawn from it).
        story(trainee, supervisor, course, random.Random(trainee.email))  # noqa: S311
        log(f"supervision: a history for the demo trainee {trainee.email}")

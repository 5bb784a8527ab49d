"""Test-wise trainees cannot look competent, and an honest expert always does (issue 15).

Five bots, each a new trainee, complete every lesson, take every seeded quiz and play every
seeded case through the real forms (``pages``), by their rule (``players``). The figures are
first attempts (the evidence); the harvester's retakes and replays are reported beside them. The
table is printed at the end of the run (``tests/conftest.py``) and copied into the README."""

import random
import re

import pytest
from django.core.management import call_command
from django.db.models import Sum

from assessments.models import Evidence, QuizAttempt, QuizPage
from assessments.services import attempts as quiz_attempts
from cases.models import CaseVignettePage, VignetteAttempt
from curriculum.models import LessonPage
from home.roles import Role
from progress.selectors import trainee_progress
from tests.factories import make_user

from . import pages, players

# Position, length and "never the longest" may beat random by no more than this (percentage
# points), first attempts.
CUE_MARGIN = 10
FIGURES: dict[str, dict] = {}  # printed by tests/conftest.py at the end of the run


def _attempt_id(url: str) -> int:
    return int(re.search(r"/(?:attempt|play)/(\d+)/", url).group(1))


def take_quiz(client, bot, quiz, *, blank=False) -> QuizAttempt:
    started = client.post(quiz.url + "start/")
    assert started.status_code == 302, started
    attempt_url = started["Location"].split("?")[0]
    attempt_id = _attempt_id(attempt_url)
    for index in range(200):
        if blank:
            break
        form = pages.question_form(client.get(f"{attempt_url}?q={index}").content.decode())
        if form is None or "question" not in form.hidden:
            break
        data = bot.quiz_answer(form, {"attempt_id": attempt_id})
        posted = client.post(form.action, {**form.hidden, **data})
        assert posted.status_code == 302, (bot.name, quiz.slug, posted.content[:300])
    submitted = client.post(f"{attempt_url}submit/")
    assert submitted.status_code == 302
    review = client.get(submitted["Location"]).content.decode()
    if isinstance(bot, players.Harvester):
        bot.quiz_keys.update(pages.review_keys(review))
    return QuizAttempt.objects.get(pk=attempt_id)


def play_case(client, bot, case) -> int:
    started = client.post(case.url + "start/")
    assert started.status_code == 302
    play_url = started["Location"]
    attempt_id = _attempt_id(play_url)
    context = {"attempt_id": attempt_id, "case": case.slug}
    for _ in range(100):
        shown = client.get(play_url)
        if shown.status_code == 302:  # finished: the debrief
            debrief = client.get(shown["Location"]).content.decode()
            if isinstance(bot, players.Harvester):
                for title, labels in pages.debrief_best_route(debrief).items():
                    bot.case_keys.setdefault((case.slug, title), set()).update(labels)
            return attempt_id
        form = pages.question_form(shown.content.decode())
        posted = client.post(form.action, {**form.hidden, **bot.case_answer(form, context)})
        assert posted.status_code == 302, (bot.name, case.slug, form.title, posted.content[:400])
        if "/feedback/" in posted["Location"] and isinstance(bot, players.Harvester):
            feedback = client.get(posted["Location"]).content.decode()
            key = (case.slug, form.title)
            bot.case_keys.setdefault(key, set()).update(pages.feedback_keys(feedback))
    raise AssertionError(f"{bot.name} did not finish {case.slug}")


def _percent(score, most) -> float:
    return round(100 * (score or 0) / most, 1) if most else 0.0


def quiz_percent(attempts) -> float:
    return _percent(sum(a.score for a in attempts), sum(a.max_score for a in attempts))


def case_percent(trainee, attempt_ids) -> float:
    rows = Evidence.objects.filter(trainee=trainee, vignette_attempt_id__in=attempt_ids)
    totals = rows.aggregate(s=Sum("score"), m=Sum("max_score"))
    return _percent(totals["s"], totals["m"])


def run(client, bot_class, quizzes, cases, lessons) -> dict:
    bot = bot_class(seed=15)
    trainee = make_user(Role.TRAINEE, email=f"{bot.name}@bots.example")
    client.force_login(trainee)
    for lesson in lessons:
        assert client.post(lesson.url + "complete/").status_code in (200, 302)
    harvester = isinstance(bot, players.Harvester)
    first = [take_quiz(client, bot, quiz, blank=harvester) for quiz in quizzes]
    plays = [play_case(client, bot, case) for case in cases]
    figures = {"quiz": quiz_percent(first), "case": case_percent(trainee, plays)}
    if harvester:
        retakes = [take_quiz(client, bot, quiz) for quiz in quizzes]
        replays = [play_case(client, bot, case) for case in cases]
        figures |= {
            "quiz_retake": quiz_percent(retakes),
            "case_replay": case_percent(trainee, replays),
        }
    progress = trainee_progress(user=trainee)
    figures["met"] = sum(row["mastery"].status == "met" for row in progress["elements"])
    figures["elements"] = len(progress["elements"])
    figures["ready"] = progress["ready"]
    return figures


@pytest.fixture
def fixed_draws(monkeypatch):
    """Every attempt's secret (the order of its options and the variants it draws) from one
    seeded generator, so the figures are the same on every run of the same content."""
    generator = random.Random(15)

    def secret() -> str:
        return f"{generator.getrandbits(128):032x}"

    monkeypatch.setattr(quiz_attempts, "new_delivery_secret", secret)
    monkeypatch.setattr(VignetteAttempt._meta.get_field("delivery_secret"), "default", secret)


@pytest.fixture
def seeded_site(db, settings, fixed_draws):
    # Bots answer faster than any person: the per-person limit on scoring posts would stop them.
    settings.RATE_LIMITS = {"scoring": (10**6, 60), "signoff": (10**6, 60), "secret": (10**6, 60)}
    with open("/dev/null", "w") as devnull:
        call_command("seed_demo", stdout=devnull)


def test_test_wise_trainees_never_look_competent_and_an_expert_does(client, seeded_site):
    quizzes = list(QuizPage.objects.live().order_by("path"))
    cases = list(CaseVignettePage.objects.live().order_by("path"))
    lessons = list(LessonPage.objects.live().order_by("path"))
    assert len(quizzes) >= 8 and len(cases) >= 12
    for bot_class in players.BOTS:
        FIGURES[bot_class.name] = run(client, bot_class, quizzes, cases, lessons)
    chance, expert, harvester = FIGURES["random"], FIGURES["expert"], FIGURES["harvester"]
    for cue in ("position", "length", "not longest"):
        for what in ("quiz", "case"):
            assert FIGURES[cue][what] <= chance[what] + CUE_MARGIN, (cue, what, FIGURES)
    assert harvester["met"] == 0 and not harvester["ready"], FIGURES
    assert expert["met"] == expert["elements"] and expert["ready"], FIGURES
    assert expert["quiz"] == 100 and expert["case"] == 100, FIGURES

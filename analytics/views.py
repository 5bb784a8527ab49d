"""The item analysis screens in the Wagtail admin (educators and administrators): the list of
quizzes, one quiz's report and its CSV."""

import csv

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render

from assessments.models import QuizPage
from home.roles import Role, has_role

from .selectors import quiz_report, quizzes_with_attempts

# Bigger than any primary key the database can hold: such an address names no quiz (404).
MAX_ID = 2**63 - 1


def _allowed(request) -> None:
    user = request.user
    if not (user.is_superuser or has_role(user, Role.EDUCATOR, Role.ADMINISTRATOR)):
        raise PermissionDenied


def _quiz(quiz_id: int) -> QuizPage:
    if quiz_id > MAX_ID:
        raise Http404
    quiz = QuizPage.objects.filter(pk=quiz_id).first()
    if quiz is None:
        raise Http404
    return quiz


def _first_only(request) -> bool:
    return request.GET.get("attempts", "first") != "all"


def quiz_index(request):
    _allowed(request)
    return render(request, "analytics/quiz_index.html", {"quizzes": quizzes_with_attempts()})


def quiz_statistics(request, quiz_id: int):
    _allowed(request)
    report = quiz_report(_quiz(quiz_id), first_only=_first_only(request))
    return render(request, "analytics/quiz_statistics.html", {"report": report})


def _figure(value) -> str:
    return "" if value is None else f"{value:.2f}"


ITEM_COLUMNS = (
    ("facility", "Facility %"),
    ("sd", "SD %"),
    ("random_guess_score", "Random guess %"),
    ("intended_weight", "Intended weight %"),
    ("effective_weight", "Effective weight %"),
    ("discrimination_index", "Discrimination index %"),
    ("discriminative_efficiency", "Discriminative efficiency %"),
)


def _safe(text: str) -> str:
    """A cell a spreadsheet will not run as a formula."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def quiz_statistics_csv(request, quiz_id: int):
    _allowed(request)
    report = quiz_report(_quiz(quiz_id), first_only=_first_only(request))
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    which = "first" if report.first_only else "all"
    response["Content-Disposition"] = (
        f'attachment; filename="quiz-{report.quiz.pk}-statistics-{which}-attempts.csv"'
    )
    writer = csv.writer(response)
    writer.writerow(
        [
            "Slot",
            "Question key",
            "Kind",
            "Question",
            "Marks",
            *(label for _, label in ITEM_COLUMNS),
            "Flags",
        ]
    )
    for slot in report.slots:
        writer.writerow(
            [
                slot.number,
                slot.key,
                slot.kind,
                _safe(slot.stem),
                slot.points,
                *(_figure(getattr(slot.stats, name)) for name, _ in ITEM_COLUMNS),
                _safe(" ".join(slot.flags)),
            ]
        )
    return response

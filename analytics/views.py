"""The analytics screens in the Wagtail admin (educators and administrators): the list of
quizzes, one quiz's report and its CSV; routes through cases and its CSV; the cohort report and
its CSV (programme leads are the administrators who run cohorts: they and educators see every
cohort). On the site, supervisors see the same cohort report about their own trainees only
(``my_cohorts``, ``my_cohort_report``)."""

import csv

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from assessments.models import QuizPage
from cases.models import CaseVignettePage
from home.roles import is_educator_or_administrator
from home.spreadsheets import csv_safe
from supervision.models import Cohort
from supervision.views.access import supervisor_required

from .selectors import (
    case_routes,
    cases_with_plays,
    cohort_report,
    cohorts_with_members,
    quiz_report,
    quizzes_with_attempts,
)
from .selectors.cohorts import INACTIVE_DAYS

# Bigger than any primary key the database can hold: such an address names no quiz (404).
MAX_ID = 2**63 - 1


def _allowed(request) -> None:
    if not is_educator_or_administrator(request.user):
        raise PermissionDenied


def _page(model, page_id: int, *, rows=None):
    """The page (or cohort) with this id (from ``rows``, the model's by default), else a 404."""
    if page_id > MAX_ID:
        raise Http404
    page = (model.objects.all() if rows is None else rows).filter(pk=page_id).first()
    if page is None:
        raise Http404
    return page


def _quiz(quiz_id: int) -> QuizPage:
    """The quiz with its live revision (the questions analysed) in the same query."""
    return _page(QuizPage, quiz_id, rows=QuizPage.objects.select_related("live_revision"))


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
            "Variant of slot",
            "Attempts answering",
        ]
    )
    for slot in report.slots:
        writer.writerow(
            [
                slot.number,
                slot.key,
                slot.kind,
                csv_safe(slot.stem),
                slot.points,
                *(_figure(getattr(slot.stats, name)) for name, _ in ITEM_COLUMNS),
                csv_safe(" ".join(slot.flags)),
                "",
                "",
            ]
        )
        if len(slot.variants) < 2:
            continue
        for variant in slot.variants:  # facility only: the other figures are the slot's
            figures = [""] * len(ITEM_COLUMNS)
            figures[[name for name, _ in ITEM_COLUMNS].index("facility")] = _figure(
                variant.facility
            )
            writer.writerow(
                [
                    slot.number,
                    variant.key,
                    slot.kind,
                    csv_safe(variant.stem),
                    slot.points,
                    *figures,
                    "",
                    slot.key,
                    variant.answered,
                ]
            )
    return response


def case_index(request):
    _allowed(request)
    return render(request, "analytics/case_index.html", {"cases": cases_with_plays()})


def case_routes_view(request, case_id: int):
    _allowed(request)
    routes = case_routes(_page(CaseVignettePage, case_id), first_only=_first_only(request))
    most = max(routes.edges.values(), default=0)
    drawing = routes.drawing
    reached = {node.id: node.reached for node in routes.nodes}
    edges = [
        {
            "path": edge.path,
            "plays": routes.edges.get((edge.source, edge.target), 0),
            "width": 1 + 9 * routes.edges.get((edge.source, edge.target), 0) / most if most else 1,
        }
        for edge in drawing.edges
    ]
    boxes = [
        {
            "box": box,
            "reached": reached.get(box.id, 0),
            "shade": round(0.08 + 0.6 * reached.get(box.id, 0) / routes.plays, 2)
            if routes.plays
            else 0.08,
        }
        for box in drawing.boxes
    ]
    routes_named = [(" → ".join(nodes), n) for nodes, n in routes.other_routes]
    context = {
        "routes": routes,
        "edges": edges,
        "boxes": boxes,
        "other_routes": routes_named,
        "best_route": " → ".join(routes.best_route),
    }
    return render(request, "analytics/case_routes.html", context)


def case_routes_csv(request, case_id: int):
    """The node-by-node table and the element scores, as CSV."""
    _allowed(request)
    routes = case_routes(_page(CaseVignettePage, case_id), first_only=_first_only(request))
    which = "first" if routes.first_only else "all"
    response = _csv_response(f"case-{routes.case.pk}-routes-{which}-plays.csv")
    writer = csv.writer(response)
    writer.writerow(["Node", "Kind", "Title", "Reached", "Stopped here", "Option", "Chose it"])
    for node in routes.nodes:
        cells = [csv_safe(node.id), node.kind, csv_safe(node.title), node.reached, node.stopped]
        writer.writerow([*cells, "", ""])
        for label, chose in node.options:
            writer.writerow([*cells, csv_safe(label), chose])
    writer.writerow([])
    writer.writerow(["Element", "Worst possible", "Best possible", "Mean of finished plays"])
    for element in routes.elements:
        mean = "" if element.mean is None else _figure(element.mean)
        writer.writerow(
            [csv_safe(element.name), _figure(element.worst), _figure(element.best), mean]
        )
    return response


def _csv_response(filename: str) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def cohort_index(request):
    _allowed(request)
    return render(request, "analytics/cohort_index.html", {"cohorts": cohorts_with_members()})


def cohort_report_view(request, cohort_id: int):
    _allowed(request)
    cohort = _page(Cohort, cohort_id)
    return render(
        request,
        "analytics/cohort_report.html",
        {"report": cohort_report(cohort), "inactive_days": INACTIVE_DAYS},
    )


def cohort_report_csv(request, cohort_id: int):
    _allowed(request)
    return _cohort_csv(cohort_report(_page(Cohort, cohort_id)))


def _cohort_csv(report) -> HttpResponse:
    """The report's four tables one after another, each under its own header row."""
    response = _csv_response(f"cohort-{report.cohort.pk}-report.csv")
    writer = csv.writer(response)
    writer.writerow(["Step", "Trainees", "Share of the cohort %"])
    for step in report.funnel:
        writer.writerow([step.label, step.count, "" if step.percent is None else step.percent])
    writer.writerow([])
    writer.writerow(["Element", *(f"Met at the end of {m.label}" for m in report.months)])
    for element in report.mastery:
        writer.writerow([csv_safe(element.name), *element.met])
    writer.writerow([])
    writer.writerow([f"Inactive for {INACTIVE_DAYS} days or more", "Last activity"])
    for person in report.inactive:
        last = person.last_active.date().isoformat() if person.last_active else ""
        writer.writerow([csv_safe(person.name), last])
    writer.writerow([])
    writer.writerow(["Element", "Observations rating it", "Trainees observed"])
    for element in report.observations:
        writer.writerow([csv_safe(element.name), element.ratings, element.trainees])
    return response


@require_GET
@supervisor_required
def my_cohorts(request):
    """A supervisor's cohorts: those with at least one trainee they supervise today."""
    cohorts = cohorts_with_members(supervisor=request.user)
    return render(request, "analytics/my_cohorts.html", {"cohorts": cohorts})


@require_GET
@supervisor_required
def my_cohort_report(request, cohort_id: int):
    """The cohort report about the supervisor's own trainees in the cohort; a cohort with none
    of them is a 404 (it is not theirs to look at, nor to learn the existence of)."""
    supervisor = request.user
    cohort = _page(Cohort, cohort_id, rows=cohorts_with_members(supervisor=supervisor))
    report = cohort_report(cohort, supervisor=supervisor)
    if request.GET.get("format") == "csv":
        return _cohort_csv(report)
    context = {"report": report, "inactive_days": INACTIVE_DAYS, "supervisor_view": True}
    return render(request, "analytics/my_cohort_report.html", context)

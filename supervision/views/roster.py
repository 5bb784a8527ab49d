"""The supervisor's table of their current trainees (filters, sort, cohort, pages), cached
per supervisor, and its CSV export."""

import csv

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_GET

from home.audit import audit_record
from home.caching import for_records, for_records_many
from home.spreadsheets import csv_safe
from supervision import selectors
from supervision.views.access import supervisor_required

PAGE_SIZE = 25
PAGE_SIZES = ("25", "50", "100")


@require_GET
@supervisor_required
def dashboard(request):
    show = request.GET.get("show", "")
    sort = request.GET.get("sort", "name")
    cohorts = selectors.cohort_choices_cached(request.user)
    cohort = request.GET.get("cohort", "")
    if (
        show not in selectors.FILTERS
        or sort not in selectors.SORTS
        or (cohort and cohort not in {str(pk) for pk, _ in cohorts})
    ):
        return render(
            request, "supervision/dashboard.html", {"error": "Unknown filter or sort."}, status=400
        )
    per_page = request.GET.get("per_page", str(PAGE_SIZE))
    if per_page not in PAGE_SIZES:
        return render(
            request, "supervision/dashboard.html", {"error": "Unknown page size."}, status=400
        )
    choices = {
        "show": show,
        "sort": sort,
        "cohort": cohort,
        "cohorts": cohorts,
        "per_page": per_page,
        "page_sizes": PAGE_SIZES,
        "filters": selectors.FILTERS,
        "sorts": selectors.SORTS,
    }
    table = roster(supervisor=request.user, choices=choices)
    page = Paginator(table["ids"], int(per_page)).get_page(request.GET.get("page"))
    context = selectors.table_context()
    return render(
        request,
        "supervision/dashboard.html",
        {
            "rows": trainee_rows(page.object_list, context),
            "requests": table["requests_html"],
            "observation_requests": table["observation_requests_html"],
            "filters_form": table["filters_html"],
            "elements": context["elements"],
            "policy": context["policy"],
            "page_obj": page,
            **choices,
        },
    )


def roster(*, supervisor, choices: dict) -> dict:
    """The supervisor's table before paging, for the filter, sort and page size in ``choices``:
    every matching trainee's id in order, and, rendered, the boxes of open sign-off requests and
    of requests to be observed, and the filter form. Cached until the supervisor's records
    version moves (it moves whenever one of their trainees' records or their assignments change, see
    ``home.caching.records_changed``), the content changes or the date does (assignments and
    inactivity are counted in days): so a page costs the same for 200 or 2,000 trainees."""
    today = timezone.localdate()

    show, sort, cohort = choices["show"], choices["sort"], choices["cohort"]

    def build() -> dict:
        table = selectors.trainee_table(
            supervisor=supervisor, show=show, sort=sort, cohort_id=int(cohort) if cohort else None
        )
        return {
            "ids": list(table["trainees"]),
            "requests_html": render_to_string(
                "supervision/includes/open_requests.html",
                {"requests": selectors.open_requests(table)},
            ),
            "observation_requests_html": render_to_string(
                "supervision/includes/observation_requests.html",
                {
                    "observation_requests": selectors.open_observation_requests(
                        supervisor=supervisor
                    )
                },
            ),
            "filters_html": render_to_string(
                "supervision/includes/dashboard_filters.html", choices
            ),
        }

    key = f"roster:{today}:{show}:{sort}:{cohort}:{choices['per_page']}"
    return for_records(supervisor.pk, key, build)


def trainee_rows(trainee_ids, table: dict) -> list[str]:
    """The table rows of these trainees, in this order, as HTML. A row depends only on the
    trainee's records and on published content (elements, policy, core lessons), so each is
    kept until either changes (``home.caching.for_records_many``): a page of 50 trainees is two
    reads from the cache, and only the rows of trainees who did something since are built."""
    ids = list(trainee_ids)

    def build(missing: list[int]) -> dict[int, str]:
        return {
            row["trainee"].pk: render_to_string(
                "supervision/includes/trainee_row.html", {"row": row}
            )
            for row in selectors.rows_for(missing, table)
        }

    rows = for_records_many(ids, "supervisor-row", build)
    return [rows[pk] for pk in ids if pk in rows]


@require_GET
@supervisor_required
def export(request):
    show = request.GET.get("show", "")
    if show not in selectors.FILTERS:
        return HttpResponse("Unknown filter.", status=400, content_type="text/plain")
    table = selectors.trainee_table(supervisor=request.user, show=show)
    data = {"elements": table["elements"], "rows": selectors.rows_for(table["trainees"], table)}
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="trainees.csv"'
    writer = csv.writer(response)
    writer.writerow(
        [
            "Name",
            "Email",
            *(e.name for e in data["elements"]),
            "Ready",
            "Core lessons",
            "Last activity",
            "Sign-off",
        ]
    )
    for row in data["rows"]:
        writer.writerow(
            [
                csv_safe(row["trainee"].name),
                csv_safe(row["trainee"].email),
                *(csv_safe(f"{m.percent}%" if m.mean is not None else "") for m in row["mastery"]),
                "yes" if row["ready"] else "no",
                f"{row['lessons_done']}/{row['lessons_total']}",
                row["last_activity"].isoformat() if row["last_activity"] else "",
                csv_safe(row["record"].get_decision_display() if row["record"] else ""),
            ]
        )
    audit_record("data_export", actor=request.user, request=request, rows=len(data["rows"]))
    return response

"""The admin report "Content due for review": every page that carries review dates (the page
models that mix in ``home.review.ReviewedContent``: lessons, quizzes and cases today), with its
owner, dates and status, soonest due first, for educators and administrators.

The shell finds those models itself, so it names no domain app: a new page type that mixes in
the review fields appears here without a change. One query: the three fields are read from each
model's table by subquery (a page has a row in exactly one of them).
"""

import datetime

import django_filters
from django.core.exceptions import PermissionDenied
from django.db.models import Case, F, OuterRef, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.formats import date_format
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views.reports import ReportView
from wagtail.models import Page, get_page_models

from .review import DUE_SOON_DAYS, REVIEW_FIELDS, ReviewedContent, ReviewStatus
from .roles import is_educator_or_administrator


def reviewed_page_models() -> list[type[Page]]:
    """The concrete page models that carry review dates."""
    return [
        model
        for model in get_page_models()
        if issubclass(model, ReviewedContent) and not model._meta.abstract
    ]


def status_when(today: datetime.date) -> Case:
    """``home.review.review_status`` in SQL, from the same boundaries (held equal by the
    report's tests): not set, overdue before today, due soon up to ``DUE_SOON_DAYS`` ahead."""
    soon = today + datetime.timedelta(days=DUE_SOON_DAYS)
    return Case(
        When(next_review__isnull=True, then=Value(ReviewStatus.NOT_SET.value)),
        When(next_review__lt=today, then=Value(ReviewStatus.OVERDUE.value)),
        When(next_review__lte=soon, then=Value(ReviewStatus.DUE_SOON.value)),
        default=Value(ReviewStatus.LATER.value),
    )


def pages_for_review(today: datetime.date):
    """Every page with review fields, annotated with them and its status (no order)."""
    models = reviewed_page_models()

    def field(name):
        values = [
            Subquery(model.objects.filter(pk=OuterRef("pk")).values(name)[:1]) for model in models
        ]
        return Coalesce(*values) if len(values) > 1 else values[0]

    return (
        Page.objects.type(*models)
        .select_related("content_type")
        .annotate(**{name: field(name) for name in REVIEW_FIELDS})
        .annotate(status=status_when(today))
    )


def _day(value) -> str:
    return date_format(value, "j M Y") if value else "—"


def _kind(page) -> str:
    model = page.content_type.model_class()
    return model._meta.verbose_name.capitalize() if model else ""


class ReviewFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(
        label="Status",
        choices=[(status.value, status.value.capitalize()) for status in ReviewStatus],
        method="filter_status",
        empty_label="Any status",
    )

    class Meta:
        model = Page
        fields = []

    def filter_status(self, queryset, name, value):
        return queryset.filter(status=value) if value else queryset


class ContentDueView(ReportView):
    """The report: a Wagtail report view (filters, paging, CSV and XLSX download)."""

    page_title = "Content due for review"
    header_icon = "date"
    index_url_name = "content_review:due"
    index_results_url_name = "content_review:due_results"
    filterset_class = ReviewFilterSet
    export_filename = "content-due-for-review"
    # Pages with no review dates first (nobody owns them), then the soonest due.
    default_ordering = (F("next_review").asc(nulls_first=True), "title")
    columns = [
        TitleColumn("title", label="Title", url_name="wagtailadmin_pages:edit"),
        Column("kind", label="Type", accessor=_kind),
        Column("review_owner", label="Owner", sort_key="review_owner"),
        Column("last_reviewed", label="Last reviewed", accessor=lambda p: _day(p.last_reviewed)),
        Column(
            "next_review",
            label="Next review",
            sort_key="next_review",
            accessor=lambda p: _day(p.next_review),
        ),
        Column("status", label="Status", accessor=lambda p: p.status.capitalize()),
    ]
    list_export = ["title", "kind", "review_owner", "last_reviewed", "next_review", "status"]
    export_headings = {
        "title": "Title",
        "kind": "Type",
        "review_owner": "Owner",
        "last_reviewed": "Last reviewed",
        "next_review": "Next review",
        "status": "Status",
    }

    def dispatch(self, request, *args, **kwargs):
        if not is_educator_or_administrator(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_base_queryset(self):
        return pages_for_review(timezone.localdate())

    def decorate_paginated_queryset(self, object_list):
        for page in object_list:
            page.kind = _kind(page)
        return object_list

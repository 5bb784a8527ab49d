"""Site-wide Wagtail hooks of the shell: the members-only rule for every page type that asks
for it (``home.members.MembersOnlyMixin``), and for every document not marked public; the
"Content due for review" report (``home.review_report``) in the Reports menu."""

from django.contrib.auth.views import redirect_to_login
from django.urls import include, path, reverse
from wagtail import hooks

from .admin_menu import EducatorsMenuItem
from .members import PUBLIC_DOCUMENTS, MembersOnlyMixin
from .review_report import ContentDueView


@hooks.register("before_serve_page")
def members_only(page, request, serve_args, serve_kwargs):
    """Visitors who are not logged in may open only pages marked open to visitors."""
    members_only_page = isinstance(page, MembersOnlyMixin) and not page.open_to_visitors
    if members_only_page and not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    return None


@hooks.register("before_serve_document")
def members_only_document(document, request):
    """Documents uploaded in the admin are for members: a visitor gets the login page unless an
    educator has put the document in the "Public documents" collection (or one inside it).
    Wagtail answers a wrong file name with a 404 before this runs, so a visitor who walks the
    sequential ids learns nothing."""
    if request.user.is_authenticated:
        return None
    ancestors = document.collection.get_ancestors(inclusive=True)
    if not ancestors.filter(name=PUBLIC_DOCUMENTS).exists():
        return redirect_to_login(request.get_full_path())
    return None


review_urlpatterns = [
    path("", ContentDueView.as_view(), name="due"),
    path("results/", ContentDueView.as_view(results_only=True), name="due_results"),
]


@hooks.register("register_admin_urls")
def register_review_report_urls():
    return [
        path(
            "reports/content-due-for-review/",
            include((review_urlpatterns, "content_review"), namespace="content_review"),
        )
    ]


@hooks.register("register_reports_menu_item")
def register_review_report_menu_item():
    return EducatorsMenuItem(
        "Content due for review",
        reverse("content_review:due"),
        name="content-due-for-review",
        icon_name="date",
        order=650,
    )

"""Analytics in the Wagtail admin's menu, for educators and administrators."""

from django.urls import include, path, reverse
from wagtail import hooks

from home.admin_menu import EducatorsMenuItem

from . import views

app_name = "analytics"
urlpatterns = [
    path("quizzes/", views.quiz_index, name="quiz_index"),
    path("quizzes/<int:quiz_id>/", views.quiz_statistics, name="quiz_statistics"),
    path("quizzes/<int:quiz_id>/csv/", views.quiz_statistics_csv, name="quiz_statistics_csv"),
    path("cases/", views.case_index, name="case_index"),
    path("cases/<int:case_id>/", views.case_routes_view, name="case_routes"),
    path("cases/<int:case_id>/csv/", views.case_routes_csv, name="case_routes_csv"),
    path("cohorts/", views.cohort_index, name="cohort_index"),
    path("cohorts/<int:cohort_id>/", views.cohort_report_view, name="cohort_report"),
    path("cohorts/<int:cohort_id>/csv/", views.cohort_report_csv, name="cohort_report_csv"),
]


@hooks.register("register_admin_urls")
def register_urls():
    return [path("analytics/", include((urlpatterns, "analytics"), namespace="analytics"))]


@hooks.register("register_admin_menu_item")
def register_menu_item():
    return EducatorsMenuItem(
        "Quiz statistics", reverse("analytics:quiz_index"), icon_name="table", order=280
    )


@hooks.register("register_admin_menu_item")
def register_case_menu_item():
    return EducatorsMenuItem(
        "Routes through cases", reverse("analytics:case_index"), icon_name="site", order=281
    )


@hooks.register("register_admin_menu_item")
def register_cohort_menu_item():
    return EducatorsMenuItem(
        "Cohort reports", reverse("analytics:cohort_index"), icon_name="group", order=282
    )

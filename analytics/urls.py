"""The site's side of analytics: a supervisor's own cohorts (the admin's screens are in
``wagtail_hooks``)."""

from django.urls import path

from . import views

app_name = "cohorts"
urlpatterns = [
    path("supervision/cohorts/", views.my_cohorts, name="mine"),
    path("supervision/cohorts/<int:cohort_id>/", views.my_cohort_report, name="report"),
]

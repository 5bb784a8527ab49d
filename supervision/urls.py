from django.urls import path
from django.views.generic import RedirectView

from . import views

app_name = "supervision"

urlpatterns = [
    path("supervision/", views.dashboard, name="dashboard"),
    path("supervision/export.csv", views.export, name="export"),
    path("supervision/confirm/", views.confirm, name="confirm"),
    path("supervision/trainees/<int:trainee_id>/", views.trainee, name="trainee"),
    path(
        "supervision/trainees/<int:trainee_id>/cases/<int:attempt_id>/",
        views.case_path,
        name="case_path",
    ),
    path("supervision/trainees/<int:trainee_id>/sign-off/", views.sign_off, name="sign_off"),
    path("supervision/sign-offs/<int:record_id>/revoke/", views.revoke, name="revoke"),
    path("dashboard/sign-offs/", views.my_sign_offs, name="my_sign_offs"),
    path("dashboard/sign-offs/<int:record_id>/certificate/", views.certificate, name="certificate"),
    # The old name of the personal-data download, which moved to privacy: it still reverses to
    # the same address, where privacy's own route (included first) answers.
    path(
        "account/my-data.json",
        RedirectView.as_view(pattern_name="privacy:my_data"),
        name="my_data",
    ),
    path("cohorts/join/", views.cohort_join, name="cohort_join"),
    path("verify/", views.verify, name="verify_form"),
    path("verify/<str:code>/", views.verify, name="verify"),
]

from django.urls import path

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
    path("dashboard/request-sign-off/", views.request_sign_off, name="request_sign_off"),
    path("dashboard/sign-offs/", views.my_sign_offs, name="my_sign_offs"),
    path("dashboard/sign-offs/<int:record_id>/certificate/", views.certificate, name="certificate"),
    path("account/my-data.json", views.my_data, name="my_data"),
    path("cohorts/join/", views.cohort_join, name="cohort_join"),
    path("verify/", views.verify, name="verify_form"),
    path("verify/<str:code>/", views.verify, name="verify"),
]

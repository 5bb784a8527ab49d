from django.urls import path

from .views import certificates, cohorts, observations, roster, sign_off, trainee

app_name = "supervision"

urlpatterns = [
    path("supervision/", roster.dashboard, name="dashboard"),
    path("supervision/export.csv", roster.export, name="export"),
    path("supervision/confirm/", sign_off.confirm, name="confirm"),
    path("supervision/trainees/<int:trainee_id>/", trainee.trainee, name="trainee"),
    path(
        "supervision/trainees/<int:trainee_id>/cases/<int:attempt_id>/",
        trainee.case_path,
        name="case_path",
    ),
    path("supervision/trainees/<int:trainee_id>/sign-off/", sign_off.sign_off, name="sign_off"),
    path(
        "supervision/trainees/<int:trainee_id>/observations/new/",
        observations.record_observation,
        name="record_observation",
    ),
    path("dashboard/observations/ask/", observations.ask_observation, name="ask_observation"),
    path(
        "dashboard/observations/requests/<int:request_id>/withdraw/",
        observations.withdraw_observation_request,
        name="withdraw_observation_request",
    ),
    path(
        "dashboard/observations/<int:observation_id>/reflect/",
        observations.reflect_on_observation,
        name="reflect_on_observation",
    ),
    path("supervision/sign-offs/<int:record_id>/revoke/", sign_off.revoke, name="revoke"),
    path("dashboard/request-sign-off/", sign_off.request_sign_off, name="request_sign_off"),
    path(
        "dashboard/request-sign-off/withdraw/",
        sign_off.withdraw_sign_off_request,
        name="withdraw_sign_off_request",
    ),
    path("dashboard/sign-offs/", certificates.my_sign_offs, name="my_sign_offs"),
    path(
        "dashboard/sign-offs/<int:record_id>/certificate/",
        certificates.certificate,
        name="certificate",
    ),
    path("cohorts/join/", cohorts.cohort_join, name="cohort_join"),
    path("verify/", certificates.verify, name="verify_form"),
    path("verify/<str:code>/", certificates.verify, name="verify"),
]

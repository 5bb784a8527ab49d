from django.urls import path

from . import views

app_name = "assessments"

urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard/record/", views.record, name="record"),
    path("dashboard/request-sign-off/", views.request_sign_off, name="request_sign_off"),
]

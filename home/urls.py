from django.urls import path

from . import views

app_name = "home"

urlpatterns = [
    path("account/profile/", views.profile, name="profile"),
    path("healthz", views.healthz, name="healthz"),
]

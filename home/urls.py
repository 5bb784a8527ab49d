from django.urls import path

from . import views

app_name = "home"

urlpatterns = [
    path("account/profile/", views.profile, name="profile"),
    path("healthz", views.healthz, name="healthz"),
    path("demo/mail/", views.demo_mail_inbox, name="demo_mail"),
]

from django.urls import path

from . import views

app_name = "competencies"

urlpatterns = [
    path("references/", views.references, name="references"),
]

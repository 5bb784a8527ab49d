from django.urls import path

from . import views

app_name = "competencies"

urlpatterns = [
    path("competency/", views.framework_page, name="framework"),
    path("competency/behaviours.md", views.framework_download, name="download"),
    path("references/", views.references, name="references"),
]

"""The public pages of the competency's reference material: the framework (what trainees are
measured against, with what a supervisor looks for) and its download, and the reference list
(every work the course cites, so a reader can follow a source). Open to everyone: supervisors
outside the platform use the framework too, and a citation in a taster lesson should lead
somewhere a visitor can read; neither holds anything personal."""

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from . import framework, selectors

DOWNLOAD_NAME = "psychosocial-competency-behaviours.md"


@require_GET
def framework_page(request):
    return render(
        request,
        "competencies/framework.html",
        {
            "elements": selectors.elements_in_order(),
            "title": framework.TITLE,
            "introduction": framework.INTRODUCTION,
        },
    )


@require_GET
def framework_download(request):
    response = HttpResponse(
        framework.as_markdown(selectors.elements_in_order()),
        content_type="text/markdown; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{DOWNLOAD_NAME}"'
    return response


@require_GET
def references(request):
    entries = selectors.bibliography().sorted_entries()
    return render(request, "competencies/references.html", {"entries": entries})

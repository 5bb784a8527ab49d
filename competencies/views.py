"""The public page of the competency framework and its download. Open to everyone: the
framework is what trainees are measured against, and supervisors outside the platform use it
too."""

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

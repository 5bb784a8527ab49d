"""The public reference list: every work the course cites, so a reader can follow a source."""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from . import selectors


@require_GET
def references(request):
    """Public, like the syllabus: a bibliography holds nothing personal, and a citation in a
    taster lesson should lead somewhere a visitor can read."""
    entries = selectors.bibliography().sorted_entries()
    return render(request, "competencies/references.html", {"entries": entries})

"""The person's own data, as a download. Thin: the selector gathers, the view audits and
serves."""

import json

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.views.decorators.http import require_GET

from home.audit import audit_record

from .selectors import personal_data_for


@require_GET
@login_required
def my_data(request):
    """The person's own data, as a JSON download."""
    data = personal_data_for(user=request.user)
    audit_record("data_export", actor=request.user, request=request, what="own personal data")
    response = HttpResponse(
        json.dumps(data, indent=2, ensure_ascii=False, default=str),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="my-data.json"'
    return response

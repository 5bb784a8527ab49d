"""The dashboard every logged-in person lands on: one section per role they hold."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from curriculum import selectors as curriculum_selectors
from home.roles import Role, roles_of

from . import selectors


@login_required
@require_GET
def dashboard(request):
    roles = roles_of(request.user)
    context = {"roles": roles}
    if Role.SUPERVISOR in roles:
        context["trainees"] = list(selectors.trainees_for_supervisor(supervisor=request.user))
    if Role.TRAINEE in roles:
        context["supervisors"] = list(selectors.supervisors_for_trainee(trainee=request.user))
        context["course"] = curriculum_selectors.course_overview(user=request.user)
    return render(request, "assessments/dashboard.html", context)
